using System.Xml;
using System.Xml.Schema;

namespace FlexCoop.Usef.Validation;

/// <summary>
/// The official UFTP 3.1 XSDs, loaded from a folder the caller names (they are not shipped with
/// this library). The files are <c>UFTP-common.xsd</c>, <c>UFTP-agr-dso.xsd</c>,
/// <c>UFTP-agr-cro.xsd</c>, <c>UFTP-cro-dso.xsd</c> and <c>UFTP-metering.xsd</c>; includes are
/// resolved only inside that folder. Thread-safe once loaded.
/// </summary>
public sealed class UftpSchemaSet
{
    /// <summary>The schema files that make up UFTP 3.1, in include order.</summary>
    public static readonly IReadOnlyList<string> FileNames =
        ["UFTP-common.xsd", "UFTP-agr-cro.xsd", "UFTP-agr-dso.xsd", "UFTP-cro-dso.xsd", "UFTP-metering.xsd"];

    private readonly XmlSchemaSet _schemas;

    private UftpSchemaSet(XmlSchemaSet schemas, string directory)
    {
        _schemas = schemas;
        Directory = directory;
    }

    /// <summary>The folder the schemas were loaded from.</summary>
    public string Directory { get; }

    /// <summary>
    /// Loads the schema set from <paramref name="directory"/>. Throws
    /// <see cref="DirectoryNotFoundException"/>/<see cref="FileNotFoundException"/> when files are
    /// missing and <see cref="XmlSchemaException"/> when they do not compile.
    /// </summary>
    public static UftpSchemaSet Load(string directory)
    {
        var full = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(full)) throw new DirectoryNotFoundException($"UFTP schema folder not found: {full}");
        foreach (var name in FileNames)
        {
            var file = Path.Combine(full, name);
            if (!File.Exists(file)) throw new FileNotFoundException($"UFTP schema file missing: {file}", file);
        }
        // An umbrella schema that includes every file, so one set validates every message.
        var umbrella = "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" elementFormDefault=\"qualified\" attributeFormDefault=\"unqualified\">"
            + string.Concat(FileNames.Select(n => $"<xs:include schemaLocation=\"{n}\"/>"))
            + "</xs:schema>";
        var resolver = new ConfinedResolver(full);
        var set = new XmlSchemaSet { XmlResolver = resolver };
        // An include that cannot be read is only a warning for XmlSchemaSet: make every warning fatal.
        set.ValidationEventHandler += (_, e) => throw new XmlSchemaException($"UFTP schema set in {full}: {e.Message}", e.Exception);
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        var baseUri = new Uri(Path.Combine(full, "umbrella.xsd")).AbsoluteUri;
        using (var reader = XmlReader.Create(new StringReader(umbrella), settings, baseUri))
        {
            set.Add(XmlSchema.Read(reader, null)!);
        }
        set.Compile();
        return new UftpSchemaSet(set, full);
    }

    /// <summary>Validates a document (payload message or SignedMessage) against the schema set.</summary>
    public UftpValidationResult Validate(ReadOnlyMemory<byte> xml)
    {
        var violations = new List<UftpViolation>();
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            ValidationType = ValidationType.Schema,
            Schemas = _schemas,
            MaxCharactersInDocument = 16 * 1024 * 1024,
            ValidationFlags = XmlSchemaValidationFlags.ReportValidationWarnings,
        };
        var path = new List<string>();
        string Current() => path.Count == 0 ? "" : "/" + string.Join("/", path);
        settings.ValidationEventHandler += (sender, e) =>
        {
            if (violations.Count >= 100) return;
            var at = Current();
            if (sender is XmlReader r)
            {
                // Attribute and element events fire while the reader is on the node being validated.
                at = r.NodeType switch
                {
                    XmlNodeType.Element => "/" + string.Join("/", path.Take(r.Depth).Append(r.LocalName)),
                    XmlNodeType.Attribute => "/" + string.Join("/", path.Take(r.Depth - 1).Append(ElementOf(r)).Append("@" + r.LocalName)),
                    _ => at,
                };
            }
            violations.Add(new UftpViolation("xsd", at, e.Message, e.Exception?.LineNumber ?? 0));
        };
        try
        {
            using var stream = new MemoryStream(xml.ToArray(), writable: false);
            using var reader = XmlReader.Create(stream, settings);
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element)
                {
                    path.Add(reader.LocalName);
                    if (reader.IsEmptyElement) path.RemoveAt(path.Count - 1);
                }
                else if (reader.NodeType == XmlNodeType.EndElement && path.Count > 0)
                {
                    path.RemoveAt(path.Count - 1);
                }
            }
        }
        catch (XmlException ex)
        {
            var rule = ex.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase) ? "dtd" : "xml";
            violations.Add(new UftpViolation(rule, Current(), ex.Message, ex.LineNumber));
        }
        return violations.Count == 0 ? UftpValidationResult.Valid : new UftpValidationResult(violations);
    }

    private static string ElementOf(XmlReader reader)
    {
        var name = reader.LocalName;
        reader.MoveToElement();
        var element = reader.LocalName;
        reader.MoveToAttribute(name);
        return element;
    }

    /// <summary>Resolves only files inside the schema folder; anything else is refused.</summary>
    private sealed class ConfinedResolver(string directory) : XmlResolver
    {
        private readonly string _root = directory.EndsWith(Path.DirectorySeparatorChar) ? directory : directory + Path.DirectorySeparatorChar;

        public override object? GetEntity(Uri absoluteUri, string? role, Type? ofObjectToReturn)
        {
            ArgumentNullException.ThrowIfNull(absoluteUri);
            if (!absoluteUri.IsFile) throw new XmlSchemaException($"refusing to resolve {absoluteUri}: only files in the schema folder are read");
            var full = Path.GetFullPath(absoluteUri.LocalPath);
            if (!full.StartsWith(_root, StringComparison.Ordinal)) throw new XmlSchemaException($"refusing to resolve {full}: outside {_root}");
            return File.OpenRead(full);
        }
    }
}
