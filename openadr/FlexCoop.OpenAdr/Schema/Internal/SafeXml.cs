using System.Xml;
using FlexCoop.OpenAdr.Xml;

namespace FlexCoop.OpenAdr.Schema.Internal;

/// <summary>
/// Reading untrusted XML the one safe way: DTDs prohibited, nothing resolved, size, depth and
/// token length bounded; and naming the rule a refused document breaks.
/// </summary>
internal static partial class SafeXml
{
    /// <summary>Reader settings from <paramref name="limits"/>; comments and processing instructions kept when a signature needs them.</summary>
    public static XmlReaderSettings Settings(OadrXmlLimits limits, bool keepCommentsAndInstructions = false)
    {
        var settings = limits.Validated().CreateReaderSettings();
        settings.DtdProcessing = DtdProcessing.Prohibit;
        settings.XmlResolver = null;
        settings.MaxCharactersFromEntities = 0;
        settings.CloseInput = false;
        if (keepCommentsAndInstructions)
        {
            settings.IgnoreComments = false;
            settings.IgnoreProcessingInstructions = false;
        }
        return settings;
    }

    /// <summary>The rule (<c>dtd</c>, <c>limits</c> or <c>xml</c>) an <see cref="XmlException"/> from a safe reader stands for.</summary>
    public static string RuleOf(XmlException ex)
    {
        var message = ex.Message;
        if (message.Contains("DTD", StringComparison.Ordinal) || message.Contains("DOCTYPE", StringComparison.Ordinal)
            || message.Contains("entity", StringComparison.OrdinalIgnoreCase))
        {
            return "dtd";
        }
        if (message.Contains("MaxCharacters", StringComparison.Ordinal) || message.Contains("exceeded a limit", StringComparison.Ordinal))
        {
            return "limits";
        }
        return "xml";
    }

    /// <summary>A sentence for the vendor, without the reader's position suffix.</summary>
    public static string MessageOf(XmlException ex, string rule) => rule switch
    {
        "dtd" => "the document has a DTD (<!DOCTYPE ...>); DTDs and entities are refused in OpenADR messages, nothing was resolved",
        "limits" => "the document is larger than the configured size limit",
        _ => "not well-formed XML: " + PositionSuffix().Replace(ex.Message, ""),
    };

    // The framework appends " Line 3, position 7." to its messages; violations carry the line themselves.
    [System.Text.RegularExpressions.GeneratedRegex(@"\s*Line \d+, position \d+\.\s*$")]
    private static partial System.Text.RegularExpressions.Regex PositionSuffix();

    /// <summary>
    /// Checks depth and token lengths in one streaming pass, then loads an <see cref="XmlDocument"/>
    /// with whitespace preserved (signatures need the exact text).
    /// </summary>
    /// <exception cref="OadrFormatException">Rule <c>dtd</c>, <c>limits</c> or <c>xml</c>.</exception>
    public static XmlDocument LoadDocument(byte[] bytes, OadrXmlLimits limits)
    {
        var settings = Settings(limits, keepCommentsAndInstructions: true);
        try
        {
            using (var scan = XmlReader.Create(new MemoryStream(bytes, writable: false), settings))
            {
                var path = new ElementPath();
                while (scan.Read())
                {
                    CheckLimits(scan, limits, path);
                    path.Advance(scan);
                }
            }
            var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
            using var reader = XmlReader.Create(new MemoryStream(bytes, writable: false), settings);
            document.Load(reader);
            return document;
        }
        catch (XmlException ex)
        {
            var rule = RuleOf(ex);
            throw new OadrFormatException(rule, "", MessageOf(ex, rule), ex.LineNumber, ex.LinePosition, ex);
        }
    }

    /// <summary>Throws <see cref="OadrFormatException"/> (rule <c>limits</c>) when the reader's node breaks a bound.</summary>
    public static void CheckLimits(XmlReader reader, OadrXmlLimits limits, ElementPath path)
    {
        if (reader.NodeType == XmlNodeType.Element && reader.Depth + 1 > limits.MaxDepth)
        {
            throw Limit(reader, path, $"elements nested deeper than {limits.MaxDepth} levels");
        }
        if (reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace or XmlNodeType.Comment
            && reader.Value.Length > limits.MaxTokenCharacters)
        {
            throw Limit(reader, path, $"a text node longer than {limits.MaxTokenCharacters} characters");
        }
        if (reader.NodeType == XmlNodeType.Element && reader.HasAttributes)
        {
            for (var i = 0; i < reader.AttributeCount; i++)
            {
                if (reader.GetAttribute(i).Length > limits.MaxTokenCharacters)
                {
                    throw Limit(reader, path, $"an attribute value longer than {limits.MaxTokenCharacters} characters");
                }
            }
        }
    }

    private static OadrFormatException Limit(XmlReader reader, ElementPath path, string message)
    {
        var info = reader as IXmlLineInfo;
        return new OadrFormatException("limits", path.Describe(reader), message, info?.LineNumber ?? 0, info?.LinePosition ?? 0);
    }
}
