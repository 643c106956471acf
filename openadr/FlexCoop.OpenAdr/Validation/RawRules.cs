using System.Xml;
using FlexCoop.OpenAdr.Schema.Internal;

namespace FlexCoop.OpenAdr.Validation;

/// <summary>
/// The profile rules that are about the text of a message rather than its meaning, checked in
/// one streaming pass over the bytes: rule 1 (date-times in UTC, written with <c>Z</c>),
/// rule 45 (no <c>schemaLocation</c>), and the ID length limits.
/// </summary>
internal static class RawRules
{
    private const string XsiNamespace = "http://www.w3.org/2001/XMLSchema-instance";
    private const string EiNamespace = "http://docs.oasis-open.org/ns/energyinterop/201110";
    private const string XcalNamespace = "urn:ietf:params:xml:ns:icalendar-2.0";

    // Elements of type xcal:DateTimeType in the 2.0b schema set.
    private static readonly HashSet<(string Ns, string Local)> DateTimeElements =
    [
        (XcalNamespace, "date-time"),
        (EiNamespace, "createdDateTime"),
        (EiNamespace, "modificationDateTime"),
        (EiNamespace, "statusDateTime"),
    ];

    // Identifier elements bounded by the ID length limit, by local name (they live in ei, pyld and oadr).
    private static readonly HashSet<string> IdElements = new(StringComparer.Ordinal)
    {
        "venID", "vtnID", "eventID", "requestID", "registrationID", "reportRequestID",
        "reportSpecifierID", "rID", "optID", "reportID", "eiReportID", "groupID", "partyID",
        "resourceID",
    };

    /// <summary>Adds the violations found in <paramref name="xml"/> to <paramref name="into"/>.</summary>
    /// <exception cref="OadrFormatException">The text is not well-formed or breaks a limit.</exception>
    public static void Check(Stream xml, OadrValidationOptions options, List<Violation> into)
    {
        var limits = options.Limits;
        var path = new ElementPath();
        XmlReader? reader = null;
        try
        {
            reader = XmlReader.Create(xml, SafeXml.Settings(limits));
            var lineInfo = reader as IXmlLineInfo;
            string? textOf = null;          // path of the element whose text is collected
            var textDepth = -1;
            var textKind = "";              // "date-time" or "id"
            var textLine = 0;
            var text = new System.Text.StringBuilder();
            while (reader.Read())
            {
                SafeXml.CheckLimits(reader, limits, path);
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element:
                    {
                        var elementPath = path.Describe(reader);
                        CheckAttributes(reader, elementPath, into);
                        textOf = null;
                        if (DateTimeElements.Contains((reader.NamespaceURI, reader.LocalName))) textKind = "date-time";
                        else if (IdElements.Contains(reader.LocalName)) textKind = "id";
                        else textKind = "";
                        if (textKind.Length > 0)
                        {
                            textLine = lineInfo?.LineNumber ?? 0;
                            text.Clear();
                            if (reader.IsEmptyElement) Finish(textKind, elementPath, "", textLine, options, into);
                            else { textOf = elementPath; textDepth = reader.Depth; }
                        }
                        break;
                    }
                    case XmlNodeType.Text:
                    case XmlNodeType.CDATA:
                    case XmlNodeType.SignificantWhitespace:
                    case XmlNodeType.Whitespace:
                        if (textOf is not null) text.Append(reader.Value);
                        break;
                    case XmlNodeType.EndElement:
                        if (textOf is not null && reader.Depth == textDepth)
                        {
                            Finish(textKind, textOf, text.ToString(), textLine, options, into);
                        }
                        textOf = null;
                        break;
                }
                path.Advance(reader);
            }
        }
        catch (XmlException ex)
        {
            var rule = SafeXml.RuleOf(ex);
            throw new OadrFormatException(rule, reader is null ? "" : path.Describe(reader), SafeXml.MessageOf(ex, rule), ex.LineNumber, ex.LinePosition, ex);
        }
        finally
        {
            reader?.Dispose();
        }
    }

    private static void CheckAttributes(XmlReader reader, string elementPath, List<Violation> into)
    {
        if (!reader.HasAttributes) return;
        for (var i = 0; i < reader.AttributeCount; i++)
        {
            reader.MoveToAttribute(i);
            if (reader.NamespaceURI == XsiNamespace &&
                (reader.LocalName == "schemaLocation" || reader.LocalName == "noNamespaceSchemaLocation"))
            {
                into.Add(new Violation("rule 45", elementPath,
                    $"the message carries an xsi:{reader.LocalName} attribute; OpenADR messages must not name a schema location",
                    (reader as IXmlLineInfo)?.LineNumber ?? 0));
            }
        }
        reader.MoveToElement();
    }

    private static void Finish(string kind, string elementPath, string value, int line, OadrValidationOptions options, List<Violation> into)
    {
        if (kind == "date-time")
        {
            var trimmed = value.Trim();
            if (trimmed.Length > 0 && !trimmed.EndsWith('Z'))
            {
                into.Add(new Violation("rule 1", elementPath,
                    $"date-time '{trimmed}' is not in UTC: OpenADR date-times end in 'Z'", line));
            }
        }
        else if (value.Length > options.MaxIdLength)
        {
            into.Add(new Violation("id-length", elementPath,
                $"ID is {value.Length} characters long; the limit is {options.MaxIdLength}", line));
        }
    }
}
