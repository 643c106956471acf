using FlexCoop.Testing;

namespace FlexCoop.Iec61850.Tests.Scl;

/// <summary>Where our own SCL files are: the test vectors and the example models under schemas/.</summary>
internal static class SclVectors
{
    public static string Dir => Path.Combine(TestEnvironment.RepoRoot, "tests", "FlexCoop.Iec61850.Tests", "vectors", "scl");

    public static string Path2007 => Path.Combine(Dir, "small-2007.icd");

    public static string Path2003 => Path.Combine(Dir, "small-2003.icd");

    public static string Defect(string name) => Path.Combine(Dir, "defects", name + ".icd");

    public static string DerUnit => Path.Combine(TestEnvironment.RepoRoot, "schemas", "iec61850", "der-unit.cid");

    public static string Generated10000 => Path.Combine(TestEnvironment.RepoRoot, "schemas", "iec61850", "generated-10000.cid");

    /// <summary>The 1-based line holding <paramref name="marker"/>; fails when there is not exactly one.</summary>
    public static int LineOf(string path, string marker)
    {
        var lines = File.ReadAllLines(path);
        var found = Enumerable.Range(0, lines.Length).Where(i => lines[i].Contains(marker, StringComparison.Ordinal)).ToList();
        Assert.Single(found);
        return found[0] + 1;
    }
}
