using System.Collections.Concurrent;
using System.Xml;
using System.Xml.Schema;
using FlexCoop.OpenAdr.Schema.Internal;

namespace FlexCoop.OpenAdr.Schema;

/// <summary>
/// The official OpenADR 2.0b XML Schema set, compiled once per directory. The root is
/// <c>oadr_20b.xsd</c>, which imports the other files of the set; the signature-properties schema
/// (<c>oadr_xmldsig-properties-schema.xsd</c>, <c>dsp:ReplayProtect</c>) is added when present so
/// the replay-protection block of a signed message is checked too. Imports are resolved only to
/// files inside the directory; DTDs in schema files are refused. The package ships no schema:
/// the caller names the directory (see <see cref="OadrSchemaLocator"/>).
/// </summary>
public sealed class OadrSchemaSet
{
    /// <summary>The root file of the set.</summary>
    public const string RootFileName = "oadr_20b.xsd";

    /// <summary>The signature-properties schema, loaded beside the root when present.</summary>
    public const string SignaturePropertiesFileName = "oadr_xmldsig-properties-schema.xsd";

    private static readonly ConcurrentDictionary<string, Lazy<OadrSchemaSet>> Cache = new(StringComparer.Ordinal);

    private OadrSchemaSet(string directory, XmlSchemaSet schemas)
    {
        Directory = directory;
        Schemas = schemas;
    }

    /// <summary>The absolute directory the set was loaded from.</summary>
    public string Directory { get; }

    /// <summary>The compiled set; read-only once published.</summary>
    internal XmlSchemaSet Schemas { get; }

    /// <summary>The target namespaces in the set, for diagnostics.</summary>
    public IReadOnlyList<string> Namespaces =>
        Schemas.Schemas().Cast<XmlSchema>().Select(s => s.TargetNamespace ?? "").Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Loads and compiles the set in <paramref name="directory"/>, or returns the set already
    /// compiled for it. Safe to call from several threads.
    /// </summary>
    /// <exception cref="OadrSchemaException">The directory or a file of the set is missing or does not compile.</exception>
    public static OadrSchemaSet Load(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        var lazy = Cache.GetOrAdd(full, d => new Lazy<OadrSchemaSet>(() => Compile(d), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch (OadrSchemaException)
        {
            // Do not remember a failure: the files may be put in place later.
            Cache.TryRemove(new KeyValuePair<string, Lazy<OadrSchemaSet>>(full, lazy));
            throw;
        }
    }

    private static OadrSchemaSet Compile(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            throw new OadrSchemaException(directory, "the directory does not exist");
        }
        var root = Path.Combine(directory, RootFileName);
        if (!File.Exists(root))
        {
            throw new OadrSchemaException(directory, $"{RootFileName} is missing (expected the official OpenADR 2.0b schema files here)");
        }

        var resolver = new DirectoryXmlResolver(directory);
        var errors = new List<string>();
        var set = new XmlSchemaSet { XmlResolver = resolver };
        // An import that cannot be resolved is only a warning to XmlSchemaSet; for a closed,
        // official set every warning means a file is missing or refused, so all count.
        set.ValidationEventHandler += (_, e) => errors.Add(Describe(e.Exception));

        try
        {
            Add(set, root, resolver);
            var properties = Path.Combine(directory, SignaturePropertiesFileName);
            if (File.Exists(properties))
            {
                Add(set, properties, resolver);
            }
            set.Compile();
        }
        catch (Exception ex) when (ex is XmlException or XmlSchemaException or IOException or UnauthorizedAccessException)
        {
            throw new OadrSchemaException(directory, ex is FileNotFoundException fnf
                ? $"a file imported by the set is missing: {Path.GetFileName(fnf.FileName) ?? fnf.Message}"
                : ex.Message, ex);
        }
        if (errors.Count > 0)
        {
            throw new OadrSchemaException(directory, "the schema set does not compile: " + string.Join("; ", errors.Take(5)));
        }
        return new OadrSchemaSet(directory, set);
    }

    private static void Add(XmlSchemaSet set, string file, XmlResolver resolver)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = resolver,
            IgnoreComments = true,
            CloseInput = true,
        };
        using var reader = XmlReader.Create(new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read), settings, new Uri(file).AbsoluteUri);
        set.Add(null, reader);
    }

    private static string Describe(XmlSchemaException ex)
    {
        // The framework says only "Cannot resolve the 'schemaLocation' attribute"; the reason
        // (missing file, outside the directory, network) is in the inner exception.
        var reason = ex.InnerException is { } inner ? $" ({inner.Message})" : "";
        return ex.SourceUri is { Length: > 0 } uri
            ? $"{Path.GetFileName(new Uri(uri).LocalPath)} line {ex.LineNumber}: {ex.Message}{reason}"
            : ex.Message + reason;
    }
}
