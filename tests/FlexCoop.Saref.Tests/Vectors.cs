using FlexCoop.Testing;

namespace FlexCoop.Saref.Tests;

/// <summary>Our own test vectors under tests/FlexCoop.Saref.Tests/vectors/.</summary>
internal static class Vectors
{
    public static string Path(string name) => System.IO.Path.Combine(TestEnvironment.RepoRoot, "tests", "FlexCoop.Saref.Tests", "vectors", name);

    public static string Read(string name) => File.ReadAllText(Path(name));

    public static HomeDescription Home42() => DeviceDescriptionJson.Parse(Read("home-42.json"));
}
