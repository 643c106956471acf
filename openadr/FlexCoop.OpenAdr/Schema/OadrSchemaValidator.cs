using System.Xml;
using System.Xml.Schema;
using FlexCoop.OpenAdr.Schema.Internal;
using FlexCoop.OpenAdr.Validation;
using FlexCoop.OpenAdr.Xml;

namespace FlexCoop.OpenAdr.Schema;

/// <summary>
/// Validates OpenADR 2.0b messages against the official schema set. A message may be a whole
/// <c>oadrPayload</c> or a bare payload element (e.g. <c>oadrDistributeEvent</c>): the schema's
/// global elements allow both. Every schema error is reported (up to <see cref="MaxViolations"/>),
/// each as a <see cref="Violation"/> with rule <c>xsd</c>, the element path and the line. A document
/// that cannot be read gives one violation with rule <c>dtd</c>, <c>limits</c> or <c>xml</c>.
/// An instance is immutable and safe to share between threads.
/// <para>
/// Two checks go beyond what the .NET schema validator does on its own, so that the verdict agrees
/// with libxml2 (xmllint, and the lxml-based stacks such as OpenLEADR): a root element the set does
/// not declare is a violation (not a warning), and whitespace around the value of an integer type
/// narrower than <c>xs:integer</c> (int, long, unsignedInt, ...) or of a date, time or duration type is
/// refused, where XSD 1.0 would collapse it. Strict peers reject such messages, so a conformance
/// tool must flag them.
/// </para>
/// </summary>
public sealed class OadrSchemaValidator
{
    /// <summary>Schema violations reported per message before the rest are summarised.</summary>
    public const int MaxViolations = 100;

    private readonly OadrSchemaSet _schemaSet;

    public OadrSchemaValidator(OadrSchemaSet schemaSet)
    {
        ArgumentNullException.ThrowIfNull(schemaSet);
        _schemaSet = schemaSet;
    }

    /// <summary>The schema set this validator checks against.</summary>
    public OadrSchemaSet SchemaSet => _schemaSet;

    /// <summary>Validates a message held in memory.</summary>
    public ValidationResult Validate(ReadOnlySpan<byte> message, OadrXmlLimits? limits = null)
    {
        using var stream = new MemoryStream(message.ToArray(), writable: false);
        return Validate(stream, limits);
    }

    /// <summary>Validates a message read from <paramref name="message"/> (left open).</summary>
    public ValidationResult Validate(Stream message, OadrXmlLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        limits ??= OadrXmlLimits.Default;
        var settings = SafeXml.Settings(limits);
        settings.ValidationType = ValidationType.Schema;
        settings.Schemas = _schemaSet.Schemas;
        settings.ValidationFlags = XmlSchemaValidationFlags.ProcessIdentityConstraints;

        var violations = new List<Violation>();
        var omitted = 0;
        void Report(Violation violation)
        {
            if (violations.Count >= MaxViolations)
            {
                omitted++;
            }
            else
            {
                violations.Add(violation);
            }
        }
        var path = new ElementPath();
        XmlReader? reader = null;
        settings.ValidationEventHandler += (sender, e) =>
        {
            if (e.Severity != XmlSeverityType.Error)
            {
                return;
            }
            var where = sender as XmlReader ?? reader;
            Report(new Violation("xsd", where is null ? "" : path.Describe(where), Clean(e.Message), e.Exception?.LineNumber ?? 0));
        };

        try
        {
            using (reader = XmlReader.Create(message, settings))
            {
                var rootSeen = false;
                var lexicallyStrict = new Stack<bool>();
                while (reader.Read())
                {
                    SafeXml.CheckLimits(reader, limits, path);
                    switch (reader.NodeType)
                    {
                        case XmlNodeType.Element:
                            if (!rootSeen)
                            {
                                rootSeen = true;
                                if (reader.SchemaInfo?.SchemaElement is null)
                                {
                                    Report(new Violation("xsd", path.Describe(reader),
                                        $"the root element '{reader.LocalName}' in namespace '{reader.NamespaceURI}' is not an OpenADR 2.0b message (no global element of the schema set has this name)",
                                        LineOf(reader)));
                                }
                            }
                            if (!reader.IsEmptyElement)
                            {
                                lexicallyStrict.Push(IsWhitespaceStrict(reader.SchemaInfo?.SchemaType));
                            }
                            break;
                        case XmlNodeType.EndElement:
                            lexicallyStrict.TryPop(out _);
                            break;
                        case XmlNodeType.Text:
                            if (lexicallyStrict.TryPeek(out var strict) && strict && HasSurroundingWhitespace(reader.Value))
                            {
                                Report(new Violation("xsd", path.Describe(reader),
                                    $"the value '{reader.Value}' has whitespace around it; its type ({reader.SchemaInfo?.SchemaType?.Name ?? "a numeric or date type"}) must be written without, as strict validators (libxml2) require",
                                    LineOf(reader)));
                            }
                            break;
                    }
                    path.Advance(reader);
                }
            }
        }
        catch (OadrFormatException ex)
        {
            return new ValidationResult([ex.ToViolation()]);
        }
        catch (XmlException ex)
        {
            var rule = SafeXml.RuleOf(ex);
            return new ValidationResult([new Violation(rule, "", SafeXml.MessageOf(ex, rule), ex.LineNumber)]);
        }
        if (omitted > 0)
        {
            violations.Add(new Violation("xsd", "", $"{omitted} further schema errors not listed (at most {MaxViolations} are reported)"));
        }
        return violations.Count == 0 ? ValidationResult.Valid : new ValidationResult(violations);
    }

    private static int LineOf(XmlReader reader) => (reader as IXmlLineInfo)?.LineNumber ?? 0;

    private static bool HasSurroundingWhitespace(string value) =>
        value.Length > 0 && (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]));

    // The types whose values libxml2 refuses with surrounding whitespace (measured with xmllint
    // 2.9): the fixed-width integers and the date, time and duration types, unless a pattern or
    // enumeration facet in the derivation makes it normalise the value first.
    private static bool IsWhitespaceStrict(XmlSchemaType? type)
    {
        var datatype = type switch
        {
            XmlSchemaSimpleType simple => simple.Datatype,
            XmlSchemaComplexType { ContentType: XmlSchemaContentType.TextOnly } complex => complex.Datatype,
            _ => null,
        };
        for (var t = type; t is not null; t = t.BaseXmlSchemaType)
        {
            if (t is XmlSchemaSimpleType { Content: XmlSchemaSimpleTypeRestriction restriction }
                && restriction.Facets.OfType<XmlSchemaFacet>().Any(f => f is XmlSchemaPatternFacet or XmlSchemaEnumerationFacet))
            {
                return false;
            }
        }
        return datatype?.TypeCode is XmlTypeCode.Long or XmlTypeCode.Int or XmlTypeCode.Short or XmlTypeCode.Byte
            or XmlTypeCode.UnsignedLong or XmlTypeCode.UnsignedInt or XmlTypeCode.UnsignedShort or XmlTypeCode.UnsignedByte
            or XmlTypeCode.DateTime or XmlTypeCode.Date or XmlTypeCode.Time or XmlTypeCode.Duration
            or XmlTypeCode.GYear or XmlTypeCode.GYearMonth or XmlTypeCode.GMonth or XmlTypeCode.GMonthDay or XmlTypeCode.GDay;
    }

    // The framework's messages end with a period; the CLI adds the path after them.
    private static string Clean(string message) => message.TrimEnd().TrimEnd('.');
}
