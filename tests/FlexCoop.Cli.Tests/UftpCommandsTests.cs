using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FlexCoop.Testing;

namespace FlexCoop.Cli.Tests;

public sealed class UftpCommandsTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("uftp-cli-");

    private string F(string name) => Path.Combine(_dir.FullName, name);

    private static string Schemas => TestEnvironment.RequireShared("schemas/uftp");

    private static string Vector(string relative) => TestEnvironment.RequireShared(Path.Combine("vectors", "uftp", relative));

    private const string TestMessageXml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <TestMessage Version="3.1.0" SenderDomain="agr.example.org" RecipientDomain="dso.example.com" TimeStamp="2025-06-01T08:00:00Z" MessageID="{0}" ConversationID="6f0bf3f4-6a0e-4e9a-9f6c-2f4f1d5b7a10"/>
        """;

    [Fact]
    public async Task Keygen_sign_verify_round_trip_and_wrong_key_is_invalid()
    {
        var (code, stdout, _) = await Flexcoop.RunAsync("uftp", "keygen", "--out", F("agr"));
        Assert.Equal(0, code);
        Assert.Contains("public: ", stdout, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(File.ReadAllText(F("agr.pub")).Trim()).Length);
        Assert.Equal(64, Convert.FromBase64String(File.ReadAllText(F("agr.key")).Trim()).Length);

        (code, _, _) = await Flexcoop.RunAsync("uftp", "sign", "--key", F("agr.key"), "--out", F("offer.signed.xml"), Vector("shapeshifter-java-v3-conversation/FlexOffer.xml"));
        Assert.Equal(0, code);

        (code, stdout, _) = await Flexcoop.RunAsync("uftp", "verify", "--public-key", F("agr.pub"), "--payload-out", F("payload.xml"), F("offer.signed.xml"));
        Assert.Equal(0, code);
        Assert.Contains("ok: FlexOffer 338ed243-5517-4400-962e-2b7b812c468c from AGR aggregator.org", stdout, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(Vector("shapeshifter-java-v3-conversation/FlexOffer.xml")), File.ReadAllBytes(F("payload.xml")));

        await Flexcoop.RunAsync("uftp", "keygen", "--out", F("other"));
        (code, stdout, _) = await Flexcoop.RunAsync("uftp", "verify", "--public-key", F("other.pub"), F("offer.signed.xml"));
        Assert.Equal(1, code);
        Assert.Contains("invalid: signature: BadSignature", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keygen_refuses_to_overwrite_without_force()
    {
        Assert.Equal(0, (await Flexcoop.RunAsync("uftp", "keygen", "--out", F("k"))).ExitCode);
        var (code, _, stderr) = await Flexcoop.RunAsync("uftp", "keygen", "--out", F("k"));
        Assert.Equal(2, code);
        Assert.Contains("--force", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_prints_ok_for_each_valid_fixture_in_a_conversation()
    {
        var files = new[] { "FlexRequest.xml", "FlexRequestResponse.xml", "FlexOffer.xml", "FlexOfferResponse.xml", "FlexOrder.xml", "FlexOrderResponse.xml" }
            .Select(n => Vector("shapeshifter-java-v3-conversation/" + n)).ToArray();
        var (code, stdout, stderr) = await Flexcoop.RunAsync(["uftp", "validate", "--schemas", Schemas, .. files]);
        Assert.True(code == 0, stdout + stderr);
        Assert.Equal(files.Select(f => $"{f}: ok"), stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Fact]
    public async Task Validate_reports_schema_violations_with_rule_xsd_and_exit_1()
    {
        var invalid = Vector("uftplib-2022/TestFlexOffer.XML");
        var valid = Vector("uftplib-2022/TestD-Prognosis.XML");
        var (code, stdout, _) = await Flexcoop.RunAsync("uftp", "validate", "--schemas", Schemas, valid, invalid);
        Assert.Equal(1, code);
        Assert.Contains($"{valid}: ok", stdout, StringComparison.Ordinal);
        Assert.Contains($"{invalid}: invalid: xsd: ", stdout, StringComparison.Ordinal);
        Assert.Contains("OptionReference", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_refuses_external_entities_as_dtd()
    {
        var file = Vector("shapeshifter-java-negative/FlexRequestResponse_with_XXE_Attack.xml");
        var (code, stdout, _) = await Flexcoop.RunAsync("uftp", "validate", "--schemas", Schemas, file);
        Assert.Equal(1, code);
        Assert.Single(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith($"{file}: invalid: dtd: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Validate_reports_a_business_rule_by_name()
    {
        // 96 quarter hours on the day the clocks go forward in Amsterdam (which has 92).
        var isps = string.Concat(Enumerable.Range(1, 96).Select(i => $"<ISP Power=\"5\" Start=\"{i}\"/>"));
        File.WriteAllText(F("prognosis.xml"), $"""
            <D-Prognosis Version="3.1.0" SenderDomain="agr.example.org" RecipientDomain="dso.example.com" TimeStamp="2025-03-29T08:00:00Z" MessageID="6f0bf3f4-6a0e-4e9a-9f6c-2f4f1d5b7a11" ConversationID="6f0bf3f4-6a0e-4e9a-9f6c-2f4f1d5b7a12" ISP-Duration="PT15M" TimeZone="Europe/Amsterdam" Period="2025-03-30" CongestionPoint="ean.871685900012345678" Revision="1">{isps}</D-Prognosis>
            """);
        var (code, stdout, _) = await Flexcoop.RunAsync("uftp", "validate", "--schemas", Schemas, F("prognosis.xml"));
        Assert.Equal(1, code);
        Assert.Contains("invalid: isp-out-of-range: ", stdout, StringComparison.Ordinal);
        Assert.Contains("1..92", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_without_schemas_is_a_usage_error()
    {
        var (code, _, stderr) = await Flexcoop.RunInAsync(_dir.FullName, "uftp", "validate", "--schemas", F("nowhere"), Vector("uftplib-2022/TestD-Prognosis.XML"));
        Assert.Equal(2, code);
        Assert.Contains("--schemas", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_dso_over_https_accepts_a_signed_message_and_refuses_an_unknown_signer()
    {
        await Flexcoop.RunAsync("uftp", "keygen", "--out", F("agr"));
        await Flexcoop.RunAsync("uftp", "keygen", "--out", F("dso"));
        await Flexcoop.RunAsync("uftp", "keygen", "--out", F("stranger"));
        File.WriteAllText(F("participants.json"), $$"""
            [{ "domain": "agr.example.org", "role": "AGR", "endpoint": "https://127.0.0.1:9/shapeshifter/api/v3/message", "publicKeys": ["{{File.ReadAllText(F("agr.pub")).Trim()}}"] }]
            """);
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
            using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
            File.WriteAllBytes(F("server.pfx"), cert.Export(X509ContentType.Pkcs12));
            File.WriteAllBytes(F("server.cer"), cert.Export(X509ContentType.Cert));
        }
        File.WriteAllText(F("test.xml"), string.Format(System.Globalization.CultureInfo.InvariantCulture, TestMessageXml, Guid.NewGuid()));

        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _dir.FullName };
        foreach (var a in new[] { Flexcoop.DllPath, "uftp", "serve", "--role", "dso", "--domain", "dso.example.com", "--key", F("dso.key"), "--db", F("dso.db"),
                     "--listen", "127.0.0.1:0", "--cert", F("server.pfx"), "--participants", F("participants.json"), "--congestion-point", "ean.871685900012345678" })
        {
            psi.ArgumentList.Add(a);
        }
        using var serve = Process.Start(psi)!;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            string? url = null;
            while (url is null)
            {
                var line = await serve.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("serve exited: " + await serve.StandardError.ReadToEndAsync(timeout.Token));
                if (line.StartsWith("listening on ", StringComparison.Ordinal)) url = line["listening on ".Length..].Trim();
            }
            Assert.StartsWith("https://127.0.0.1:", url, StringComparison.Ordinal);

            var (code, stdout, stderr) = await Flexcoop.RunAsync("uftp", "send", "--to", url, "--role", "AGR", "--key", F("agr.key"), "--trust-cert", F("server.cer"), F("test.xml"));
            Assert.True(code == 0, stdout + stderr);
            Assert.Contains("HTTP 200", stdout, StringComparison.Ordinal);

            File.WriteAllText(F("test2.xml"), string.Format(System.Globalization.CultureInfo.InvariantCulture, TestMessageXml, Guid.NewGuid()));
            (code, stdout, _) = await Flexcoop.RunAsync("uftp", "send", "--to", url, "--role", "AGR", "--key", F("stranger.key"), "--trust-cert", F("server.cer"), F("test2.xml"));
            Assert.Equal(1, code);
            Assert.Contains("HTTP 401", stdout, StringComparison.Ordinal);

            (code, _, _) = await Flexcoop.RunAsync("uftp", "send", "--to", url, "--role", "AGR", "--key", F("agr.key"), F("test2.xml"));
            Assert.Equal(2, code); // self-signed certificate not trusted without --trust-cert: not delivered
        }
        finally
        {
            serve.Kill(entireProcessTree: true);
            await serve.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
