using System.Collections.Concurrent;
using System.Xml;
using System.Xml.Schema;
using FlexCoop.Testing;

namespace FlexCoop.OpenAdr.Tests.Codec;

/// <summary>
/// The official 2.0b schema set, loaded from the shared folder with a resolver that can read nothing
/// outside it, and xmllint run on the same files: two independent validators for the codec's output.
/// </summary>
internal static class OadrSchemaSupport
{
    private static readonly Lazy<XmlSchemaSet> Schemas = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string SchemaDirectory => Path.Combine(TestEnvironment.SharedDir, "schemas", "openadr20b");

    /// <summary>The compiled schema set; the test is skipped (fails in CI) when the shared folder is absent.</summary>
    public static XmlSchemaSet Require()
    {
        TestEnvironment.RequireShared("schemas/openadr20b/oadr_20b.xsd");
        return Schemas.Value;
    }

    /// <summary>The schema errors in <paramref name="xml"/> (empty when valid).</summary>
    public static IReadOnlyList<string> Validate(byte[] xml)
    {
        var errors = new List<string>();
        var settings = new XmlReaderSettings
        {
            ValidationType = ValidationType.Schema,
            Schemas = Require(),
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
        };
        // Errors only: warnings are about content the schema leaves open (lax xs:any), e.g. signature properties.
        settings.ValidationEventHandler += (_, e) =>
        {
            if (e.Severity == XmlSeverityType.Error) errors.Add($"line {e.Exception?.LineNumber}: {e.Message}");
        };
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(xml), settings);
            while (reader.Read())
            {
            }
        }
        catch (XmlException ex)
        {
            errors.Add("not well-formed: " + ex.Message);
        }
        return errors;
    }

    /// <summary>Runs <c>xmllint --schema</c> on the bytes; returns its exit code and messages.</summary>
    public static async Task<(int ExitCode, string Output)> XmllintAsync(byte[] xml)
    {
        var xmllint = TestEnvironment.RequireTool("xmllint", "libxml2-utils");
        var file = Path.Combine(Path.GetTempPath(), $"oadr-{Guid.NewGuid():N}.xml");
        await File.WriteAllBytesAsync(file, xml);
        try
        {
            var (code, stdout, stderr) = await TestEnvironment.RunAsync(
                xmllint, ["--noout", "--nonet", "--schema", Path.Combine(SchemaDirectory, "oadr_20b.xsd"), file]);
            return (code, stdout + stderr);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static XmlSchemaSet Load()
    {
        var dir = Path.GetFullPath(SchemaDirectory);
        var resolver = new FolderOnlyResolver(dir);
        var set = new XmlSchemaSet { XmlResolver = resolver };
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = resolver };
        using (var reader = XmlReader.Create(Path.Combine(dir, "oadr_20b.xsd"), settings))
        {
            set.Add(null, reader);
        }
        set.Compile();
        return set;
    }

    /// <summary>Resolves only files inside one folder; anything else (network, other files) is refused.</summary>
    private sealed class FolderOnlyResolver(string folder) : XmlUrlResolver
    {
        private readonly ConcurrentDictionary<string, byte[]> _cache = new();

        public override object? GetEntity(Uri absoluteUri, string? role, Type? ofObjectToReturn)
        {
            if (!absoluteUri.IsFile) throw new XmlException($"schema resolver refuses {absoluteUri}");
            var path = Path.GetFullPath(absoluteUri.LocalPath);
            if (!path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new XmlException($"schema resolver refuses {path}: outside {folder}");
            }
            return new MemoryStream(_cache.GetOrAdd(path, File.ReadAllBytes));
        }
    }
}
