using FlexCoop.Testing;

namespace FlexCoop.Cli.Tests;

/// <summary><c>flexcoop iec61850 scl check|tree|generate</c> run as a user would.</summary>
public sealed class Iec61850SclTests
{
    private static string DerUnit => Path.Combine(TestEnvironment.RepoRoot, "schemas", "iec61850", "der-unit.cid");

    private static string Vector(string relative) =>
        Path.Combine(TestEnvironment.RepoRoot, "tests", "FlexCoop.Iec61850.Tests", "vectors", "scl", relative);

    [Fact]
    public async Task Scl_check_of_the_der_unit_passes_with_a_summary()
    {
        var (code, stdout, stderr) = await Flexcoop.RunAsync("iec61850", "scl", "check", DerUnit);
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("IED DER1: 3 LDs, 17 LNs, 84 DOs,", stdout, StringComparison.Ordinal);
        Assert.Contains("4 data sets, 5 RCBs", stdout, StringComparison.Ordinal);
        Assert.Contains("0 error(s), 0 warning(s), edition 2 (2007)", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scl_check_of_a_defect_prints_file_line_column_and_code_and_exits_1()
    {
        var path = Vector(Path.Combine("defects", "unknown-dotype.icd"));
        var line = Array.FindIndex(File.ReadAllLines(path), l => l.Contains("<!--DEFECT-->", StringComparison.Ordinal)) + 1;
        var (code, stdout, _) = await Flexcoop.RunAsync("iec61850", "scl", "check", path);
        Assert.Equal(1, code);
        Assert.Contains($"{path}:{line}:7: error unknown-dotype: DO 'Cnt' has type 'INS_X', which is no DOType", stdout, StringComparison.Ordinal);
        Assert.Contains("1 error(s)", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scl_check_of_a_file_with_a_dtd_exits_2()
    {
        var path = Path.Combine(Path.GetTempPath(), $"flexcoop-dtd-{Guid.NewGuid():N}.scd");
        await File.WriteAllTextAsync(path, "<?xml version=\"1.0\"?><!DOCTYPE SCL [<!ENTITY a \"b\">]><SCL xmlns=\"http://www.iec.ch/61850/2003/SCL\"/>", TestContext.Current.CancellationToken);
        try
        {
            var (code, _, stderr) = await Flexcoop.RunAsync("iec61850", "scl", "check", path);
            Assert.Equal(2, code);
            Assert.Contains("error dtd:", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Scl_check_of_a_missing_file_exits_2()
    {
        var (code, _, stderr) = await Flexcoop.RunAsync("iec61850", "scl", "check", Path.Combine(Path.GetTempPath(), "no-such-model.cid"));
        Assert.Equal(2, code);
        Assert.Contains("file not found", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scl_check_with_an_unknown_ied_exits_1()
    {
        var (code, stdout, _) = await Flexcoop.RunAsync("iec61850", "scl", "check", DerUnit, "--ied", "NOPE");
        Assert.Equal(1, code);
        Assert.Contains("no IED named 'NOPE'", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scl_tree_shows_types_fcs_and_values()
    {
        var (code, stdout, stderr) = await Flexcoop.RunAsync("iec61850", "scl", "tree", DerUnit);
        Assert.True(code == 0, stderr);
        Assert.Contains("    LN CSWI1 (CSWI_DER)", stdout, StringComparison.Ordinal);
        Assert.Contains("ctlModel [CF] Enum(CtlModelKind) = sbo-with-enhanced-security", stdout, StringComparison.Ordinal);
        Assert.Contains("f [SG] FLOAT32 = 10000", stdout, StringComparison.Ordinal);
        Assert.Contains("BRCB brcbMeas01 [BR] -> Measurements", stdout, StringComparison.Ordinal);
        Assert.Contains("TrgOps [BR] TrgOps = dchg qchg period gi", stdout, StringComparison.Ordinal);
        Assert.Contains("Addr [GO] Octet6 = 010CCD010001", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scl_tree_mms_shows_the_8_1_names()
    {
        var (code, stdout, stderr) = await Flexcoop.RunAsync("iec61850", "scl", "tree", "--mms", DerUnit);
        Assert.True(code == 0, stderr);
        Assert.Contains("domain DER1PV", stdout, StringComparison.Ordinal);
        Assert.Contains("CSWI1$CO$Pos$SBOw$ctlVal BOOLEAN", stdout, StringComparison.Ordinal);
        Assert.Contains("LLN0$Measurements (named variable list, 5 members)", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scl_generate_writes_a_model_that_checks_clean()
    {
        var path = Path.Combine(Path.GetTempPath(), $"flexcoop-gen-{Guid.NewGuid():N}.cid");
        try
        {
            var (code, _, stderr) = await Flexcoop.RunAsync("iec61850", "scl", "generate", "--attributes", "1234", "--ied", "BIG", "-o", path);
            Assert.True(code == 0, stderr);
            var (checkCode, stdout, _) = await Flexcoop.RunAsync("iec61850", "scl", "check", path);
            Assert.Equal(0, checkCode);
            Assert.Contains("IED BIG:", stdout, StringComparison.Ordinal);
            Assert.Contains("1234 DAs", stdout, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Scl_generate_below_three_attributes_is_a_usage_error()
    {
        var (code, _, stderr) = await Flexcoop.RunAsync("iec61850", "scl", "generate", "--attributes", "2");
        Assert.Equal(2, code);
        Assert.Contains("at least 3", stderr, StringComparison.Ordinal);
    }
}
