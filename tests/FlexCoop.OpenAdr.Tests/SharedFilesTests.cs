using FlexCoop.Testing;

namespace FlexCoop.OpenAdr.Tests;

public sealed class SharedFilesTests
{
    [Fact]
    public void Official_schema_set_is_found_beside_the_checkout()
    {
        var dir = TestEnvironment.RequireShared("schemas/openadr20b");
        Assert.True(File.Exists(Path.Combine(dir, "oadr_20b.xsd")));
    }
}
