using System.Xml;
using FlexCoop.OpenAdr.Xml;

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
        var settings = limits.CreateReaderSettings();
        var path = new XmlPathTracker();
        try
        {
            using var reader = XmlReader.Create(xml, settings);
            var lineInfo = reader as IXmlLineInfo;
            string? textOf = null;          // path of the element whose text is collected
            string textKind = "";           // "date-time" or "id"
            int textLine = 0;
            var text = new System.Text.StringBuilder();
            while (reader.Read())
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element:
                    {
                        var empty = reader.IsEmptyElement;
                        var elementPath = path.Enter(reader, empty);
                        if (path.Depth > limits.MaxDepth)
                        {
                            throw new OadrFormatException("limits", elementPath,
                                $"elements are nested deeper than {limits.MaxDepth}", lineInfo?.LineNumber ?? 0, lineInfo?.LinePosition ?? 0);
                        }
                        CheckAttributes(reader, elementPath, into);
                        var line = lineInfo?.LineNumber ?? 0;
                        if (DateTimeElements.Contains((reader.NamespaceURI, reader.LocalName)))
                        {
                            textOf = elementPath; textKind = "date-time"; textLine = line; text.Clear();
                        }
                        else if (IdElements.Contains(reader.LocalName))
                        {
                            textOf = elementPath; textKind = "id"; textLine = line; text.Clear();
                        }
                        else
                        {
                            textOf = null;
                        }
                        if (empty && textOf is not null)
                        {
                            Finish(textKind, textOf, "", textLine, options, into);
                            textOf = null;
                        }
                        break;
                    }
                    case XmlNodeType.Text:
                    case XmlNodeType.CDATA:
                    case XmlNodeType.SignificantWhitespace:
                    case XmlNodeType.Whitespace:
                        if (textOf is not null)
                        {
                            if (text.Length + reader.Value.Length > limits.MaxTokenCharacters)
                            {
                                throw new OadrFormatException("limits", textOf,
                                    $"a text value is longer than {limits.MaxTokenCharacters} characters", textLine);
                            }
                            text.Append(reader.Value);
                        }
                        break;
                    case XmlNodeType.EndElement:
                        if (textOf is not null && textOf == path.Current)
                        {
                            Finish(textKind, textOf, text.ToString(), textLine, options, into);
                        }
                        textOf = null;
                        path.Leave();
                        break;
                }
            }
        }
        catch (XmlException ex) when (ex.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase))
        {
            throw new OadrFormatException("dtd", path.Current, "DTDs and entity declarations are refused", ex.LineNumber, ex.LinePosition, ex);
        }
        catch (XmlException ex) when (ex.Message.Contains("MaxCharactersInDocument", StringComparison.Ordinal))
        {
            throw new OadrFormatException("limits", path.Current, $"the message is larger than {limits.MaxCharacters} characters", ex.LineNumber, ex.LinePosition, ex);
        }
        catch (XmlException ex)
        {
            throw new OadrFormatException("xml", path.Current, "not well-formed XML: " + ex.Message, ex.LineNumber, ex.LinePosition, ex);
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
