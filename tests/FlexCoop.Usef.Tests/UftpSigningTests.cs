using System.Text;
using FlexCoop.Usef.Signing;
using FlexCoop.Usef.Xml;

namespace FlexCoop.Usef.Tests;

public sealed class UftpSigningTests
{
    private const string SignScript = """
        import base64, sys
        from nacl.signing import SigningKey
        payload = open(sys.argv[1], 'rb').read()
        key = SigningKey.generate()
        signed = key.sign(payload)
        print(base64.b64encode(bytes(key.verify_key)).decode())
        print(base64.b64encode(bytes(signed)).decode())
        print(base64.b64encode(bytes(key._signing_key)).decode())
        """;

    private const string VerifyScript = """
        import base64, sys
        from nacl.signing import VerifyKey
        from nacl.exceptions import BadSignatureError
        key = VerifyKey(base64.b64decode(sys.argv[1]))
        try:
            payload = key.verify(base64.b64decode(open(sys.argv[2]).read()))
        except BadSignatureError:
            print('bad signature')
            sys.exit(3)
        sys.stdout.write(base64.b64encode(payload).decode())
        """;

    private static byte[] PayloadBytes(string sender = Trade.Agr) => UftpXml.Serialize(Trade.Prognosis() with { SenderDomain = sender });

    private static async Task<(UftpPublicKey Key, byte[] Body, byte[] Secret)> PythonSignsAsync(byte[] payload)
    {
        var file = Path.GetTempFileName();
        await File.WriteAllBytesAsync(file, payload, TestContext.Current.CancellationToken);
        try
        {
            var (code, stdout, stderr) = await LibsodiumPython.RunAsync(SignScript, file);
            Assert.True(code == 0, stderr);
            var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return (UftpPublicKey.FromBase64(lines[0]), Convert.FromBase64String(lines[1]), Convert.FromBase64String(lines[2]));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<(int Code, string Out)> PythonVerifiesAsync(UftpPublicKey key, ReadOnlyMemory<byte> body)
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, Convert.ToBase64String(body.Span), TestContext.Current.CancellationToken);
        try
        {
            var (code, stdout, _) = await LibsodiumPython.RunAsync(VerifyScript, key.ToBase64(), file);
            return (code, stdout.Trim());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Libsodium_signed_message_opens_with_its_public_key()
    {
        var payload = PayloadBytes();
        var (key, body, _) = await PythonSignsAsync(payload);
        var envelope = UftpXml.ParseSignedMessage(UftpXml.Serialize(new SignedMessage(Trade.Agr, UftpRole.AGR, body)));

        var opened = UftpSigner.Open(envelope, [key]);

        Assert.Equal(payload, opened.PayloadXml.ToArray());
        Assert.Equal(UftpXml.Parse(payload), opened.Message);
    }

    [Fact]
    public async Task Our_sealed_message_verifies_with_libsodium()
    {
        using var key = UftpSigningKey.Generate();
        var payload = PayloadBytes();
        var envelope = UftpSigner.Seal(payload, Trade.Agr, UftpRole.AGR, key);

        var (code, output) = await PythonVerifiesAsync(key.PublicKey, envelope.Body);

        Assert.Equal(0, code);
        Assert.Equal(payload, Convert.FromBase64String(output));
    }

    [Fact]
    public async Task Libsodium_secret_key_imports_and_signs_byte_identically()
    {
        var payload = PayloadBytes();
        var (publicKey, body, secret) = await PythonSignsAsync(payload);
        using var key = UftpSigningKey.Import(secret);
        Assert.Equal(publicKey, key.PublicKey);
        Assert.Equal(secret, key.ExportLibsodiumSecretKey());
        Assert.Equal(body, UftpSigner.Seal(payload, Trade.Agr, UftpRole.AGR, key).Body.ToArray());
    }

    [Fact]
    public async Task Tampered_body_is_refused_by_us_and_by_libsodium()
    {
        using var key = UftpSigningKey.Generate();
        var envelope = UftpSigner.Seal(PayloadBytes(), Trade.Agr, UftpRole.AGR, key);
        var tampered = envelope.Body.ToArray();
        tampered[^20] ^= 0x01;
        var bad = new SignedMessage(Trade.Agr, UftpRole.AGR, tampered);

        var error = Assert.Throws<UftpSignatureException>(() => UftpSigner.Open(bad, [key.PublicKey]));
        Assert.Equal(UftpSignatureFailure.BadSignature, error.Failure);
        Assert.Equal(3, (await PythonVerifiesAsync(key.PublicKey, tampered)).Code);
    }

    [Fact]
    public async Task Libsodium_signed_message_with_a_flipped_signature_bit_is_refused()
    {
        var (key, body, _) = await PythonSignsAsync(PayloadBytes());
        body[5] ^= 0x80;
        var error = Assert.Throws<UftpSignatureException>(() => UftpSigner.Open(new SignedMessage(Trade.Agr, UftpRole.AGR, body), [key]));
        Assert.Equal(UftpSignatureFailure.BadSignature, error.Failure);
    }

    [Fact]
    public async Task Wrong_key_is_refused_by_us_and_by_libsodium()
    {
        using var key = UftpSigningKey.Generate();
        using var other = UftpSigningKey.Generate();
        var envelope = UftpSigner.Seal(PayloadBytes(), Trade.Agr, UftpRole.AGR, key);

        Assert.Equal(UftpSignatureFailure.BadSignature, Assert.Throws<UftpSignatureException>(() => UftpSigner.Open(envelope, [other.PublicKey])).Failure);
        Assert.Equal(3, (await PythonVerifiesAsync(other.PublicKey, envelope.Body)).Code);
        // The right key among several (a key rollover) opens it.
        Assert.NotNull(UftpSigner.Open(envelope, [other.PublicKey, key.PublicKey]));
    }

    [Fact]
    public async Task Envelope_domain_differing_from_the_sealed_message_is_refused()
    {
        var (key, body, _) = await PythonSignsAsync(PayloadBytes(sender: "mallory.example.net"));
        var error = Assert.Throws<UftpSignatureException>(() => UftpSigner.Open(new SignedMessage(Trade.Agr, UftpRole.AGR, body), [key]));
        Assert.Equal(UftpSignatureFailure.SenderDomainMismatch, error.Failure);
    }

    [Fact]
    public void Envelope_role_that_may_not_send_the_sealed_type_is_refused()
    {
        using var key = UftpSigningKey.Generate();
        var envelope = UftpSigner.Seal(PayloadBytes(), Trade.Agr, UftpRole.DSO, key);
        var error = Assert.Throws<UftpSignatureException>(() => UftpSigner.Open(envelope, [key.PublicKey]));
        Assert.Equal(UftpSignatureFailure.SenderRoleMismatch, error.Failure);
    }

    [Fact]
    public void Body_shorter_than_a_signature_is_malformed()
    {
        using var key = UftpSigningKey.Generate();
        var error = Assert.Throws<UftpSignatureException>(() => UftpSigner.Open(new SignedMessage(Trade.Agr, UftpRole.AGR, new byte[10]), [key.PublicKey]));
        Assert.Equal(UftpSignatureFailure.MalformedBody, error.Failure);
    }

    [Fact]
    public void No_keys_means_unknown_sender() =>
        Assert.Equal(UftpSignatureFailure.UnknownSender, Assert.Throws<UftpSignatureException>(() => UftpSigner.Open(new SignedMessage(Trade.Agr, UftpRole.AGR, new byte[100]), [])).Failure);

    [Fact]
    public void Signed_valid_signature_over_hostile_xml_still_gives_a_format_error()
    {
        using var key = UftpSigningKey.Generate();
        var hostile = Encoding.UTF8.GetBytes("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><TestMessage/>");
        var envelope = UftpSigner.Seal(hostile, Trade.Agr, UftpRole.AGR, key);
        Assert.Equal("dtd", Assert.Throws<UftpFormatException>(() => UftpSigner.Open(envelope, [key.PublicKey])).Rule);
    }

    [Fact]
    public void Keys_of_wrong_length_are_refused()
    {
        Assert.Equal(UftpSignatureFailure.BadKey, Assert.Throws<UftpSignatureException>(() => UftpSigningKey.Import(new byte[31])).Failure);
        Assert.Equal(UftpSignatureFailure.BadKey, Assert.Throws<UftpSignatureException>(() => UftpPublicKey.FromBase64("AAAA")).Failure);
        using var a = UftpSigningKey.Generate();
        using var b = UftpSigningKey.Generate();
        var mixed = a.ExportLibsodiumSecretKey()[..32].Concat(b.PublicKey.Bytes.ToArray()).ToArray();
        Assert.Equal(UftpSignatureFailure.BadKey, Assert.Throws<UftpSignatureException>(() => UftpSigningKey.Import(mixed)).Failure);
    }
}
