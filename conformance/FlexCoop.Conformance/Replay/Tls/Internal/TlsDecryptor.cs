using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace FlexCoop.Conformance.Replay.Tls.Internal;

/// <summary>Plaintext of one direction of a decrypted TLS connection, and when each piece arrived.</summary>
internal sealed record TlsPlaintext(byte[] Bytes, List<(int Offset, DateTimeOffset Time)> Times);

/// <summary>
/// Decrypts a captured TLS 1.2 connection with its master secret from a key log: reads the records
/// of both directions, takes the client and server randoms and the chosen suite from ClientHello and
/// ServerHello, derives the key block with the TLS 1.2 PRF (RFC 5246 section 5; SHA-384 for the
/// *_SHA384 suites) and decrypts every record after ChangeCipherSpec: AES-CBC with HMAC
/// (MAC-then-encrypt, or encrypt-then-MAC when RFC 7366 was negotiated) and AES-GCM (RFC 5288).
/// Every MAC and tag is checked.
/// </summary>
internal static class TlsDecryptor
{
    private const int MaxRecordLength = (1 << 14) + 2048;
    private const byte ChangeCipherSpec = 20, Alert = 21, Handshake = 22, ApplicationData = 23;

    private sealed record Suite(string Name, HashAlgorithmName Mac, int MacLength, int KeyLength, bool Gcm, HashAlgorithmName Prf);

    private static readonly Dictionary<ushort, Suite> Suites = new()
    {
        [0x002F] = new("TLS_RSA_WITH_AES_128_CBC_SHA", HashAlgorithmName.SHA1, 20, 16, false, HashAlgorithmName.SHA256),
        [0x0035] = new("TLS_RSA_WITH_AES_256_CBC_SHA", HashAlgorithmName.SHA1, 20, 32, false, HashAlgorithmName.SHA256),
        [0x003C] = new("TLS_RSA_WITH_AES_128_CBC_SHA256", HashAlgorithmName.SHA256, 32, 16, false, HashAlgorithmName.SHA256),
        [0x003D] = new("TLS_RSA_WITH_AES_256_CBC_SHA256", HashAlgorithmName.SHA256, 32, 32, false, HashAlgorithmName.SHA256),
        [0xC009] = new("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", HashAlgorithmName.SHA1, 20, 16, false, HashAlgorithmName.SHA256),
        [0xC00A] = new("TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", HashAlgorithmName.SHA1, 20, 32, false, HashAlgorithmName.SHA256),
        [0xC013] = new("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", HashAlgorithmName.SHA1, 20, 16, false, HashAlgorithmName.SHA256),
        [0xC014] = new("TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", HashAlgorithmName.SHA1, 20, 32, false, HashAlgorithmName.SHA256),
        [0xC023] = new("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", HashAlgorithmName.SHA256, 32, 16, false, HashAlgorithmName.SHA256),
        [0xC024] = new("TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", HashAlgorithmName.SHA384, 48, 32, false, HashAlgorithmName.SHA384),
        [0xC027] = new("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", HashAlgorithmName.SHA256, 32, 16, false, HashAlgorithmName.SHA256),
        [0xC028] = new("TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", HashAlgorithmName.SHA384, 48, 32, false, HashAlgorithmName.SHA384),
        [0x009C] = new("TLS_RSA_WITH_AES_128_GCM_SHA256", default, 0, 16, true, HashAlgorithmName.SHA256),
        [0x009D] = new("TLS_RSA_WITH_AES_256_GCM_SHA384", default, 0, 32, true, HashAlgorithmName.SHA384),
        [0xC02B] = new("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", default, 0, 16, true, HashAlgorithmName.SHA256),
        [0xC02C] = new("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", default, 0, 32, true, HashAlgorithmName.SHA384),
        [0xC02F] = new("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", default, 0, 16, true, HashAlgorithmName.SHA256),
        [0xC030] = new("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", default, 0, 32, true, HashAlgorithmName.SHA384),
    };

    private readonly record struct Record(byte Type, ushort Version, int Offset, int Length, DateTimeOffset Time);

    /// <summary>Decrypts both directions; on failure returns the reason and leaves the outputs empty.</summary>
    public static string? TryDecrypt(
        byte[] client, List<(int Offset, DateTimeOffset Time)> clientTimes,
        byte[] server, List<(int Offset, DateTimeOffset Time)> serverTimes,
        TlsKeyLog keyLog, out TlsPlaintext clientPlain, out TlsPlaintext serverPlain)
    {
        clientPlain = serverPlain = new TlsPlaintext([], []);
        var clientRecords = Records(client, clientTimes, out var clientError);
        var serverRecords = Records(server, serverTimes, out var serverError);
        if ((clientError ?? serverError) is { } recordError) return recordError;

        var clientHello = FirstHandshake(client, clientRecords, 1);
        if (clientHello is not { Length: >= 34 }) return "TLS connection without a readable ClientHello";
        var clientRandom = clientHello.AsSpan(2, 32).ToArray();
        var serverHello = FirstHandshake(server, serverRecords, 2);
        if (serverHello is not { Length: >= 38 }) return "TLS connection without a readable ServerHello";
        var serverVersion = BinaryPrimitives.ReadUInt16BigEndian(serverHello);
        var serverRandom = serverHello.AsSpan(2, 32).ToArray();
        var sessionIdLength = serverHello[34];
        if (serverHello.Length < 35 + sessionIdLength + 3) return "the ServerHello is truncated";
        var suiteId = BinaryPrimitives.ReadUInt16BigEndian(serverHello.AsSpan(35 + sessionIdLength));
        var extensions = Extensions(serverHello.AsSpan(35 + sessionIdLength + 3));
        if (extensions.ContainsKey(0x002B) || serverVersion != 0x0303)
        {
            return "TLS 1.3 (or a version other than 1.2) was negotiated: replay decrypts TLS 1.2 only";
        }
        if (!Suites.TryGetValue(suiteId, out var suite)) return $"cipher suite 0x{suiteId:X4} cannot be decrypted by replay";
        var master = keyLog.MasterSecret(clientRandom);
        if (master is null) return $"the key log has no CLIENT_RANDOM line for this session (client random {Convert.ToHexString(clientRandom)[..16]}...)";
        var encryptThenMac = !suite.Gcm && extensions.ContainsKey(0x0016);

        var ivLength = suite.Gcm ? 4 : 0;
        var keyBlock = Prf(suite.Prf, master, "key expansion", [.. serverRandom, .. clientRandom], 2 * (suite.MacLength + suite.KeyLength + ivLength));
        var o = 0;
        byte[] Take(int n)
        {
            var part = keyBlock.AsSpan(o, n).ToArray();
            o += n;
            return part;
        }
        var clientMac = Take(suite.MacLength);
        var serverMac = Take(suite.MacLength);
        var clientKey = Take(suite.KeyLength);
        var serverKey = Take(suite.KeyLength);
        var clientIv = Take(ivLength);
        var serverIv = Take(ivLength);

        var error = DecryptDirection(client, clientRecords, suite, encryptThenMac, clientMac, clientKey, clientIv, "client", out clientPlain)
                    ?? DecryptDirection(server, serverRecords, suite, encryptThenMac, serverMac, serverKey, serverIv, "server", out serverPlain);
        return error is null ? null : $"{suite.Name}: {error}";
    }

    private static List<Record> Records(byte[] stream, List<(int Offset, DateTimeOffset Time)> times, out string? error)
    {
        error = null;
        var records = new List<Record>();
        var offset = 0;
        var t = 0;
        while (offset + 5 <= stream.Length)
        {
            var type = stream[offset];
            var version = BinaryPrimitives.ReadUInt16BigEndian(stream.AsSpan(offset + 1));
            var length = BinaryPrimitives.ReadUInt16BigEndian(stream.AsSpan(offset + 3));
            if (type is < ChangeCipherSpec or > ApplicationData || version >> 8 != 3 || length > MaxRecordLength)
            {
                error = $"not a TLS record at byte {offset} of the stream";
                break;
            }
            if (offset + 5 + length > stream.Length) break; // the capture ends inside the record
            while (t + 1 < times.Count && times[t + 1].Offset <= offset) t++;
            records.Add(new Record(type, version, offset + 5, length, times.Count > 0 ? times[t].Time : DateTimeOffset.UnixEpoch));
            offset += 5 + length;
        }
        return records;
    }

    /// <summary>The body of the first handshake message of <paramref name="type"/> before ChangeCipherSpec.</summary>
    private static byte[]? FirstHandshake(byte[] stream, List<Record> records, byte type)
    {
        var handshake = new MemoryStream();
        foreach (var r in records)
        {
            if (r.Type == ChangeCipherSpec) break;
            if (r.Type == Handshake) handshake.Write(stream, r.Offset, r.Length);
        }
        var bytes = handshake.GetBuffer().AsSpan(0, (int)handshake.Length);
        var o = 0;
        while (o + 4 <= bytes.Length)
        {
            var length = (bytes[o + 1] << 16) | (bytes[o + 2] << 8) | bytes[o + 3];
            if (o + 4 + length > bytes.Length) return null;
            if (bytes[o] == type) return bytes.Slice(o + 4, length).ToArray();
            o += 4 + length;
        }
        return null;
    }

    private static Dictionary<ushort, byte[]> Extensions(ReadOnlySpan<byte> data)
    {
        var found = new Dictionary<ushort, byte[]>();
        if (data.Length < 2) return found;
        var total = Math.Min(BinaryPrimitives.ReadUInt16BigEndian(data), data.Length - 2);
        var e = data.Slice(2, total);
        while (e.Length >= 4)
        {
            var type = BinaryPrimitives.ReadUInt16BigEndian(e);
            var length = BinaryPrimitives.ReadUInt16BigEndian(e[2..]);
            if (4 + length > e.Length) break;
            found[type] = e.Slice(4, length).ToArray();
            e = e[(4 + length)..];
        }
        return found;
    }

    private static string? DecryptDirection(byte[] stream, List<Record> records, Suite suite, bool encryptThenMac,
        byte[] macKey, byte[] key, byte[] fixedIv, string side, out TlsPlaintext plain)
    {
        var output = new MemoryStream();
        var times = new List<(int, DateTimeOffset)>();
        plain = new TlsPlaintext([], times);
        var encrypted = false;
        ulong sequence = 0;
        using var aes = Aes.Create();
        aes.Key = key;
        using var gcm = suite.Gcm ? new AesGcm(key, 16) : null;
        foreach (var r in records)
        {
            if (!encrypted)
            {
                if (r.Type == ChangeCipherSpec) encrypted = true;
                continue;
            }
            var fragment = stream.AsSpan(r.Offset, r.Length);
            byte[]? content = suite.Gcm
                ? OpenGcm(gcm!, fixedIv, sequence, r, fragment)
                : OpenCbc(aes, suite, macKey, encryptThenMac, sequence, r, fragment);
            if (content is null)
            {
                return $"record {sequence} from the {side} does not decrypt (MAC or tag mismatch): wrong secret in the key log, or a corrupted capture";
            }
            sequence++;
            if (r.Type == ApplicationData && content.Length > 0)
            {
                times.Add(((int)output.Length, r.Time));
                output.Write(content);
            }
        }
        plain = new TlsPlaintext(output.ToArray(), times);
        return null;
    }

    private static byte[]? OpenGcm(AesGcm gcm, byte[] fixedIv, ulong sequence, Record r, ReadOnlySpan<byte> fragment)
    {
        if (fragment.Length < 8 + 16) return null;
        Span<byte> nonce = stackalloc byte[12];
        fixedIv.CopyTo(nonce);
        fragment[..8].CopyTo(nonce[4..]);
        var ciphertext = fragment[8..^16];
        var plaintext = new byte[ciphertext.Length];
        Span<byte> aad = stackalloc byte[13];
        Header(aad, sequence, r.Type, r.Version, ciphertext.Length);
        try
        {
            gcm.Decrypt(nonce, ciphertext, fragment[^16..], plaintext, aad);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
        return plaintext;
    }

    private static byte[]? OpenCbc(Aes aes, Suite suite, byte[] macKey, bool encryptThenMac, ulong sequence, Record r, ReadOnlySpan<byte> fragment)
    {
        const int Block = 16;
        Span<byte> header = stackalloc byte[13];
        var cipherPart = encryptThenMac ? fragment[..^Math.Min(fragment.Length, suite.MacLength)] : fragment;
        if (cipherPart.Length < 2 * Block || cipherPart.Length % Block != 0) return null;
        if (encryptThenMac)
        {
            Header(header, sequence, r.Type, r.Version, cipherPart.Length);
            var expected = Mac(suite.Mac, macKey, header, cipherPart);
            if (!CryptographicOperations.FixedTimeEquals(expected, fragment[^suite.MacLength..])) return null;
        }
        var decrypted = aes.DecryptCbc(cipherPart[Block..], cipherPart[..Block], PaddingMode.None);
        var padding = decrypted[^1];
        var macLength = encryptThenMac ? 0 : suite.MacLength;
        var contentLength = decrypted.Length - padding - 1 - macLength;
        if (contentLength < 0) return null;
        for (var i = decrypted.Length - padding - 1; i < decrypted.Length; i++)
        {
            if (decrypted[i] != padding) return null;
        }
        if (!encryptThenMac)
        {
            Header(header, sequence, r.Type, r.Version, contentLength);
            var expected = Mac(suite.Mac, macKey, header, decrypted.AsSpan(0, contentLength));
            if (!CryptographicOperations.FixedTimeEquals(expected, decrypted.AsSpan(contentLength, macLength))) return null;
        }
        return decrypted.AsSpan(0, contentLength).ToArray();
    }

    /// <summary>seq_num ‖ type ‖ version ‖ length, the input of the record MAC and the GCM additional data.</summary>
    private static void Header(Span<byte> destination, ulong sequence, byte type, ushort version, int length)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, sequence);
        destination[8] = type;
        BinaryPrimitives.WriteUInt16BigEndian(destination[9..], version);
        BinaryPrimitives.WriteUInt16BigEndian(destination[11..], (ushort)length);
    }

    private static byte[] Mac(HashAlgorithmName algorithm, byte[] key, ReadOnlySpan<byte> header, ReadOnlySpan<byte> data)
    {
        using var hmac = IncrementalHash.CreateHMAC(algorithm, key);
        hmac.AppendData(header);
        hmac.AppendData(data);
        return hmac.GetHashAndReset();
    }

    /// <summary>The TLS 1.2 PRF: P_hash(secret, label ‖ seed), RFC 5246 section 5.</summary>
    internal static byte[] Prf(HashAlgorithmName hash, byte[] secret, string label, byte[] seed, int length)
    {
        byte[] labelSeed = [.. Encoding.ASCII.GetBytes(label), .. seed];
        var output = new byte[length];
        using var hmac = IncrementalHash.CreateHMAC(hash, secret);
        hmac.AppendData(labelSeed);
        var a = hmac.GetHashAndReset(); // A(1)
        var written = 0;
        while (written < length)
        {
            hmac.AppendData(a);
            hmac.AppendData(labelSeed);
            var block = hmac.GetHashAndReset();
            var n = Math.Min(block.Length, length - written);
            block.AsSpan(0, n).CopyTo(output.AsSpan(written));
            written += n;
            hmac.AppendData(a);
            a = hmac.GetHashAndReset();
        }
        return output;
    }
}
