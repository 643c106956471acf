using FlexCoop.Testing;

namespace FlexCoop.Cli.Tests;

public sealed class OpenAdrFormatCliTests
{
    private static string Sample(string name) => TestEnvironment.RequireShared("vectors/openadr20b/alliance-spec-samples/" + name);

    [Fact]
    public async Task Format_writes_canonical_xml_that_validates_and_is_stable()
    {
        var schemas = TestEnvironment.RequireShared("schemas/openadr20b");
        var input = Sample("batch_c_1.xml");
        var (code, stdout, stderr) = await Flexcoop.RunAsync("openadr", "format", input);
        Assert.True(code == 0, stderr);
        Assert.Contains("<oadr:oadrDistributeEvent", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("schemaLocation", stdout, StringComparison.Ordinal);

        var dir = Directory.CreateTempSubdirectory("flexcoop-format-");
        try
        {
            var once = Path.Combine(dir.FullName, "once.xml");
            await File.WriteAllTextAsync(once, stdout, TestContext.Current.CancellationToken);
            var validate = await Flexcoop.RunAsync("openadr", "validate", "--schemas", schemas, once);
            Assert.True(validate.ExitCode == 0, validate.StdOut + validate.StdErr);

            // Formatting canonical output changes nothing.
            var twice = await Flexcoop.RunAsync("openadr", "format", once);
            Assert.Equal(0, twice.ExitCode);
            Assert.Equal(stdout, twice.StdOut);

            var wrapped = await Flexcoop.RunAsync("openadr", "format", "--wrap", once);
            Assert.Equal(0, wrapped.ExitCode);
            Assert.Contains("<oadr:oadrPayload", wrapped.StdOut, StringComparison.Ordinal);
            Assert.Contains("<oadr:oadrSignedObject", wrapped.StdOut, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Format_of_unreadable_message_exits_1_with_the_violation()
    {
        var input = Sample("Sample_oadrCreateReport.xml");
        var (code, stdout, stderr) = await Flexcoop.RunAsync("openadr", "format", input);
        Assert.Equal(1, code);
        Assert.Equal("", stdout.Trim());
        Assert.StartsWith($"{input}: invalid: xsd: ", stderr.Trim(), StringComparison.Ordinal);
        Assert.Contains("reportBackDuration", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Format_with_both_bare_and_wrap_is_a_usage_error()
    {
        var (code, _, stderr) = await Flexcoop.RunAsync("openadr", "format", "--bare", "--wrap", Sample("batch_a_1.xml"));
        Assert.Equal(2, code);
        Assert.Contains("exclude", stderr, StringComparison.Ordinal);
    }
}
