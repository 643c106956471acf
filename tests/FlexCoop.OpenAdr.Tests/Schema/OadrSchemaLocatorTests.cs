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
    public void Without_directory_or_variable_a_shared_schemas_folder_above_the_working_directory_is_found()
    {
        var previous = Environment.GetEnvironmentVariable(OadrSchemaLocator.EnvironmentVariable);
        Environment.SetEnvironmentVariable(OadrSchemaLocator.EnvironmentVariable, null);
        try
        {
            // The test runs from bin/ inside the checkout: walking up reaches ../shared/schemas/openadr20b
            // when the workplace's shared folder sits beside the checkout (or beside one of its parents).
            var found = OadrSchemaLocator.Find(null);
            if (found is null && Environment.GetEnvironmentVariable("FLEXCOOP_SHARED") is { Length: > 0 })
            {
                Assert.Skip("the shared folder is given by FLEXCOOP_SHARED and is not above the checkout");
            }

            Assert.NotNull(found);
            Assert.True(File.Exists(Path.Combine(found, OadrSchemaSet.RootFileName)));
            Assert.EndsWith(Path.Combine("schemas", "openadr20b"), found, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(OadrSchemaLocator.EnvironmentVariable, previous);
        }
    }
}
