using FlexCoop.OpenAdr.Schema;

namespace FlexCoop.OpenAdr.Tests.Schema;

[CollectionDefinition(nameof(EnvironmentVariableCollection), DisableParallelization = true)]
public sealed class EnvironmentVariableCollection;

[Collection(nameof(EnvironmentVariableCollection))]
public sealed class OadrSchemaLocatorTests
{
    [Fact]
    public void Explicit_directory_holding_the_set_is_returned()
    {
        var directory = SchemaFixture.SchemaDirectory;

        Assert.Equal(Path.GetFullPath(directory), OadrSchemaLocator.Find(directory));
    }

    [Fact]
    public void Explicit_parent_holding_openadr20b_returns_the_subfolder()
    {
        var directory = SchemaFixture.SchemaDirectory;
        var parent = Path.GetDirectoryName(Path.GetFullPath(directory))!;

        Assert.Equal(Path.Combine(parent, "openadr20b"), OadrSchemaLocator.Find(parent));
    }

    [Fact]
    public void Explicit_directory_without_schemas_is_returned_so_loading_can_say_what_is_wrong()
    {
        using var temp = new TempDirectory();

        Assert.Equal(temp.Path, OadrSchemaLocator.Find(temp.Path));
    }

    [Fact]
    public void Environment_variable_is_used_when_no_directory_is_given()
    {
        var parent = Path.GetDirectoryName(Path.GetFullPath(SchemaFixture.SchemaDirectory))!;
        var previous = Environment.GetEnvironmentVariable(OadrSchemaLocator.EnvironmentVariable);
        Environment.SetEnvironmentVariable(OadrSchemaLocator.EnvironmentVariable, parent);
        try
        {
            Assert.Equal(Path.Combine(parent, "openadr20b"), OadrSchemaLocator.Find(null));
        }
        finally
        {
            Environment.SetEnvironmentVariable(OadrSchemaLocator.EnvironmentVariable, previous);
        }
    }

    [Fact]
    public void Without_directory_or_variable_the_shared_folder_beside_the_checkout_is_found()
    {
        var expected = Path.GetFullPath(SchemaFixture.SchemaDirectory);
        var previous = Environment.GetEnvironmentVariable(OadrSchemaLocator.EnvironmentVariable);
        Environment.SetEnvironmentVariable(OadrSchemaLocator.EnvironmentVariable, null);
        try
        {
            // The test runs from bin/ inside the checkout: walking up reaches ../shared/schemas/openadr20b.
            Assert.Equal(expected, OadrSchemaLocator.Find(null));
        }
        finally
        {
            Environment.SetEnvironmentVariable(OadrSchemaLocator.EnvironmentVariable, previous);
        }
    }
}
