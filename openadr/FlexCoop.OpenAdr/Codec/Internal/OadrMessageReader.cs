using System.Buffers;
using System.Text;
using System.Xml;
using FlexCoop.OpenAdr.Xml;

namespace FlexCoop.OpenAdr.Codec.Internal;

/// <summary>
/// Reads one OpenADR 2.0b document from an <see cref="XmlReader"/> into the model, checking element
/// order, cardinality and simple values as the schema's sequences say. Names are compared by reference
/// against the <see cref="OadrNameTable"/> atoms. The "current node" is always a start tag (the next
/// child) or the end tag of the element being read, never whitespace.
/// </summary>
internal sealed partial class OadrMessageReader
{
    private readonly XmlReader _r;
    private readonly IXmlLineInfo? _lines;
    private readonly OadrXmlLimits _limits;
    private readonly char[] _scratch = new char[64];

    // Element path for error messages: names and 1-based indexes (0 = not repeatable).
    private string[] _pathNames = new string[32];
    private int[] _pathIndexes = new int[32];
    private int _pathDepth;

    // Where the element whose text was read last starts, for errors about its value.
    private int _valueLine;
    private int _valueColumn;

    // True when the element just entered was empty (<x/>): the reader stays on it and it acts as its own end tag.
    private bool _atEmpty;

    public OadrMessageReader(XmlReader reader, OadrXmlLimits limits)
    {
        _r = reader;
        _lines = reader as IXmlLineInfo;
        _limits = limits;
    }

    // ---- document ------------------------------------------------------------------------------

    public OadrDocument ReadDocument()
    {
        _r.Read();
        SkipInsignificant();
        if (_r.NodeType != XmlNodeType.Element) throw Xsd("the document has no root element");
        OadrDocument doc;
        if (At("oadrPayload", Ns.Oadr))
        {
            Begin(null, null);
            var hasSignature = false;
            if (At("Signature", Ns.Ds))
            {
                hasSignature = true;
                SkipElement();
            }
            Expect("oadrSignedObject", Ns.Oadr);
            var (message, id) = ReadSignedObject();
            End();
            doc = new OadrDocument(message, OadrEnvelope.OadrPayload, id, hasSignature);
        }
        else if (At("oadrSignedObject", Ns.Oadr))
        {
            var (message, id) = ReadSignedObject();
            doc = new OadrDocument(message, OadrEnvelope.OadrSignedObject, id, false);
        }
        else
        {
            var message = TryReadMessage() ?? throw Unexpected("an OpenADR 2.0b payload (oadrPayload, oadrSignedObject or one of the 23 messages)");
            doc = new OadrDocument(message, OadrEnvelope.None, null, false);
        }
        // Whatever follows the root must be well-formed and insignificant; the reader reports the rest.
        while (!_r.EOF)
        {
            if (_r.NodeType is XmlNodeType.Element or XmlNodeType.Text or XmlNodeType.CDATA)
            {
                throw Xsd("content after the root element");
            }
            _r.Read();
        }
        return doc;
    }

    private (Model.OadrMessage Message, string? Id) ReadSignedObject()
    {
        var id = Begin("Id", Ns.Oadr);
        if (id is not null && !IsNcName(id)) throw Xsd($"oadr:Id '{id}' is not an XML ID (NCName)");
        var message = TryReadMessage() ?? throw Unexpected("one of the 23 OpenADR 2.0b messages");
        End();
        return (message, id);
    }

    // ---- navigation ----------------------------------------------------------------------------

    /// <summary>True when the current node is the start tag <paramref name="local"/> in <paramref name="ns"/>.</summary>
    private bool At(string local, string ns) =>
        !_atEmpty && _r.NodeType == XmlNodeType.Element
        && ReferenceEquals(_r.LocalName, local) && ReferenceEquals(_r.NamespaceURI, ns);

    /// <summary>Fails unless the current node is the start tag <paramref name="local"/>.</summary>
    private void Expect(string local, string ns)
    {
        if (!At(local, ns)) throw Unexpected(Ns.Display(local, ns));
    }

    /// <summary>
    /// Enters the current start tag: checks depth and attributes, pushes it on the path, moves to its
    /// first child. Returns the value of the one attribute the element may carry (<paramref name="attrLocal"/>), if given.
    /// </summary>
    private string? Begin(string? attrLocal, string? attrNs, int index = 0)
    {
        Push(_r.LocalName, index);
        CheckDepth();
        var attr = _r.HasAttributes ? ReadAttributes(attrLocal, attrNs) : null;
        if (_r.IsEmptyElement)
        {
            _atEmpty = true;
        }
        else
        {
            _r.Read();
            SkipInsignificant();
        }
        return attr;
    }

    /// <summary>Enters the current start tag, which has no attributes in the schema.</summary>
    private void Begin(int index = 0) => Begin(null, null, index);

    /// <summary>Leaves the element being read: the current node must be its end tag.</summary>
    private void End()
    {
        if (_atEmpty)
        {
            _atEmpty = false;
        }
        else if (_r.NodeType != XmlNodeType.EndElement)
        {
            throw Unexpected(null);
        }
        _r.Read();
        SkipInsignificant();
        Pop();
    }

    private void SkipInsignificant()
    {
        while (true)
        {
            switch (_r.NodeType)
            {
                case XmlNodeType.Whitespace:
                case XmlNodeType.SignificantWhitespace:
                case XmlNodeType.Comment:
                case XmlNodeType.ProcessingInstruction:
                case XmlNodeType.XmlDeclaration:
                    _r.Read();
                    continue;
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                    throw Xsd("text is not allowed here, only elements");
                case XmlNodeType.DocumentType:
                    throw new OadrFormatException("dtd", PathString(null), "a DTD (DOCTYPE) is not allowed", Line, Column);
                default:
                    return;
            }
        }
    }

    /// <summary>Skips the current element and its content (used for ds:Signature), bounding depth.</summary>
    private void SkipElement()
    {
        var start = _r.Depth;
        Push(_r.LocalName, 0);
        CheckDepth();
        if (!_r.IsEmptyElement)
        {
            while (_r.Read())
            {
                if (_r.NodeType == XmlNodeType.Element) CheckDepth();
                if (_r.NodeType == XmlNodeType.EndElement && _r.Depth == start) break;
            }
        }
        _r.Read();
        SkipInsignificant();
        Pop();
    }

    private void CheckDepth()
    {
        if (_r.Depth + 1 > _limits.MaxDepth)
        {
            throw new OadrFormatException("limits", PathString(null), $"elements are nested deeper than {_limits.MaxDepth}", Line, Column);
        }
    }

    private string? ReadAttributes(string? wantLocal, string? wantNs)
    {
        string? value = null;
        for (var more = _r.MoveToFirstAttribute(); more; more = _r.MoveToNextAttribute())
        {
            var ns = _r.NamespaceURI;
            var local = _r.LocalName;
            if (ReferenceEquals(ns, Ns.Xmlns)) continue;
            if (ReferenceEquals(ns, Ns.Xsi) && (ReferenceEquals(local, "schemaLocation") || ReferenceEquals(local, "noNamespaceSchemaLocation"))) continue;
            if (wantLocal is not null && ReferenceEquals(local, wantLocal) && ReferenceEquals(ns, wantNs))
            {
                value = _r.Value;
                CheckToken(value);
                continue;
            }
            var name = Ns.Display(local, ns);
            _r.MoveToElement();
            throw Xsd($"attribute '{name}' is not allowed on this element");
        }
        _r.MoveToElement();
        return value;
    }

    // ---- simple content ------------------------------------------------------------------------

    /// <summary>Reads the current element's text (the element must match), leaving the reader after it.</summary>
    private string Text(string local, string ns)
    {
        Expect(local, ns);
        return Text();
    }

    /// <summary>The text of the optional element <paramref name="local"/>, or null when the current node is not it.</summary>
    private string? OptionalText(string local, string ns) => At(local, ns) ? Text() : null;

    /// <summary>Reads the text content of the current start tag.</summary>
    private string Text(int index = 0)
    {
        _valueLine = Line;
        _valueColumn = Column;
        Push(_r.LocalName, index);
        CheckDepth();
        if (_r.HasAttributes) ReadAttributes(null, null);
        string value;
        if (_r.IsEmptyElement)
        {
            value = string.Empty;
        }
        else
        {
            _r.Read();
            value = string.Empty;
            StringBuilder? sb = null;
            while (_r.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace
                   or XmlNodeType.SignificantWhitespace or XmlNodeType.Comment or XmlNodeType.ProcessingInstruction)
            {
                if (_r.NodeType is not (XmlNodeType.Comment or XmlNodeType.ProcessingInstruction))
                {
                    if (value.Length == 0 && sb is null)
                    {
                        value = _r.Value;
                    }
                    else
                    {
                        sb ??= new StringBuilder(value);
                        sb.Append(_r.Value);
                    }
                }
                _r.Read();
            }
            if (sb is not null) value = sb.ToString();
            if (_r.NodeType != XmlNodeType.EndElement)
            {
                throw Unexpected(null, "text only");
            }
        }
        CheckToken(value);
        _r.Read();
        SkipInsignificant();
        Pop();
        return value;
    }

    private void CheckToken(string value)
    {
        if (value.Length > _limits.MaxTokenCharacters)
        {
            throw new OadrFormatException("limits", PathString(null), $"a value is longer than {_limits.MaxTokenCharacters} characters", Line, Column);
        }
    }

    private static bool IsNcName(string value)
    {
        try
        {
            XmlConvert.VerifyNCName(value);
            return true;
        }
        catch (XmlException)
        {
            return false;
        }
    }

    // ---- lists ---------------------------------------------------------------------------------

    /// <summary>A growable buffer from the array pool, turned into an exact-size <see cref="Model.ValueList{T}"/>.</summary>
    private struct ListBuilder<T>
    {
        private T[]? _items;
        private int _count;

        public readonly int Count => _count;

        public void Add(T item)
        {
            if (_items is null)
            {
                _items = ArrayPool<T>.Shared.Rent(8);
            }
            else if (_count == _items.Length)
            {
                var bigger = ArrayPool<T>.Shared.Rent(_items.Length * 2);
                Array.Copy(_items, bigger, _count);
                ArrayPool<T>.Shared.Return(_items, clearArray: true);
                _items = bigger;
            }
            _items[_count++] = item;
        }

        public Model.ValueList<T> ToValueList()
        {
            if (_items is null) return Model.ValueList<T>.Empty;
            var result = _items.AsSpan(0, _count).ToArray();
            ArrayPool<T>.Shared.Return(_items, clearArray: true);
            _items = null;
            _count = 0;
            return Model.ValueList<T>.Own(result);
        }
    }

    // ---- path and errors -----------------------------------------------------------------------

    private void Push(string name, int index)
    {
        if (_pathDepth == _pathNames.Length)
        {
            Array.Resize(ref _pathNames, _pathDepth * 2);
            Array.Resize(ref _pathIndexes, _pathDepth * 2);
        }
        _pathNames[_pathDepth] = name;
        _pathIndexes[_pathDepth] = index;
        _pathDepth++;
    }

    private void Pop() => _pathDepth--;

    private int Line => _lines?.LineNumber ?? 0;

    private int Column => _lines?.LinePosition ?? 0;

    /// <summary>The current path, with <paramref name="child"/> appended when given.</summary>
    internal string PathString(string? child, int depth = -1)
    {
        if (depth < 0) depth = _pathDepth;
        var sb = new StringBuilder();
        for (var i = 0; i < depth; i++)
        {
            sb.Append('/').Append(_pathNames[i]);
            if (_pathIndexes[i] > 0) sb.Append('[').Append(_pathIndexes[i]).Append(']');
        }
        if (child is not null) sb.Append('/').Append(child);
        return sb.Length == 0 ? "/" : sb.ToString();
    }

    private OadrFormatException Xsd(string message) => new("xsd", PathString(null), message, Line, Column);

    /// <summary>An error about a value just read by <see cref="Text(int)"/>: the path names that element.</summary>
    private OadrFormatException BadValue(string local, string value, string expected)
    {
        var shown = value.Length > 80 ? value[..80] + "..." : value;
        return new OadrFormatException("xsd", PathString(local), $"'{shown}' is not {expected}", _valueLine, _valueColumn);
    }

    /// <summary>The current node is not what the schema wants here.</summary>
    private OadrFormatException Unexpected(string? expected, string? content = null)
    {
        if (!_atEmpty && _r.NodeType == XmlNodeType.Element)
        {
            var found = Ns.Display(_r.LocalName, _r.NamespaceURI);
            var message = expected is null
                ? $"unexpected element '{found}': {(content ?? "no further element")} is allowed here"
                : $"unexpected element '{found}', expected {expected}";
            return new OadrFormatException("xsd", PathString(_r.LocalName), message, Line, Column);
        }
        return expected is null
            ? Xsd("unexpected content")
            : Xsd($"missing element {expected}");
    }
}
