using FlexCoop.Testing;

namespace FlexCoop.Cli.Tests;

public sealed class OpenAdrValidateCliTests
{
    private static string Schemas => TestEnvironment.RequireShared("schemas/openadr20b");

    private static string Sample(string name) => TestEnvironment.RequireShared("vectors/openadr20b/alliance-spec-samples/" + name);

    [Fact]
    public async Task Valid_message_prints_ok_and_exits_0()
    {
        var file = Sample("batch_a_1.xml");
        var (code, stdout, stderr) = await Flexcoop.RunAsync("openadr", "validate", "--schemas", Schemas, file);
        Assert.True(code == 0, stdout + stderr);
        Assert.Equal($"{file}: ok", stdout.Trim());
    }

    [Fact]
    public async Task Schema_violations_print_one_line_each_with_rule_xsd_and_exit_1()
    {
        var file = Sample("Sample_oadrCreateReport.xml");
        var (code, stdout, _) = await Flexcoop.RunAsync("openadr", "validate", "--schemas", Schemas, file);
        Assert.Equal(1, code);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith($"{file}: invalid: xsd: ", StringComparison.Ordinal) && l.Contains("reportBackDuration", StringComparison.Ordinal));
        // The spec sample also names a schema location, which rule 45 forbids on the wire.
        Assert.Contains(lines, l => l.StartsWith($"{file}: invalid: rule 45: ", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.StartsWith($"{file}: invalid: ", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Mixed_files_exit_1_and_each_file_gets_its_verdict()
    {
        var good = Sample("batch_b_1.xml");
        var bad = Sample("Sample_oadrPoll.xml");
        var (code, stdout, _) = await Flexcoop.RunAsync("openadr", "validate", "--schemas", Schemas, good, bad);
        Assert.Equal(1, code);
        Assert.Contains($"{good}: ok", stdout, StringComparison.Ordinal);
        Assert.Contains($"{bad}: invalid: rule 45: ", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_file_is_an_environment_error_exit_2()
    {
        var (code, _, stderr) = await Flexcoop.RunAsync("openadr", "validate", "--schemas", Schemas, "/nonexistent/message.xml");
        Assert.Equal(2, code);
        Assert.Contains("/nonexistent/message.xml", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schemas_not_found_is_exit_2_with_advice_and_no_xsd_checks_rules_only()
    {
        var dir = Directory.CreateTempSubdirectory("flexcoop-noschemas-");
        try
        {
            var file = Path.Combine(dir.FullName, "m.xml");
            await File.WriteAllTextAsync(file, """
                <oadr:oadrPoll xmlns:oadr="http://openadr.org/oadr-2.0b/2012/07" xmlns:ei="http://docs.oasis-open.org/ns/energyinterop/201110" ei:schemaVersion="2.0b"><ei:venID>ven-1</ei:venID></oadr:oadrPoll>
                """, TestContext.Current.CancellationToken);
            var (code, _, stderr) = await Flexcoop.RunAsync("openadr", "validate", "--schemas", Path.Combine(dir.FullName, "nothing-here"), file);
            Assert.Equal(2, code);
            Assert.Contains("oadr_20b.xsd", stderr, StringComparison.Ordinal);

            var rulesOnly = await Flexcoop.RunAsync("openadr", "validate", "--no-xsd", file);
            Assert.True(rulesOnly.ExitCode == 0, rulesOnly.StdOut + rulesOnly.StdErr);
            Assert.Equal($"{file}: ok", rulesOnly.StdOut.Trim());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task External_entity_is_refused_as_invalid_and_never_read()
    {
        var dir = Directory.CreateTempSubdirectory("flexcoop-xxe-");
        try
        {
            var secret = Path.Combine(dir.FullName, "secret.txt");
            await File.WriteAllTextAsync(secret, "TOP-SECRET-CONTENT", TestContext.Current.CancellationToken);
            var file = Path.Combine(dir.FullName, "xxe.xml");
            await File.WriteAllTextAsync(file, $"""
                <?xml version="1.0"?>
                <!DOCTYPE oadrPoll [<!ENTITY x SYSTEM "file://{secret}">]>
                <oadr:oadrPoll xmlns:oadr="http://openadr.org/oadr-2.0b/2012/07" xmlns:ei="http://docs.oasis-open.org/ns/energyinterop/201110"><ei:venID>&x;</ei:venID></oadr:oadrPoll>
                """, TestContext.Current.CancellationToken);
            var (code, stdout, stderr) = await Flexcoop.RunAsync("openadr", "validate", "--schemas", Schemas, file);
            Assert.Equal(1, code);
            Assert.StartsWith($"{file}: invalid: dtd: ", stdout.Trim(), StringComparison.Ordinal);
            Assert.DoesNotContain("TOP-SECRET-CONTENT", stdout + stderr, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
