using FlexCoop.Testing;

namespace FlexCoop.OpenAdr.Tests.Codec;

/// <summary>Our own wire vectors under tests/FlexCoop.OpenAdr.Tests/vectors/openadr20b (also the CLI's examples).</summary>
internal static class Vectors
{
    public static string Directory => Path.Combine(TestEnvironment.RepoRoot, "tests", "FlexCoop.OpenAdr.Tests", "vectors", "openadr20b");

    public static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(Directory, name));
}
