using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using FlexCoop.OpenAdr.Vtn.Internal;

namespace FlexCoop.OpenAdr.Engine.Tests.EndToEnd;

/// <summary>
/// Rule 68: the VTN holds an RSA and an ECC certificate and serves each client the one its ClientHello can
/// use (rule 67's two suites need one each), whatever host name the client asks for.
/// </summary>
public sealed class CertificateSelectionTests
{
    private static SslClientAuthenticationOptions Offering(string targetHost, params TlsCipherSuite[] suites) => new()
    {
        TargetHost = targetHost,
        EnabledSslProtocols = SslProtocols.Tls12,
        CipherSuitesPolicy = OperatingSystem.IsWindows() ? null : new CipherSuitesPolicy(suites),
        ClientCertificates = [TestPki.NewVen()],
        RemoteCertificateValidationCallback = (_, _, _, _) => true,
    };

    private static async Task<(X509Certificate2 Certificate, TlsCipherSuite Suite)> HandshakeAsync(Uri server, SslClientAuthenticationOptions options)
    {
        var ct = TestContext.Current.CancellationToken;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port, ct);
        await using var ssl = new SslStream(tcp.GetStream());
        await ssl.AuthenticateAsClientAsync(options, ct);
        return (X509CertificateLoader.LoadCertificate(ssl.RemoteCertificate!.GetRawCertData()), ssl.NegotiatedCipherSuite);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task Client_offering_only_ECDHE_ECDSA_gets_the_ECC_certificate_and_RSA_only_client_the_RSA_one(string targetHost)
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "SChannel cannot restrict a client to one cipher suite");
        // RSA first: the ECC certificate is only served when the hello asks for it, and the other way round.
        foreach (var order in new[] { new[] { TestPki.VtnRsa, TestPki.VtnEcc }, [TestPki.VtnEcc, TestPki.VtnRsa] })
        {
            await using var vtn = await VtnHarness.StartAsync(o => o with { ServerCertificates = order });

            var (ecc, eccSuite) = await HandshakeAsync(vtn.Server.Url, Offering(targetHost, TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256));
            Assert.Equal(TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, eccSuite);
            Assert.Equal(TestPki.VtnEcc.Thumbprint, ecc.Thumbprint);
            Assert.NotNull(ecc.GetECDsaPublicKey());

            var (rsa, rsaSuite) = await HandshakeAsync(vtn.Server.Url, Offering(targetHost, TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256));
            Assert.Equal(TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256, rsaSuite);
            Assert.Equal(TestPki.VtnRsa.Thumbprint, rsa.Thumbprint);

            // A client offering both gets the first configured certificate, as before.
            var (both, _) = await HandshakeAsync(vtn.Server.Url, Offering(targetHost, TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256, TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256));
            Assert.Equal(order[0].Thumbprint, both.Thumbprint);
        }
    }

    [Fact]
    public async Task Host_name_still_narrows_the_certificates_before_the_hello_decides()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "SChannel cannot restrict a client to one cipher suite");
        await using var vtn = await VtnHarness.StartAsync(o => o with { ServerCertificates = [TestPki.VtnRsa, TestPki.VtnEcc] });
        var (named, _) = await HandshakeAsync(vtn.Server.Url, Offering("ecc.vtn.test", TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256));
        Assert.Equal(TestPki.VtnEcc.Thumbprint, named.Thumbprint);
    }

    /// <summary>A real ClientHello, as .NET's TLS client sends it offering <paramref name="suites"/>.</summary>
    private static async Task<byte[]> CaptureHelloAsync(params TlsCipherSuite[] suites)
    {
        var ct = TestContext.Current.CancellationToken;
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, ct);
        using var accepted = await listener.AcceptTcpClientAsync(ct);
        var ssl = new SslStream(client.GetStream());
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var handshake = ssl.AuthenticateAsClientAsync(Offering("localhost", suites), stop.Token);
        var received = new List<byte>();
        var buffer = new byte[4096];
        var stream = accepted.GetStream();
        while (ClientHelloOffer.Inspect(new ReadOnlySequence<byte>(received.ToArray()), out _) == ClientHelloOffer.Progress.NeedMore)
        {
            var n = await stream.ReadAsync(buffer, ct);
            Assert.True(n > 0, "the client closed before its hello was complete");
            received.AddRange(buffer.AsSpan(0, n));
        }
        accepted.Close();
        await Assert.ThrowsAnyAsync<Exception>(() => handshake);
        await ssl.DisposeAsync();
        return [.. received];
    }

    [Fact]
    public async Task Hello_parser_reads_real_hellos_and_waits_for_a_whole_one()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "SChannel cannot restrict a client to one cipher suite");
        var ecdsa = await CaptureHelloAsync(TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256);
        var rsa = await CaptureHelloAsync(TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256);
        var both = await CaptureHelloAsync(TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256, TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256);

        Assert.Equal(ClientHelloOffer.Progress.Done, ClientHelloOffer.Inspect(new ReadOnlySequence<byte>(ecdsa), out var offered));
        Assert.Equal(CertificateKindsOffered.EcdsaOnly, offered);
        ClientHelloOffer.Inspect(new ReadOnlySequence<byte>(rsa), out offered);
        Assert.Equal(CertificateKindsOffered.RsaOnly, offered);
        ClientHelloOffer.Inspect(new ReadOnlySequence<byte>(both), out offered);
        Assert.Equal(CertificateKindsOffered.Both, offered);

        // Every proper prefix asks for more bytes; split into single-byte segments it reads the same.
        for (var n = 0; n < ecdsa.Length; n++)
        {
            Assert.Equal(ClientHelloOffer.Progress.NeedMore, ClientHelloOffer.Inspect(new ReadOnlySequence<byte>(ecdsa, 0, n), out _));
        }
        Assert.Equal(ClientHelloOffer.Progress.Done, ClientHelloOffer.Inspect(Segmented(ecdsa), out offered));
        Assert.Equal(CertificateKindsOffered.EcdsaOnly, offered);
    }

    [Fact]
    public async Task Hello_parser_never_throws_on_damaged_hellos_and_plain_HTTP()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "SChannel cannot restrict a client to one cipher suite");
        var hello = await CaptureHelloAsync(TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256);
        var random = new Random(68);
        for (var i = 0; i < 2000; i++)
        {
            var damaged = (byte[])hello.Clone();
            for (var k = 0; k < 1 + i % 4; k++) damaged[random.Next(damaged.Length)] = (byte)random.Next(256);
            ClientHelloOffer.Inspect(new ReadOnlySequence<byte>(damaged), out _); // must not throw
        }
        Assert.Equal(ClientHelloOffer.Progress.Done, ClientHelloOffer.Inspect(new ReadOnlySequence<byte>("POST /OpenADR2/Simple/2.0b/OadrPoll HTTP/1.1\r\n"u8.ToArray()), out var offered));
        Assert.Equal(CertificateKindsOffered.Unknown, offered);
        // A record header announcing a huge hello is given up on, not waited for.
        byte[] huge = [22, 3, 1, 0, 4, 1, 0xFF, 0xFF, 0xFF];
        Assert.Equal(ClientHelloOffer.Progress.Done, ClientHelloOffer.Inspect(new ReadOnlySequence<byte>(huge), out offered));
        Assert.Equal(CertificateKindsOffered.Unknown, offered);
    }

    private static ReadOnlySequence<byte> Segmented(byte[] bytes)
    {
        var first = new Segment(bytes.AsMemory(0, 1), 0);
        var last = first;
        for (var i = 1; i < bytes.Length; i++) last = last.Append(bytes.AsMemory(i, 1));
        return new ReadOnlySequence<byte>(first, 0, last, 1);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
