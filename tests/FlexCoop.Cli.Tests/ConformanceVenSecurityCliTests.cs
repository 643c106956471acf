namespace FlexCoop.Cli.Tests;

/// <summary><c>flexcoop conformance ven --security high</c> against <c>flexcoop ven run --security high</c> over mutual TLS with a PKI from <c>certs create</c>.</summary>
public sealed partial class ConformanceOpenAdrCliTests
{
    [Fact]
    public async Task Conformance_ven_at_high_security_certifies_a_signing_ven_run_and_refuses_plain_http()
    {
        Assert.Equal(2, (await Flexcoop.RunAsync("conformance", "ven", "--listen", "http://127.0.0.1:0", "--no-xsd", "--security", "high")).ExitCode);
        Assert.Equal(2, (await Flexcoop.RunAsync("conformance", "ven", "--listen", "http://127.0.0.1:0", "--no-xsd", "--security", "extreme")).ExitCode);

        var dir = Directory.CreateTempSubdirectory("flexcoop-conformance-high-").FullName;
        string P(string file) => Path.Combine(dir, "pki", file);
        var junit = Path.Combine(dir, "ven.xml");
        var pics = Path.Combine(dir, "pics.ini");
        try
        {
            await File.WriteAllTextAsync(pics, "xml-signature = yes\n", Ct);
            Assert.Equal(0, (await Flexcoop.RunAsync("certs", "create", "--out", Path.Combine(dir, "pki"))).ExitCode);
            var (code, text) = await RunAgainstVenRunAsync(
                ["--listen", "https://127.0.0.1:0", "--security", "high", "--no-xsd", "--time-scale", "0.1",
                    "--tls-cert", P("vtn-ecc.crt"), "--tls-key", P("vtn-ecc.key"), "--ca", P("ca-rsa.crt"), "--ca", P("ca-ecc.crt"),
                    "--pics", pics, "--cases", "G1_4011,E1_1020", "--junit", junit],
                url => ["--security", "high", "--vtn", url, "--ven-name", "dut", "--state", Path.Combine(dir, "ven.db"),
                    "--cert", P("ven-ecc.crt"), "--key", P("ven-ecc.key"), "--ca", P("ca-rsa.crt"), "--ca", P("ca-ecc.crt")]);
            Assert.True(code == 0, text);
            Assert.Contains("high security", text, StringComparison.Ordinal);
            ConformanceJUnit.AssertAllPassed(junit, 2);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
