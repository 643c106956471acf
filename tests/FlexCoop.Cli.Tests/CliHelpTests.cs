using FlexCoop.Testing;

namespace FlexCoop.Cli.Tests;

public sealed class CliHelpTests
{
    [Fact]
    public async Task Help_lists_the_command_groups_and_exit_codes()
    {
        var (code, stdout, _) = await Flexcoop.RunAsync("--help");
        Assert.Equal(0, code);
        Assert.Contains("openadr", stdout, StringComparison.Ordinal);
        Assert.Contains("certs", stdout, StringComparison.Ordinal);
        Assert.Contains("Exit codes", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_command_is_a_usage_error_with_exit_code_2()
    {
        var (code, _, stderr) = await Flexcoop.RunAsync("no-such-command");
        Assert.Equal(2, code);
        Assert.Contains("flexcoop:", stderr, StringComparison.Ordinal);
    }
}
