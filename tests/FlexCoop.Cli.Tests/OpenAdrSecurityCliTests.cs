using System.Text;
using FlexCoop.Testing;

namespace FlexCoop.Cli.Tests;

/// <summary>A test PKI made once with <c>flexcoop certs create</c> for the sign/verify tests.</summary>
public sealed class CliPkiFixture : IAsyncLifetime
{
    private readonly CliTempDirectory _temp = new();

    public string Directory => Path.Combine(_temp.Path, "pki");

    public string File(string name) => Path.Combine(Directory, name);

    public async ValueTask InitializeAsync()
    {
        var (code, _, stderr) = await Flexcoop.RunAsync("certs", "create", "--out", Directory);
        Assert.True(code == 0, stderr);
    }

    public ValueTask DisposeAsync()
    {
        _temp.Dispose();
        return ValueTask.CompletedTask;
    }
}

public sealed class OpenAdrSecurityCliTests(CliPkiFixture pki) : IClassFixture<CliPkiFixture>
{
    private static string Poll() => Path.Combine(TestEnvironment.RequireShared("vectors/openadr20b/avob-OpenADR/model20b"), "poll", "oadrPoll.xml");

    [Theory]
    [InlineData("ven-rsa")]
    [InlineData("ven-ecc")]
    [InlineData("ven-hybrid")]
    public async Task Sign_with_a_ven_key_then_verify_with_the_trusted_ca_is_ok(string ven)
    {
        var message = Poll();
        using var temp = new CliTempDirectory();
        var signed = Path.Combine(temp.Path, "signed.xml");

        var sign = await Flexcoop.RunAsync("openadr", "sign", "--cert", pki.File(ven + ".crt"), "--key", pki.File(ven + ".key"), "--out", signed, message);
        var verify = await Flexcoop.RunAsync("openadr", "verify", "--trusted", pki.File("ca-bundle.crt"), signed);

        Assert.True(sign.ExitCode == 0, sign.StdErr);
        Assert.Equal(0, verify.ExitCode);
        Assert.Equal($"{signed}: ok", verify.StdOut.Trim());
    }

    [Fact]
    public async Task Sign_writes_to_standard_output_and_a_tampered_copy_fails_with_exit_1()
    {
        var message = Poll();
        using var temp = new CliTempDirectory();

        var sign = await Flexcoop.RunAsync("openadr", "sign", "--cert", pki.File("ven-ecc.crt"), "--key", pki.File("ven-ecc.key"), message);
        Assert.True(sign.ExitCode == 0, sign.StdErr);
        Assert.Contains("ecdsa-sha256", sign.StdOut, StringComparison.Ordinal);
        var good = Path.Combine(temp.Path, "good.xml");
        var bad = Path.Combine(temp.Path, "bad.xml");
        System.IO.File.WriteAllText(good, sign.StdOut);
        var venId = System.Text.RegularExpressions.Regex.Match(sign.StdOut, "<ei:venID>([^<]*)</ei:venID>").Groups[1].Value;
        Assert.NotEmpty(venId);
        System.IO.File.WriteAllText(bad, sign.StdOut.Replace($"<ei:venID>{venId}</ei:venID>", "<ei:venID>someone-else</ei:venID>", StringComparison.Ordinal));

        var verify = await Flexcoop.RunAsync("openadr", "verify", "--trusted", pki.File("ca-ecc.crt"), good, bad);

        Assert.Equal(1, verify.ExitCode);
        var lines = verify.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal($"{good}: ok", lines[0]);
        Assert.StartsWith($"{bad}: invalid: signature: DigestMismatch: ", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Captured_message_needs_the_clock_pinned_with_at()
    {
        var message = Poll();
        using var temp = new CliTempDirectory();
        var signed = Path.Combine(temp.Path, "signed.xml");
        var sign = await Flexcoop.RunAsync("openadr", "sign", "--cert", pki.File("ven-rsa.crt"), "--key", pki.File("ven-rsa.key"), "--out", signed, message);
        Assert.True(sign.ExitCode == 0, sign.StdErr);
        var stamp = System.Text.RegularExpressions.Regex.Match(System.IO.File.ReadAllText(signed), "<dsp:timestamp>([^<]*)</dsp:timestamp>").Groups[1].Value;
        var signedAt = DateTimeOffset.Parse(stamp, System.Globalization.CultureInfo.InvariantCulture);

        var later = await Flexcoop.RunAsync("openadr", "verify", "--trusted", pki.File("ca-rsa.crt"), "--at", signedAt.AddHours(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture), signed);
        var pinned = await Flexcoop.RunAsync("openadr", "verify", "--trusted", pki.File("ca-rsa.crt"), "--at", signedAt.AddSeconds(3).ToString("O", System.Globalization.CultureInfo.InvariantCulture), signed);
        var skipped = await Flexcoop.RunAsync("openadr", "verify", "--trusted", pki.File("ca-rsa.crt"), "--no-replay-window", signed);

        Assert.Equal(1, later.ExitCode);
        Assert.StartsWith($"{signed}: invalid: signature: ReplayWindowExceeded: ", later.StdOut, StringComparison.Ordinal);
        Assert.Equal($"{signed}: ok", pinned.StdOut.Trim());
        Assert.Equal(0, skipped.ExitCode);
    }

    [Fact]
    public async Task Untrusted_ca_and_unsigned_message_are_invalid()
    {
        var message = Poll();
        using var temp = new CliTempDirectory();
        var signed = Path.Combine(temp.Path, "signed.xml");
        await Flexcoop.RunAsync("openadr", "sign", "--cert", pki.File("ven-ecc.crt"), "--key", pki.File("ven-ecc.key"), "--out", signed, message);

        var result = await Flexcoop.RunAsync("openadr", "verify", "--trusted", pki.File("ca-rsa.crt"), signed, message);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{signed}: invalid: signature: UntrustedCertificate: ", result.StdOut, StringComparison.Ordinal);
        Assert.Contains($"{message}: invalid: signature: NoSignature: ", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Usage_and_environment_errors_exit_2()
    {
        var message = Poll();

        var conflicting = await Flexcoop.RunAsync("openadr", "verify", "--at", "2026-01-01T00:00:00Z", "--no-replay-window", message);
        var badTime = await Flexcoop.RunAsync("openadr", "verify", "--at", "yesterday", message);
        var missingFile = await Flexcoop.RunAsync("openadr", "verify", "/no/such/file.xml");
        var unreadableCert = await Flexcoop.RunAsync("openadr", "fingerprint", message);
        var missingCert = await Flexcoop.RunAsync("openadr", "fingerprint", "/no/such/cert.pem");
        var wrongKey = await Flexcoop.RunAsync("openadr", "sign", "--cert", pki.File("ven-ecc.crt"), "--key", pki.File("ven-rsa.key"), message);

        Assert.All(new[] { conflicting, badTime, missingFile, unreadableCert, missingCert, wrongKey }, r => Assert.Equal(2, r.ExitCode));
        Assert.Contains("--at and --no-replay-window", conflicting.StdErr, StringComparison.Ordinal);
        Assert.Contains("ISO 8601", badTime.StdErr, StringComparison.Ordinal);
        Assert.Contains("not an X.509 certificate", unreadableCert.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_something_that_is_not_xml_exits_1_with_the_rule()
    {
        using var temp = new CliTempDirectory();
        var notXml = Path.Combine(temp.Path, "not.xml");
        System.IO.File.WriteAllText(notXml, "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>", Encoding.UTF8);

        var result = await Flexcoop.RunAsync("openadr", "sign", "--cert", pki.File("ven-ecc.crt"), "--key", pki.File("ven-ecc.key"), notXml);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{notXml}: invalid: dtd: ", result.StdErr, StringComparison.Ordinal);
        Assert.Empty(result.StdOut);
    }

    [Fact]
    public async Task Fingerprint_of_the_published_vector_matches_in_both_profiles()
    {
        var dir = TestEnvironment.RequireShared("vectors/openadr20b/avob-OpenADR/fingerprint-vectors");

        var b = await Flexcoop.RunAsync("openadr", "fingerprint", Path.Combine(dir, "test.crt"));
        var a = await Flexcoop.RunAsync("openadr", "fingerprint", "--20a", Path.Combine(dir, "test.crt"));

        Assert.Equal("F2:50:43:4D:2F:78:59:F3:51:7D", b.StdOut.Trim());
        Assert.Equal("4C:6B:8F:C4:E8:38:5A:3B:89:80", a.StdOut.Trim());
        Assert.Equal(System.IO.File.ReadAllText(Path.Combine(dir, "test.fingerprint")).Trim(), b.StdOut.Trim().Replace(":", "", StringComparison.Ordinal).ToLowerInvariant());
    }
}
