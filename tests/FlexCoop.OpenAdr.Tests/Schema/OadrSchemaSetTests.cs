using FlexCoop.OpenAdr.Schema;
using FlexCoop.Testing;

namespace FlexCoop.OpenAdr.Tests.Schema;

public sealed class OadrSchemaSetTests
{
    [Fact]
    public void Load_compiles_every_namespace_of_the_official_set_including_replay_protect()
    {
        var set = OadrSchemaSet.Load(SchemaFixture.SchemaDirectory);

        Assert.Contains("http://openadr.org/oadr-2.0b/2012/07", set.Namespaces);
        Assert.Contains("http://www.w3.org/2000/09/xmldsig#", set.Namespaces);
        Assert.Contains("http://openadr.org/oadr-2.0b/2012/07/xmldsig-properties", set.Namespaces);
        Assert.Contains("http://docs.oasis-open.org/ns/energyinterop/201110", set.Namespaces);
    }

    [Fact]
    public void Load_returns_one_cached_set_per_directory_across_threads()
    {
        var directory = SchemaFixture.SchemaDirectory;

        var sets = new OadrSchemaSet[8];
        Parallel.For(0, sets.Length, i => sets[i] = OadrSchemaSet.Load(i % 2 == 0 ? directory : directory + Path.DirectorySeparatorChar));

        Assert.All(sets, s => Assert.Same(sets[0], s));
    }

    [Fact]
    public void Load_of_a_missing_directory_is_a_typed_error_naming_it()
    {
        var missing = Path.Combine(Path.GetTempPath(), "flexcoop-no-such-dir-" + Guid.NewGuid().ToString("N"));

        var ex = Assert.Throws<OadrSchemaException>(() => OadrSchemaSet.Load(missing));

        Assert.Equal(missing, ex.Directory);
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_of_a_directory_without_the_root_schema_is_a_typed_error()
    {
        using var temp = new TempDirectory();

        var ex = Assert.Throws<OadrSchemaException>(() => OadrSchemaSet.Load(temp.Path));

        Assert.Contains("oadr_20b.xsd is missing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_with_an_imported_file_missing_names_it_and_succeeds_once_it_is_back()
    {
        using var temp = new TempDirectory();
        foreach (var file in Directory.GetFiles(SchemaFixture.SchemaDirectory, "*.xsd"))
        {
            File.Copy(file, Path.Combine(temp.Path, Path.GetFileName(file)));
        }
        var moved = Path.Combine(temp.Path, "oadr_ei_20b.xsd");
        File.Move(moved, moved + ".away");

        var ex = Assert.Throws<OadrSchemaException>(() => OadrSchemaSet.Load(temp.Path));
        Assert.Contains("oadr_ei_20b.xsd", ex.Message, StringComparison.Ordinal);

        File.Move(moved + ".away", moved);
        Assert.NotNull(OadrSchemaSet.Load(temp.Path));
    }

    [Fact]
    public void Import_reaching_outside_the_directory_is_refused()
    {
        using var outside = new TempDirectory();
        using var temp = new TempDirectory();
        File.WriteAllText(Path.Combine(outside.Path, "other.xsd"),
            """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:other"><xs:element name="x"/></xs:schema>""");
        File.WriteAllText(Path.Combine(temp.Path, OadrSchemaSet.RootFileName),
            $"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:root"><xs:import namespace="urn:other" schemaLocation="../{Path.GetFileName(outside.Path)}/other.xsd"/><xs:element name="r"/></xs:schema>""");

        var ex = Assert.Throws<OadrSchemaException>(() => OadrSchemaSet.Load(temp.Path));

        Assert.Contains("outside the schema directory", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_from_the_network_is_refused()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(Path.Combine(temp.Path, OadrSchemaSet.RootFileName),
            """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:root"><xs:import namespace="urn:other" schemaLocation="http://127.0.0.1:9/other.xsd"/><xs:element name="r"/></xs:schema>""");

        var ex = Assert.Throws<OadrSchemaException>(() => OadrSchemaSet.Load(temp.Path));

        Assert.Contains("network", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Schema_file_with_a_dtd_is_refused()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(Path.Combine(temp.Path, OadrSchemaSet.RootFileName),
            """<?xml version="1.0"?><!DOCTYPE xs:schema [<!ENTITY e "x">]><xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:root"><xs:element name="r"/></xs:schema>""");

        var ex = Assert.Throws<OadrSchemaException>(() => OadrSchemaSet.Load(temp.Path));

        Assert.Contains("DTD", ex.Message, StringComparison.Ordinal);
    }
}

/// <summary>A fresh directory under the system temp folder, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "flexcoop-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder is harmless.
        }
    }
}
