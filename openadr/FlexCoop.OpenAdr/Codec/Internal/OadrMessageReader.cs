using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Xml;
using FlexCoop.OpenAdr.Xml;
using FlexCoop.Xml.Internal;

namespace FlexCoop.OpenAdr.Codec.Internal;

/// <summary>
/// Reads one OpenADR 2.0b document from a <see cref="Utf8XmlTokenizer"/> into the model, checking element
/// order, cardinality and simple values as the schema's sequences say: one method per element. Names are
/// compared as UTF-8 (<c>"eventID"u8</c>) and namespaces by reference against the <see cref="Ns"/> constants, so
/// reading allocates nothing for names; values are parsed straight from the UTF-8. The "current token" is always
/// a start tag (the next child) or the end tag of the element being read, never whitespace. The reader keeps no
/// path: an error names the byte offset of its element and the tokenizer rebuilds the prefixed path from there.
/// </summary>
internal ref partial struct OadrMessageReader
{
    private Utf8XmlTokenizer _x;

    // Start-tag offsets of the elements entered and not yet left, innermost last (for error paths).
    private int[] _open;
    private int _openCount;

    // Start-tag offset of the element whose text was read last, for errors about its value.
    private int _valueStart;

    // A rewritten text (references, CDATA, ...) copied out of the tokenizer's buffer, which the next token may reuse.
    private byte[]? _valueCopy;

    // True when the element just entered was empty (<x/>): the tokenizer stays on it and it acts as its own end tag.
    private bool _atEmpty;

    // Short strings made last, in sets chosen by a hash of their bytes, two per set (see Text()).
    private const int RecentSetBits = 6;
    private const int RecentStrings = 2 << RecentSetBits;
    private string?[]? _recentStrings;

    // The last duration read: intervals mostly repeat one (PT1H, PT1M), which then is not parsed again.
    private Model.IsoDuration? _lastDuration;

    // The date (first ten bytes, yyyy-mm-dd) of the last plain date-time read, and its midnight in UTC ticks.
    private ulong _lastDate;
    private ushort _lastDay;
    private long _lastDateTicks;

    public OadrMessageReader(ReadOnlySpan<byte> utf8, OadrXmlLimits limits, bool anyEncodingLabel)
    {
        _x = new Utf8XmlTokenizer(utf8, limits, anyEncodingLabel) { SkipWhitespaceText = true };
        _open = ArrayPool<int>.Shared.Rent(32);
    }

    public void Dispose()
    {
        _x.Dispose();
        ArrayPool<int>.Shared.Return(_open);
        _open = [];
        if (_valueCopy is not null) ArrayPool<byte>.Shared.Return(_valueCopy);
        _valueCopy = null;
        if (_recentStrings is not null) ArrayPool<string?>.Shared.Return(_recentStrings, clearArray: true);
        _recentStrings = null;
    }

    // ---- document ------------------------------------------------------------------------------

    public OadrDocument ReadDocument()
    {
        // The tokenizer deals with the prolog (declaration, comments, PIs; a DTD is refused there).
        _x.Read();
        SkipInsignificant();
        OadrDocument doc;
        if (At("oadrPayload"u8, Ns.Oadr))
        {
            Begin();
            var hasSignature = false;
            if (At("Signature"u8, Ns.Ds))
            {
                hasSignature = true;
                SkipElement();
            }
            Expect("oadrSignedObject"u8, Ns.Oadr);
            var (message, id) = ReadSignedObject();
            End();
            doc = new OadrDocument(message, OadrEnvelope.OadrPayload, id, hasSignature);
        }
        else if (At("oadrSignedObject"u8, Ns.Oadr))
        {
            var (message, id) = ReadSignedObject();
            doc = new OadrDocument(message, OadrEnvelope.OadrSignedObject, id, false);
        }
        else
        {
            var message = TryReadMessage() ?? throw Unexpected("an OpenADR 2.0b payload (oadrPayload, oadrSignedObject or one of the 23 messages)");
            doc = new OadrDocument(message, OadrEnvelope.None, null, false);
        }
        // After the root the tokenizer allows only comments, PIs and whitespace, and has checked them to the end.
        if (_x.Kind != XmlTokenKind.EndOfDocument) throw Xsd("content after the root element");
        return doc;
    }

    private (Model.OadrMessage Message, string? Id) ReadSignedObject()
    {
        var id = Begin("Id"u8, Ns.Oadr);
        if (id is not null && !IsNcName(id)) throw Xsd($"oadr:Id '{id}' is not an XML ID (NCName)");
        var message = TryReadMessage() ?? throw Unexpected("one of the 23 OpenADR 2.0b messages");
        End();
        return (message, id);
    }

    // ---- navigation ----------------------------------------------------------------------------

    /// <summary>True when the current token is the start tag <paramref name="local"/> in <paramref name="ns"/>.</summary>
    private readonly bool At(ReadOnlySpan<byte> local, string ns) =>
        !_atEmpty && _x.Kind == XmlTokenKind.StartElement
        && ReferenceEquals(_x.NamespaceUri, ns) && _x.LocalName.SequenceEqual(local);

    /// <summary>True when the current token is a start tag (of any name) that has not been entered.</summary>
    private readonly bool AtElement => !_atEmpty && _x.Kind == XmlTokenKind.StartElement;

    /// <summary>Fails unless the current token is the start tag <paramref name="local"/>.</summary>
    private readonly void Expect(ReadOnlySpan<byte> local, string ns)
    {
        if (!At(local, ns)) throw Unexpected(Ns.Display(local, ns));
    }

    /// <summary>
    /// Enters the current start tag: checks its attributes, moves to its first child. Returns the value of the one
    /// attribute the element may carry (<paramref name="attrLocal"/> in <paramref name="attrNs"/>), if given.
    /// </summary>
    private string? Begin(ReadOnlySpan<byte> attrLocal, string? attrNs)
    {
        Push(_x.TokenStart);
        var attr = _x.AttributeCount > 0 ? ReadAttributes(attrLocal, attrNs) : null;
        if (_x.IsEmptyElement)
        {
            _atEmpty = true;
        }
        else
        {
            _x.Read();
            SkipInsignificant();
        }
        return attr;
    }

    /// <summary>Enters the current start tag, which has no attributes in the schema.</summary>
    private void Begin() => Begin(default, null);

    /// <summary>Leaves the element being read: the current token must be its end tag.</summary>
    private void End()
    {
        if (_atEmpty)
        {
            _atEmpty = false;
        }
        else if (_x.Kind != XmlTokenKind.EndElement)
        {
            throw Unexpected(null);
        }
        _x.Read();
        SkipInsignificant();
        Pop();
    }

    private void SkipInsignificant()
    {
        while (_x.Kind == XmlTokenKind.Text)
        {
            if (!_x.IsWhitespace) throw Xsd("text is not allowed here, only elements");
            _x.Read();
        }
    }

    /// <summary>Skips the current element and its content (used for ds:Signature); the tokenizer bounds its depth.</summary>
    private void SkipElement()
    {
        Push(_x.TokenStart);
        if (!_x.IsEmptyElement)
        {
            var depth = _x.Depth;
            while (_x.Read() && !(_x.Kind == XmlTokenKind.EndElement && _x.Depth == depth))
            {
            }
        }
        _x.Read();
        SkipInsignificant();
        Pop();
    }

    private string? ReadAttributes(ReadOnlySpan<byte> wantLocal, string? wantNs)
    {
        string? value = null;
        for (var i = 0; i < _x.AttributeCount; i++)
        {
            var ns = _x.AttributeNamespace(i);
            if (ReferenceEquals(ns, Ns.Xmlns)) continue;
            var local = _x.AttributeLocalName(i);
            if (ReferenceEquals(ns, Ns.Xsi) && (local.SequenceEqual("schemaLocation"u8) || local.SequenceEqual("noNamespaceSchemaLocation"u8))) continue;
            if (wantNs is not null && ReferenceEquals(ns, wantNs) && local.SequenceEqual(wantLocal))
            {
                value = _x.AttributeValue(i);
                continue;
            }
            throw Xsd($"attribute '{Ns.Display(local, ns)}' is not allowed on this element");
        }
        return value;
    }

    // ---- simple content ------------------------------------------------------------------------

    /// <summary>Reads the text of the element <paramref name="local"/>, which must be the current token.</summary>
    private string Text(ReadOnlySpan<byte> local, string ns)
    {
        Expect(local, ns);
        return Text();
    }

    /// <summary>The text of the optional element <paramref name="local"/>, or null when the current token is not it.</summary>
    private string? OptionalText(ReadOnlySpan<byte> local, string ns) => At(local, ns) ? Text() : null;

    /// <summary>
    /// Reads the text content of the current start tag as a string. Short values that repeat (an rID in every
    /// interval, a venID, a market context) come from a small cache of the last ones made, so they are made once.
    /// </summary>
    private string Text()
    {
        var value = Value();
        if (value.IsEmpty) return string.Empty;
        if (value.Length > 32) return Encoding.UTF8.GetString(value);
        if (_recentStrings is null)
        {
            _recentStrings = ArrayPool<string?>.Shared.Rent(RecentStrings);
            _recentStrings.AsSpan(0, RecentStrings).Clear();
        }
        // Two ways per set: the value found or made last in the first, the one before it in the second.
        var set = RecentSet(value) * 2;
        ref var first = ref _recentStrings[set];
        if (first is not null && Ascii.Equals(value, first)) return first;
        ref var second = ref _recentStrings[set + 1];
        if (second is not null && Ascii.Equals(value, second))
        {
            (first, second) = (second, first);
            return first;
        }
        second = first;
        return first = Encoding.UTF8.GetString(value);
    }

    /// <summary>
    /// The cache set of a short value (1 to 32 bytes): its first and last eight bytes (or all of it) and its length,
    /// mixed (the SplitMix64 finaliser) so that values differing in any byte of a short ID (uid 0 to 23, EVT-1 to
    /// EVT-10) spread over the sets.
    /// </summary>
    internal static int RecentSet(ReadOnlySpan<byte> value)
    {
        ulong h;
        if (value.Length >= sizeof(ulong))
        {
            h = MemoryMarshal.Read<ulong>(value) * 0x9E3779B97F4A7C15UL ^ MemoryMarshal.Read<ulong>(value[^sizeof(ulong)..]);
        }
        else
        {
            h = 0;
            foreach (var b in value) h = (h << 8) | b;
        }
        h = (h + (ulong)value.Length) * 0xBF58476D1CE4E5B9UL;
        h = (h ^ (h >> 31)) * 0x94D049BB133111EBUL;
        return (int)(h >> (64 - RecentSetBits));
    }

    /// <summary>The UTF-8 text of the element <paramref name="local"/>, which must be the current token.</summary>
    private ReadOnlySpan<byte> Value(ReadOnlySpan<byte> local, string ns)
    {
        Expect(local, ns);
        return Value();
    }

    /// <summary>
    /// Reads the text content of the current start tag as UTF-8 and moves past its end tag. The span stays valid
    /// until the next call (it is the input itself, or a copy when the text had to be rewritten).
    /// </summary>
    private ReadOnlySpan<byte> Value()
    {
        _valueStart = _x.TokenStart;
        Push(_x.TokenStart);
        if (_x.AttributeCount > 0) ReadAttributes(default, null);
        ReadOnlySpan<byte> value = default;
        if (!_x.IsEmptyElement && !_x.TryReadSimpleContent(out value))
        {
            // Whitespace is content here (xs:string keeps it): ask for it.
            _x.SkipWhitespaceText = false;
            _x.Read();
            _x.SkipWhitespaceText = true;
            if (_x.Kind == XmlTokenKind.Text)
            {
                value = _x.GetText();
                if (_x.TextRewritten) value = Keep(value);
                _x.Read();
            }
            if (_x.Kind != XmlTokenKind.EndElement) throw Unexpected(null, "text only");
        }
        _x.Read();
        SkipInsignificant();
        Pop();
        return value;
    }

    private ReadOnlySpan<byte> Keep(ReadOnlySpan<byte> text)
    {
        if (_valueCopy is null || _valueCopy.Length < text.Length)
        {
            if (_valueCopy is not null) ArrayPool<byte>.Shared.Return(_valueCopy);
            _valueCopy = ArrayPool<byte>.Shared.Rent(Math.Max(text.Length, 256));
        }
        text.CopyTo(_valueCopy);
        return _valueCopy.AsSpan(0, text.Length);
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
    /// <summary>
    /// A growable buffer from the array pool, turned into an exact-size <see cref="Model.ValueList{T}"/>. The first item
    /// is held inline: most lists in a message (payloads of an interval, targets) have one.
    /// </summary>
    private struct ListBuilder<T>
    {
        private T _first;
        private T[]? _items;
        private int _count;

        public readonly int Count => _count;

        public void Add(T item)
        {
            if (_count == 0)
            {
                _first = item;
                _count = 1;
                return;
            }
            if (_items is null)
            {
                _items = ArrayPool<T>.Shared.Rent(8);
                _items[0] = _first;
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
            if (_count == 0) return Model.ValueList<T>.Empty;
            T[] result;
            if (_items is null)
            {
                result = [_first];
            }
            else
            {
                result = _items.AsSpan(0, _count).ToArray();
                ArrayPool<T>.Shared.Return(_items, clearArray: true);
            }
            _items = null;
            _first = default!;
            _count = 0;
            return Model.ValueList<T>.Own(result);
        }
    }

    // ---- path and errors -----------------------------------------------------------------------

    private void Push(int tagStart)
    {
        if (_openCount == _open.Length)
        {
            var bigger = ArrayPool<int>.Shared.Rent(_open.Length * 2);
            _open.AsSpan().CopyTo(bigger);
            ArrayPool<int>.Shared.Return(_open);
            _open = bigger;
        }
        _open[_openCount++] = tagStart;
    }

    private void Pop() => _openCount--;

    /// <summary>An <c>xsd</c> error about the element being read, located at the current token.</summary>
    private readonly OadrFormatException Xsd(string message)
    {
        var path = _openCount > 0 ? _x.DescribePath(_open[_openCount - 1], element: true) : "";
        var (line, column) = _x.LineInfo(_x.Kind is XmlTokenKind.StartElement or XmlTokenKind.EndElement ? _x.TokenStart + 1 : _x.TokenStart);
        return new OadrFormatException("xsd", path, message, line, column);
    }

    /// <summary>An error about the value just read by <see cref="Value()"/>: the path and line name that element.</summary>
    private readonly OadrFormatException BadValue(ReadOnlySpan<byte> value, string expected) => BadValue(Encoding.UTF8.GetString(value), expected);

    private readonly OadrFormatException BadValue(string value, string expected)
    {
        var shown = value.Length > 80 ? value[..80] + "..." : value;
        var (line, column) = _x.LineInfo(_valueStart + 1);
        return new OadrFormatException("xsd", _x.DescribePath(_valueStart, element: true), $"'{shown}' is not {expected}", line, column);
    }

    /// <summary>The current token is not what the schema wants here.</summary>
    private readonly OadrFormatException Unexpected(string? expected, string? content = null)
    {
        if (AtElement)
        {
            var found = Ns.Display(_x.LocalName, _x.NamespaceUri);
            var message = expected is null
                ? $"unexpected element '{found}': {(content ?? "no further element")} is allowed here"
                : $"unexpected element '{found}', expected {expected}";
            var (line, column) = _x.LineInfo(_x.TokenStart + 1);
            return new OadrFormatException("xsd", _x.DescribePath(_x.TokenStart, element: true), message, line, column);
        }
        return expected is null
            ? Xsd("unexpected content")
            : Xsd($"missing element {expected}");
    }
}
