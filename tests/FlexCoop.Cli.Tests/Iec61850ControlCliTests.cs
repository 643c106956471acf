namespace FlexCoop.Cli.Tests;

/// <summary><c>flexcoop iec61850 control</c> and <c>reports</c> against a <c>serve</c> process of the example DER model.</summary>
public sealed class Iec61850ControlCliTests
{
    [Fact]
    public async Task Control_sbo_enhanced_selects_operates_and_prints_positive_termination()
    {
        await using var serve = await Iec61850MmsCliTests.ServeProcess.StartAsync();
        var (code, stdout, stderr) = await Flexcoop.RunAsync("iec61850", "control", serve.Endpoint, "DER1CTRL/CSWI1.Pos", "--value", "false", "--ctl-num", "5");
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("ctlModel sbo-with-enhanced-security", stdout, StringComparison.Ordinal);
        Assert.Contains("SelectWithValue: accepted", stdout, StringComparison.Ordinal);
        Assert.Contains("CommandTermination: positive", stdout, StringComparison.Ordinal);

        (code, stdout, _) = await Flexcoop.RunAsync("iec61850", "read", serve.Endpoint, "DER1CTRL/CSWI1.Pos.stVal", "ST");
        Assert.Equal(0, code);
        Assert.Contains("= 01", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Control_of_a_status_only_object_or_with_a_bad_check_fails()
    {
        await using var serve = await Iec61850MmsCliTests.ServeProcess.StartAsync();
        var (code, stdout, _) = await Flexcoop.RunAsync("iec61850", "control", serve.Endpoint, "DER1CTRL/XCBR1.Pos", "--value", "true");
        Assert.Equal(1, code);
        Assert.Contains("status-only", stdout, StringComparison.Ordinal);
        var (usage, _, stderr) = await Flexcoop.RunAsync("iec61850", "control", serve.Endpoint, "DER1CTRL/XCBR1.BlkOpn", "--value", "true", "--check", "blocking");
        Assert.Equal(2, usage);
        Assert.Contains("interlock or synchrocheck", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reports_with_gi_prints_the_general_interrogation_report()
    {
        await using var serve = await Iec61850MmsCliTests.ServeProcess.StartAsync();
        var (code, stdout, stderr) = await Flexcoop.RunAsync("iec61850", "reports", serve.Endpoint, "DER1CTRL/LLN0.urcbStatus01", "--gi", "--count", "1");
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("enabled DER1CTRL/LLN0.urcbStatus01 [RP]", stdout, StringComparison.Ordinal);
        Assert.Contains("report DER1CTRL/LLN0$RP$urcbStatus SqNum=0", stdout, StringComparison.Ordinal);
        Assert.Contains("DER1CTRL/XCBR1$ST$Pos = ", stdout, StringComparison.Ordinal);
        Assert.Contains("(gi)", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reports_with_integrity_period_prints_integrity_reports()
    {
        await using var serve = await Iec61850MmsCliTests.ServeProcess.StartAsync();
        var (code, stdout, stderr) = await Flexcoop.RunAsync("iec61850", "reports", serve.Endpoint, "DER1CTRL/LLN0.urcbStatus02", "--integrity", "100", "--count", "2");
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("SqNum=1", stdout, StringComparison.Ordinal);
        Assert.Contains("(integrity)", stdout, StringComparison.Ordinal);
    }
}
