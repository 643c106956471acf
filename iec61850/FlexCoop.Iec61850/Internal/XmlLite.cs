using System.Xml;
using FlexCoop.Iec61850.Scl;

namespace FlexCoop.Iec61850.Internal;

/// <summary>
/// A small read-only element tree built from a locked-down <see cref="XmlReader"/>: local name,
/// namespace, unqualified attributes, text, children and the line/column of each element.
/// Depth and token length are checked while reading.
/// </summary>
internal sealed class XmlLiteElement
{
    private static readonly List<XmlLiteElement> NoChildren = [];
    private static readonly KeyValuePair<string, string>[] NoAttributes = [];

    public required string Name { get; init; }
    public required string Namespace { get; init; }
    public required int Line { get; init; }
    public required int Column { get; init; }
    public KeyValuePair<string, string>[] Attributes { get; set; } = NoAttributes;
    public List<XmlLiteElement> Children { get; set; } = NoChildren;
    public string? Text { get; set; }

    public SclPosition Position => new(Line, Column);

    public string? Attr(string name)
    {
        foreach (var a in Attributes)
        {
            if (string.Equals(a.Key, name, StringComparison.Ordinal)) return a.Value;
        }
        return null;
    }

    public static XmlLiteElement Load(TextReader input, SclLimits limits)
    {
        XmlReader reader;
        try
        {
            reader = XmlReader.Create(input, limits.CreateReaderSettings());
        }
        catch (XmlException ex)
        {
            throw Translate(ex);
        }
        using (reader)
        {
            var info = (IXmlLineInfo)reader;
            var stack = new Stack<XmlLiteElement>();
            XmlLiteElement? root = null;
            try
            {
                while (reader.Read())
                {
                    switch (reader.NodeType)
                    {
                        case XmlNodeType.Element:
                        {
                            if (stack.Count + 1 > limits.MaxDepth)
                            {
                                throw new SclException("limits", $"elements nested deeper than {limits.MaxDepth}", info.LineNumber, info.LinePosition);
                            }
                            var element = new XmlLiteElement
                            {
                                Name = reader.LocalName,
                                Namespace = reader.NamespaceURI,
                                Line = info.LineNumber,
                                // The reader points at the name; report the '<' as compilers do.
                                Column = Math.Max(1, info.LinePosition - 1),
                            };
                            ReadAttributes(reader, element, limits, info);
                            if (stack.Count == 0)
                            {
                                if (root is not null)
                                {
                                    throw new SclException("xml", "more than one root element", element.Line, element.Column);
                                }
                                root = element;
                            }
                            else
                            {
                                var parent = stack.Peek();
                                if (ReferenceEquals(parent.Children, NoChildren)) parent.Children = [];
                                parent.Children.Add(element);
                            }
                            if (!reader.IsEmptyElement) stack.Push(element);
                            break;
                        }
                        case XmlNodeType.EndElement:
                            stack.Pop();
                            break;
                        case XmlNodeType.Text:
                        case XmlNodeType.CDATA:
                        case XmlNodeType.SignificantWhitespace:
                        {
                            var value = reader.Value;
                            if (stack.Count == 0) break;
                            var current = stack.Peek();
                            var text = current.Text is null ? value : current.Text + value;
                            if (text.Length > limits.MaxTokenCharacters)
                            {
                                throw new SclException("limits", $"text longer than {limits.MaxTokenCharacters} characters", info.LineNumber, info.LinePosition);
                            }
                            current.Text = text;
                            break;
                        }
                        case XmlNodeType.DocumentType:
                        case XmlNodeType.EntityReference:
                            throw new SclException("dtd", "DTDs and entity references are refused", info.LineNumber, info.LinePosition);
                    }
                }
            }
            catch (XmlException ex)
            {
                throw Translate(ex);
            }
            return root ?? throw new SclException("xml", "the document has no root element");
        }
    }

    private static void ReadAttributes(XmlReader reader, XmlLiteElement element, SclLimits limits, IXmlLineInfo info)
    {
        if (!reader.HasAttributes) return;
        var list = new List<KeyValuePair<string, string>>(reader.AttributeCount);
        while (reader.MoveToNextAttribute())
        {
            if (reader.Value.Length > limits.MaxTokenCharacters)
            {
                throw new SclException("limits", $"attribute '{reader.Name}' longer than {limits.MaxTokenCharacters} characters", info.LineNumber, info.LinePosition);
            }
            // Only unqualified attributes belong to SCL; xmlns and extension attributes are skipped.
            if (reader.NamespaceURI.Length == 0)
            {
                list.Add(new(reader.LocalName, reader.Value));
            }
        }
        reader.MoveToElement();
        element.Attributes = [.. list];
    }

    private static SclException Translate(XmlException ex)
    {
        var rule = ex.Message.Contains("MaxCharacters", StringComparison.Ordinal) ? "limits"
            : ex.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase) || ex.Message.Contains("entity", StringComparison.OrdinalIgnoreCase) ? "dtd"
            : "xml";
        return new SclException(rule, ex.Message, ex.LineNumber, ex.LinePosition, ex);
    }
}
