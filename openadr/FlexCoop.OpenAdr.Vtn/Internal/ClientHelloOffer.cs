using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace FlexCoop.OpenAdr.Vtn.Internal;

/// <summary>Which server certificate kinds a TLS client can work with, read from its ClientHello.</summary>
internal enum CertificateKindsOffered
{
    /// <summary>The hello could not be read (or offered nothing we recognise): the default certificate.</summary>
    Unknown,

    /// <summary>Only suites / signature schemes that need an ECDSA certificate.</summary>
    EcdsaOnly,

    /// <summary>Only RSA-authenticated suites / signature schemes.</summary>
    RsaOnly,

    /// <summary>Both kinds are usable.</summary>
    Both,
}

/// <summary>
/// Reads what a client offers in its TLS ClientHello (cipher suites, <c>signature_algorithms</c>) so the
/// VTN can present the RSA or the ECC certificate the client can use (rules 67 and 68: a VTN offers
/// <c>TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256</c> with an ECC certificate and
/// <c>TLS_RSA_WITH_AES_128_CBC_SHA256</c> with an RSA one). Pure parsing: bounded, never throws.
/// </summary>
internal static class ClientHelloOffer
{
    /// <summary>The largest ClientHello the VTN waits for (a handshake message over several records).</summary>
    public const int MaxHelloBytes = 16 * 1024;

    private const ushort SignatureAlgorithmsExtension = 13;

    /// <summary>Outcome of looking at the bytes received so far.</summary>
    internal enum Progress
    {
        NeedMore,
        Done,
    }

    /// <summary>
    /// Looks at the first bytes of a connection: <see cref="Progress.NeedMore"/> while the ClientHello is
    /// incomplete, else <see cref="Progress.Done"/> with what it offers (<see cref="CertificateKindsOffered.Unknown"/>
    /// when the bytes are not a TLS ClientHello or are malformed).
    /// </summary>
    public static Progress Inspect(ReadOnlySequence<byte> received, out CertificateKindsOffered offered)
    {
        offered = CertificateKindsOffered.Unknown;
        // Reassemble the handshake message from TLS records of type handshake (22).
        var reader = new SequenceReader<byte>(received);
        var handshake = new ArrayBufferWriter<byte>();
        while (true)
        {
            if (reader.Remaining < 5) return Incomplete(received.Length);
            reader.TryRead(out var type);
            reader.TryReadBigEndian(out short _);
            reader.TryReadBigEndian(out short lengthRaw);
            var length = (ushort)lengthRaw;
            if (type != 22 || length == 0 || length > 16384 + 2048) return Progress.Done;
            if (reader.Remaining < length) return Incomplete(received.Length);
            var fragment = received.Slice(reader.Position, length);
            foreach (var segment in fragment) handshake.Write(segment.Span);
            reader.Advance(length);
            var message = handshake.WrittenSpan;
            if (message.Length >= 4)
            {
                if (message[0] != 1) return Progress.Done; // not a ClientHello
                var helloLength = (message[1] << 16) | (message[2] << 8) | message[3];
                if (helloLength > MaxHelloBytes) return Progress.Done;
                if (message.Length >= 4 + helloLength)
                {
                    offered = Classify(message.Slice(4, helloLength));
                    return Progress.Done;
                }
            }
            if (handshake.WrittenCount > MaxHelloBytes) return Progress.Done;
        }
    }

    private static Progress Incomplete(long received) => received >= MaxHelloBytes + 64 ? Progress.Done : Progress.NeedMore;

    /// <summary>What a ClientHello body (after the 4-byte handshake header) offers.</summary>
    internal static CertificateKindsOffered Classify(ReadOnlySpan<byte> hello)
    {
        // client_version(2) random(32) session_id<1> cipher_suites<2> compression<1> extensions<2>
        if (hello.Length < 35) return CertificateKindsOffered.Unknown;
        var at = 34;
        at += 1 + hello[at];
        if (at + 2 > hello.Length) return CertificateKindsOffered.Unknown;
        var suitesLength = BinaryPrimitives.ReadUInt16BigEndian(hello[at..]);
        at += 2;
        if (at + suitesLength > hello.Length || suitesLength % 2 != 0) return CertificateKindsOffered.Unknown;
        var suites = hello.Slice(at, suitesLength);
        at += suitesLength;
        bool ecdsaSuite = false, rsaSuite = false, tls13Suite = false;
        for (var i = 0; i < suites.Length; i += 2)
        {
            switch (SuiteAuthentication(BinaryPrimitives.ReadUInt16BigEndian(suites[i..])))
            {
                case Authentication.Ecdsa: ecdsaSuite = true; break;
                case Authentication.Rsa: rsaSuite = true; break;
                case Authentication.Any: tls13Suite = true; break;
            }
        }
        bool ecdsaScheme = false, rsaScheme = false, sawSchemes = false;
        if (at < hello.Length)
        {
            at += 1 + hello[at];
            if (at + 2 <= hello.Length)
            {
                var extensionsLength = BinaryPrimitives.ReadUInt16BigEndian(hello[at..]);
                at += 2;
                var extensions = hello.Slice(at, Math.Min(extensionsLength, hello.Length - at));
                while (extensions.Length >= 4)
                {
                    var type = BinaryPrimitives.ReadUInt16BigEndian(extensions);
                    var length = BinaryPrimitives.ReadUInt16BigEndian(extensions[2..]);
                    if (4 + length > extensions.Length) break;
                    var data = extensions.Slice(4, length);
                    if (type == SignatureAlgorithmsExtension && data.Length >= 2)
                    {
                        sawSchemes = true;
                        var list = data.Slice(2, Math.Min(BinaryPrimitives.ReadUInt16BigEndian(data), data.Length - 2));
                        for (var i = 0; i + 1 < list.Length; i += 2)
                        {
                            var scheme = BinaryPrimitives.ReadUInt16BigEndian(list[i..]);
                            if (IsEcdsaScheme(scheme)) ecdsaScheme = true;
                            else if (IsRsaScheme(scheme)) rsaScheme = true;
                        }
                    }
                    extensions = extensions[(4 + length)..];
                }
            }
        }
        // A TLS 1.3 suite works with either certificate; the signature schemes say which (both when none listed).
        var ecdsa = ecdsaSuite || (tls13Suite && (ecdsaScheme || !sawSchemes));
        var rsa = rsaSuite || (tls13Suite && (rsaScheme || !sawSchemes));
        return (ecdsa, rsa) switch
        {
            (true, true) => CertificateKindsOffered.Both,
            (true, false) => CertificateKindsOffered.EcdsaOnly,
            (false, true) => CertificateKindsOffered.RsaOnly,
            _ => CertificateKindsOffered.Unknown,
        };
    }

    private enum Authentication
    {
        Other,
        Ecdsa,
        Rsa,
        Any,
    }

    private static Authentication SuiteAuthentication(ushort suite)
    {
        if (suite is >= 0x1301 and <= 0x1305) return Authentication.Any; // TLS 1.3: authentication by signature scheme
        if (!Enum.IsDefined((System.Net.Security.TlsCipherSuite)suite)) return Authentication.Other;
        var name = ((System.Net.Security.TlsCipherSuite)suite).ToString();
        if (name.Contains("_ECDSA_", StringComparison.Ordinal)) return Authentication.Ecdsa;
        if (name.StartsWith("TLS_RSA_", StringComparison.Ordinal) || name.Contains("HE_RSA_", StringComparison.Ordinal)) return Authentication.Rsa;
        return Authentication.Other;
    }

    // ecdsa_secp256r1_sha256 .. secp521r1_sha512, ecdsa_sha1, ecdsa_brainpool (TLS 1.3).
    private static bool IsEcdsaScheme(ushort scheme) => (scheme & 0xFF) == 0x03 && scheme >> 8 is >= 2 and <= 6 || scheme is >= 0x081A and <= 0x081C;

    // rsa_pkcs1_*, rsa_pss_rsae_*, rsa_pss_pss_*.
    private static bool IsRsaScheme(ushort scheme) => (scheme & 0xFF) == 0x01 && scheme >> 8 is >= 2 and <= 6 || scheme is >= 0x0804 and <= 0x0806 || scheme is >= 0x0809 and <= 0x080B;

    /// <summary>The key under which the connection's offer is kept in the connection's <c>Items</c>.</summary>
    private static readonly object ItemKey = new();

    /// <summary>
    /// Connection middleware placed before TLS: waits (bounded by size and by <paramref name="timeout"/>, the
    /// handshake timeout) for the ClientHello, notes what it offers, and hands every byte on unconsumed. A client
    /// that sends no complete hello in time is disconnected.
    /// </summary>
    public static async Task PeekAsync(ConnectionContext connection, ConnectionDelegate next, TimeSpan timeout)
    {
        var input = connection.Transport.Input;
        var offered = CertificateKindsOffered.Unknown;
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed))
        {
            deadline.CancelAfter(timeout);
            while (true)
            {
                ReadResult read;
                try
                {
                    read = await input.ReadAsync(deadline.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                var buffer = read.Buffer;
                if (Inspect(buffer, out offered) == Progress.Done || read.IsCompleted || read.IsCanceled)
                {
                    input.AdvanceTo(buffer.Start); // nothing consumed, nothing examined: TLS reads the same bytes
                    break;
                }
                input.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        connection.Items[ItemKey] = offered;
        await next(connection);
    }

    /// <summary>What the connection's ClientHello offered (<see cref="CertificateKindsOffered.Unknown"/> without <see cref="PeekAsync"/>).</summary>
    public static CertificateKindsOffered Of(ConnectionContext? connection) =>
        connection is not null && connection.Items.TryGetValue(ItemKey, out var value) && value is CertificateKindsOffered offered ? offered : CertificateKindsOffered.Unknown;
}
