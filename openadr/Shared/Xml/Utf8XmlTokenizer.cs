// Compiled into FlexCoop.OpenAdr and FlexCoop.Usef as an internal type (no package of its own): one pull tokenizer for
// both codecs. What differs per package (its exception type, its known namespaces, how it names an element path)
// is in a small partial file in each: Utf8XmlTokenizer.OpenAdr.cs and Utf8XmlTokenizer.Usef.cs.
using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;
using System.Xml;

namespace FlexCoop.Xml.Internal;

/// <summary>Bounds the tokenizer enforces (rule <c>limits</c>); each package maps its own limits record onto these.</summary>
/// <param name="MaxCharacters">Longest document, in characters.</param>
/// <param name="MaxDepth">Deepest element nesting (the root is depth 1).</param>
/// <param name="MaxTokenCharacters">Longest text or attribute value, in characters.</param>
/// <param name="MaxNameCharacters">Longest element or attribute name, prefix included.</param>
/// <param name="MaxAttributes">Most attributes (namespace declarations included) on one element.</param>
internal readonly record struct Utf8XmlLimits(long MaxCharacters, int MaxDepth, int MaxTokenCharacters, int MaxNameCharacters, int MaxAttributes)
{
    /// <summary>No bounds: for reading again a document already read within its bounds.</summary>
    public static Utf8XmlLimits Unbounded => new(long.MaxValue, int.MaxValue, int.MaxValue, int.MaxValue, int.MaxValue);
}

/// <summary>The node a <see cref="Utf8XmlTokenizer"/> stands on.</summary>
internal enum XmlTokenKind : byte
{
    None,
    StartElement,
    EndElement,
    /// <summary>All character data between two tags: text, references, CDATA sections; comments and PIs inside it are dropped.</summary>
    Text,
    EndOfDocument,
}

/// <summary>
/// A pull tokenizer for namespace-aware XML 1.0 over UTF-8 bytes, written for reading untrusted messages fast:
/// names stay byte ranges of the input, known namespace URIs resolve to the package's namespace string
/// constants (<see cref="PackageNamespaces"/>), text is handed out as a slice of the input unless references, CDATA, comments or line ends need
/// it rewritten. It checks well-formedness (UTF-8, legal characters, names, matching end tags, one root,
/// unique attributes, declared prefixes, references, comments, CDATA, the XML declaration) and bounds depth,
/// names, attributes, text and document size by <see cref="Utf8XmlLimits"/>. Any DTD or markup declaration is
/// refused (rule <c>dtd</c>); nothing is ever resolved. Every failure is the package's format exception
/// (made by <see cref="CreateException"/>; rule <c>xml</c>, <c>dtd</c> or <c>limits</c>) with the prefixed element path, line and column.
/// </summary>
/// <remarks>
/// Whitespace-only text comes out as <see cref="XmlTokenKind.Text"/> with <see cref="IsWhitespace"/> set; text
/// outside the root (whitespace only, or an error) never does. An empty element (<c>&lt;x/&gt;</c>) gives one
/// <see cref="XmlTokenKind.StartElement"/> with <see cref="IsEmptyElement"/> and no end token, as
/// <see cref="XmlReader"/> does.
/// </remarks>
internal ref partial struct Utf8XmlTokenizer
{
    private const byte Lt = (byte)'<';
    private const ulong EightSpaces = 0x2020202020202020UL;

    /// <summary>The namespace the prefix <c>xml</c> is bound to.</summary>
    public const string XmlNamespace = "http://www.w3.org/XML/1998/namespace";

    /// <summary>The namespace of namespace declarations (<c>xmlns</c>, <c>xmlns:p</c>).</summary>
    public const string XmlnsNamespace = "http://www.w3.org/2000/xmlns/";

    private readonly ReadOnlySpan<byte> _xml;
    private readonly Utf8XmlLimits _limits;
    private readonly int _maxDepth;
    private readonly int _maxToken;
    private readonly int _maxName;
    private readonly int _maxAttributes;
    private readonly bool _anyEncodingLabel;
    private readonly bool _describing;

    private int _pos;
    private bool _started;
    private bool _rootSeen;
    private bool _rootClosed;
    private bool _popPending;

    private XmlTokenKind _kind;
    private int _tokenStart;
    private int _nameStart;
    private int _nameLength;
    private int _prefixLength;
    private string _ns;
    private bool _isEmpty;
    private int _depth;

    private int _textStart;
    private int _textEnd;
    private bool _textRewrite;
    private bool _textWhitespace;

    private AttrInfo[] _attrs;
    private int _attrCount;
    private bool _mayDeclare;
    private Frame[] _frames;
    private int _frameCount;
    private Binding[] _bindings;
    private int _bindingCount;
    private byte[]? _scratch;
    private PrefixCacheEntry[] _prefixCache;
    private NameCacheEntry[] _nameCache;
    private int _bindingsVersion;

    /// <param name="utf8">The document (a UTF-8 byte order mark is skipped).</param>
    /// <param name="limits">Bounds, already validated.</param>
    /// <param name="anyEncodingLabel">
    /// True when the bytes were transcoded to UTF-8 by the caller (from UTF-16, a string, ...): the XML declaration's
    /// encoding label then names the original encoding and is not checked against UTF-8.
    /// </param>
    public Utf8XmlTokenizer(ReadOnlySpan<byte> utf8, Utf8XmlLimits limits, bool anyEncodingLabel = false)
        : this(utf8, limits, anyEncodingLabel, describing: false)
    {
    }

    private Utf8XmlTokenizer(ReadOnlySpan<byte> utf8, Utf8XmlLimits limits, bool anyEncodingLabel, bool describing)
    {
        _xml = utf8;
        _limits = limits;
        _maxDepth = limits.MaxDepth;
        _maxToken = limits.MaxTokenCharacters;
        _maxName = limits.MaxNameCharacters;
        _maxAttributes = limits.MaxAttributes;
        _anyEncodingLabel = anyEncodingLabel;
        _describing = describing;
        _ns = "";
        _attrs = ArrayPool<AttrInfo>.Shared.Rent(8);
        _frames = ArrayPool<Frame>.Shared.Rent(16);
        _bindings = ArrayPool<Binding>.Shared.Rent(16);
        _prefixCache = ArrayPool<PrefixCacheEntry>.Shared.Rent(PrefixCacheSize);
        _prefixCache.AsSpan(0, PrefixCacheSize).Clear();
        _nameCache = ArrayPool<NameCacheEntry>.Shared.Rent(NameCacheSize);
        _nameCache.AsSpan(0, NameCacheSize).Clear();
        _bindingsVersion = 1;
    }

    /// <summary>
    /// When set, text that is only whitespace (with comments or PIs) between tags is passed over instead of being
    /// returned as a <see cref="XmlTokenKind.Text"/> token: a reader that wants only elements there saves the round trip.
    /// </summary>
    public bool SkipWhitespaceText { readonly get; set; }

    // ---- the current token ---------------------------------------------------------------------

    public readonly XmlTokenKind Kind => _kind;

    /// <summary>Byte offset of the token: its <c>&lt;</c> for tags, its first byte for text.</summary>
    public readonly int TokenStart => _tokenStart;

    /// <summary>Element depth of a start or end tag (the root is 1).</summary>
    public readonly int Depth => _depth;

    public readonly bool IsEmptyElement => _isEmpty;

    /// <summary>The element's name as written, prefix included.</summary>
    public readonly ReadOnlySpan<byte> QualifiedName => _xml.Slice(_nameStart, _nameLength);

    public readonly ReadOnlySpan<byte> LocalName =>
        _prefixLength == 0 ? _xml.Slice(_nameStart, _nameLength) : _xml.Slice(_nameStart + _prefixLength + 1, _nameLength - _prefixLength - 1);

    public readonly ReadOnlySpan<byte> Prefix => _xml.Slice(_nameStart, _prefixLength);

    /// <summary>The element's namespace: one of <see cref="PackageNamespaces"/> when known (compare by reference), "" for none.</summary>
    public readonly string NamespaceUri => _ns;

    /// <summary>True when the text holds nothing but literal whitespace (and comments or PIs).</summary>
    public readonly bool IsWhitespace => _textWhitespace;

    /// <summary>True when <see cref="GetText"/> has to rewrite the text (so its result lives only until the next call).</summary>
    public readonly bool TextRewritten => _textRewrite;

    public readonly int AttributeCount => _attrCount;

    public readonly ReadOnlySpan<byte> AttributeQualifiedName(int i) => _xml.Slice(_attrs[i].NameStart, _attrs[i].NameLength);

    /// <summary>Length in bytes of the attribute's name as written, prefix included.</summary>
    public readonly int AttributeQualifiedNameLength(int i) => _attrs[i].NameLength;

    public readonly ReadOnlySpan<byte> AttributeLocalName(int i)
    {
        ref readonly var a = ref _attrs[i];
        return a.PrefixLength == 0 ? _xml.Slice(a.NameStart, a.NameLength) : _xml.Slice(a.NameStart + a.PrefixLength + 1, a.NameLength - a.PrefixLength - 1);
    }

    public readonly ReadOnlySpan<byte> AttributePrefix(int i) => _xml.Slice(_attrs[i].NameStart, _attrs[i].PrefixLength);

    /// <summary>The attribute's namespace: <see cref="XmlnsNamespace"/> for declarations, "" when unprefixed.</summary>
    public readonly string AttributeNamespace(int i) => _attrs[i].Ns ?? "";

    /// <summary>The attribute's value, references replaced and whitespace normalised as XML says.</summary>
    public string AttributeValue(int i)
    {
        var a = _attrs[i];
        return a.Rewrite ? Encoding.UTF8.GetString(Rewrite(a.ValueStart, a.ValueEnd, attribute: true)) : Encoding.UTF8.GetString(_xml[a.ValueStart..a.ValueEnd]);
    }

    /// <summary>
    /// The attribute's value as UTF-8, references replaced and whitespace normalised: a slice of the input, or a
    /// buffer that the next rewrite overwrites.
    /// </summary>
    public ReadOnlySpan<byte> AttributeValueUtf8(int i)
    {
        var a = _attrs[i];
        return a.Rewrite ? Rewrite(a.ValueStart, a.ValueEnd, attribute: true) : _xml[a.ValueStart..a.ValueEnd];
    }

    /// <summary>
    /// The text of the current <see cref="XmlTokenKind.Text"/> token as UTF-8: a slice of the input, or (when it had
    /// references, CDATA, comments or carriage returns) a buffer that the next call overwrites.
    /// </summary>
    public ReadOnlySpan<byte> GetText() => _textRewrite ? Rewrite(_textStart, _textEnd, attribute: false) : _xml[_textStart.._textEnd];

    public void Dispose()
    {
        ArrayPool<AttrInfo>.Shared.Return(_attrs, clearArray: true);
        ArrayPool<Frame>.Shared.Return(_frames, clearArray: true);
        ArrayPool<Binding>.Shared.Return(_bindings, clearArray: true);
        ArrayPool<PrefixCacheEntry>.Shared.Return(_prefixCache, clearArray: true);
        _prefixCache = [];
        ArrayPool<NameCacheEntry>.Shared.Return(_nameCache, clearArray: true);
        _nameCache = [];
        if (_scratch is not null) ArrayPool<byte>.Shared.Return(_scratch);
        _attrs = [];
        _frames = [];
        _bindings = [];
        _scratch = null;
    }

    // ---- reading -------------------------------------------------------------------------------

    /// <summary>Moves to the next token; false at the end of a well-formed document.</summary>
    public bool Read()
    {
        if (!_started) Start();
        if (_popPending)
        {
            _popPending = false;
            PopFrame();
        }
        while (true)
        {
            if (_pos >= _xml.Length) return AtEnd();
            if (_xml[_pos] == Lt && _pos + 1 < _xml.Length)
            {
                var next = _xml[_pos + 1];
                if (next == '/')
                {
                    ReadEndTag();
                    return true;
                }
                if (next is not ((byte)'!' or (byte)'?'))
                {
                    ReadStartTag();
                    return true;
                }
            }
            if (SkipWhitespaceText && SkipIndentation()) continue;
            if (ScanText())
            {
                return true;
            }
        }
    }

    /// <summary>
    /// Passes over a line end and spaces (indentation) when a start or end tag follows them; otherwise changes nothing
    /// and <see cref="ScanText"/> reads the text. Only when whitespace text is skipped anyway.
    /// </summary>
    private bool SkipIndentation()
    {
        var xml = _xml;
        var p = _pos;
        if (xml[p] == '\n') p++;
        p = SkipSpaces(xml, p);
        while (p < xml.Length && xml[p] is (byte)' ' or (byte)'\t') p++;
        if (p + 1 < xml.Length && xml[p] == Lt && xml[p + 1] is not ((byte)'!' or (byte)'?'))
        {
            _pos = p;
            return true;
        }
        return false;
    }

    /// <summary>
    /// Passes over spaces from <paramref name="p"/> eight bytes at a time; in the last eight, the spaces left are
    /// counted from the first byte that differs (the lowest-addressed byte of a little-endian read is its lowest), so an indentation costs one load per
    /// eight spaces and no loop over its last few. Stops at the end of the input less than eight bytes away.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SkipSpaces(ReadOnlySpan<byte> xml, int p)
    {
        while (p <= xml.Length - sizeof(ulong))
        {
            var differ = MemoryMarshal.Read<ulong>(xml[p..]) ^ EightSpaces;
            if (differ != 0)
            {
                var zeros = BitConverter.IsLittleEndian ? BitOperations.TrailingZeroCount(differ) : BitOperations.LeadingZeroCount(differ);
                return p + (zeros >> 3);
            }
            p += sizeof(ulong);
        }
        return p;
    }

    private void Start()
    {
        _started = true;
        if (_xml.StartsWith(Utf8XmlInput.Utf8Bom)) _pos = 3;
        var limit = _limits.MaxCharacters;
        if (_xml.Length > limit && Encoding.UTF8.GetCharCount(_xml) > limit)
        {
            throw Error("limits", 0, $"the document is longer than {limit} characters");
        }
        if (!Utf8.IsValid(_xml))
        {
            throw Error("xml", FirstInvalidUtf8(_xml), "the bytes are not valid UTF-8");
        }
        if (_xml[_pos..].StartsWith("<?xml"u8) && _pos + 5 < _xml.Length && IsBlank(_xml[_pos + 5]))
        {
            ReadDeclaration();
        }
    }

    private bool AtEnd()
    {
        if (_frameCount > 0)
        {
            var open = _frames[_frameCount - 1];
            throw Error("xml", _xml.Length, $"the document ends inside element '{Name(open.NameStart, open.NameLength)}', which is not closed");
        }
        if (!_rootSeen) throw Error("xml", _xml.Length, "the document has no root element");
        _kind = XmlTokenKind.EndOfDocument;
        _tokenStart = _xml.Length;
        return false;
    }

    /// <summary>
    /// Scans character data from <see cref="_pos"/> up to the next start or end tag (or the end): text, references,
    /// CDATA, comments and PIs. True when it made a <see cref="XmlTokenKind.Text"/> token.
    /// </summary>
    private bool ScanText()
    {
        var start = _pos;
        var rewrite = false;
        var whitespace = true;
        var data = false;
        var xml = _xml;
        var p = _pos;
        // Indentation, the most common text of all: a line end, then spaces eight at a time; then a value such as
        // 0.2 is short enough that a table lookup per byte beats a vector search.
        if (p < xml.Length && xml[p] == '\n') p++;
        p = SkipSpaces(xml, p);
        var scalarEnd = Math.Min(xml.Length, p + 64);
        while (p < scalarEnd)
        {
            var cls = TextClass[xml[p]];
            if (cls == Special) break;
            if (cls == Plain) whitespace = false;
            p++;
        }
        if (p > start) data = true;
        while (p < xml.Length)
        {
            if (TextClass[xml[p]] != Special)
            {
                var rest = xml[p..];
                var i = rest.IndexOfAny(TextStops);
                var plainLength = i < 0 ? rest.Length : i;
                data = true;
                if (whitespace && rest[..plainLength].IndexOfAnyExcept(Blanks) >= 0) whitespace = false;
                if (i < 0)
                {
                    p = xml.Length;
                    break;
                }
                p += i;
            }
            switch (xml[p])
            {
                case Lt:
                    if (p + 1 >= xml.Length) throw Error("xml", p, "the document ends inside a tag");
                    var next = xml[p + 1];
                    if (next == '?')
                    {
                        p = SkipProcessingInstruction(p);
                        rewrite = true;
                        continue;
                    }
                    if (next != '!') goto Done;
                    if (xml[p..].StartsWith("<!--"u8))
                    {
                        p = SkipComment(p);
                        rewrite = true;
                        continue;
                    }
                    if (xml[p..].StartsWith("<![CDATA["u8))
                    {
                        if (_frameCount == 0) throw Error("xml", p, "a CDATA section outside the root element");
                        var end = SkipCData(p);
                        if (end - p > "<![CDATA[]]>".Length)
                        {
                            data = true;
                            whitespace = false;
                        }
                        p = end;
                        rewrite = true;
                        continue;
                    }
                    throw MarkupDeclaration(p);
                case (byte)'&':
                    if (_frameCount == 0) throw Error("xml", p, "a reference outside the root element");
                    p = ScanReference(p, out _);
                    data = true;
                    whitespace = false;
                    rewrite = true;
                    continue;
                case (byte)'\r':
                    p++;
                    data = true;
                    rewrite = true;
                    continue;
                case (byte)']':
                    if (xml[p..].StartsWith("]]>"u8)) throw Error("xml", p, "']]>' is not allowed in text");
                    p++;
                    data = true;
                    whitespace = false;
                    continue;
                default:
                    p = CheckSpecialByte(p);
                    data = true;
                    whitespace = false;
                    continue;
            }
        }
    Done:
        _pos = p;
        if (_frameCount == 0)
        {
            if (data && !whitespace)
            {
                throw Error("xml", start, _rootSeen ? "text after the root element" : "text before the root element");
            }
            return false;
        }
        if (!data || (whitespace && SkipWhitespaceText)) return false;
        _kind = XmlTokenKind.Text;
        _tokenStart = start;
        _textStart = start;
        _textEnd = p;
        _textRewrite = rewrite;
        _textWhitespace = whitespace;
        _depth = _frameCount;
        if (p - start > _maxToken && Encoding.UTF8.GetCharCount(GetText()) > _maxToken)
        {
            throw Error("limits", start, $"a text is longer than {_maxToken} characters");
        }
        return true;
    }

    /// <summary>The offset after the cached name in <paramref name="slot"/> when the input at <paramref name="p"/> repeats it, else 0.</summary>
    private readonly int KnownName(int slot, int p)
    {
        var xml = _xml;
        ref readonly var known = ref _nameCache[slot];
        var end = p + known.Length;
        return known.Length > 0 && end < xml.Length && IsNameEnd(xml[end]) && xml.Slice(p, known.Length).SequenceEqual(xml.Slice(known.Start, known.Length))
            ? end
            : 0;
    }

    private void ReadStartTag()
    {
        var tagStart = _pos;
        if (_rootClosed) throw Error("xml", tagStart, "a second root element: a document has exactly one");
        var xml = _xml;
        var p = tagStart + 1;
        var nameStart = p;
        // Messages repeat a few names over and over: one seen before is recognised by comparing bytes, without scanning
        // it again or resolving its prefix again. A cached name was checked when first seen; the byte after it must end
        // a name here too.
        int prefixLength;
        var slot = -1;
        var cachedNs = false;
        if (p + sizeof(ulong) <= xml.Length)
        {
            // Two ways per set: names that share their first bytes (oadr:oadr...) or their hash and alternate in every
            // interval (xcal:dtstart, ei:interval) keep both their entries.
            var set = (int)((MemoryMarshal.Read<ulong>(xml[p..]) * 0x9E3779B97F4A7C15UL) >> 58) * NameCacheWays;
            var end = KnownName(set, p);
            if (end > 0)
            {
                slot = set;
            }
            else if ((end = KnownName(set + 1, p)) > 0)
            {
                slot = set + 1;
            }
            if (slot >= 0)
            {
                prefixLength = _nameCache[slot].PrefixLength;
                p = end;
                cachedNs = true;
            }
            else
            {
                p = ScanQName(p, out prefixLength);
                // The newcomer takes the first way; what was there moves to the second.
                _nameCache[set + 1] = _nameCache[set];
                slot = set;
            }
        }
        else
        {
            p = ScanQName(p, out prefixLength);
        }
        var nameLength = p - nameStart;
        _attrCount = 0;
        _mayDeclare = false;
        var empty = false;
        while (true)
        {
            var blank = p;
            while (p < xml.Length && IsBlank(xml[p])) p++;
            if (p >= xml.Length) throw Error("xml", tagStart, "the document ends inside a start tag");
            var b = xml[p];
            if (b == '>')
            {
                p++;
                break;
            }
            if (b == '/')
            {
                if (p + 1 < xml.Length && xml[p + 1] == '>')
                {
                    p += 2;
                    empty = true;
                    break;
                }
                throw Error("xml", p, "'/' in a start tag must be followed by '>'");
            }
            if (p == blank) throw Error("xml", p, "attributes must be separated by whitespace");
            p = ReadAttribute(tagStart, p);
        }
        _pos = p;
        var depth = _frameCount + 1;
        _kind = XmlTokenKind.StartElement;
        _tokenStart = tagStart;
        _nameStart = nameStart;
        _nameLength = nameLength;
        _prefixLength = prefixLength;
        _isEmpty = empty;
        _depth = depth;
        if (depth > _maxDepth)
        {
            throw Error("limits", tagStart, $"elements are nested deeper than {_maxDepth} levels", element: true);
        }
        var bindingMark = _bindingCount;
        if (_mayDeclare) DeclareNamespaces(tagStart);
        if (cachedNs && _nameCache[slot].Version == _bindingsVersion)
        {
            _ns = _nameCache[slot].Ns!;
        }
        else
        {
            _ns = prefixLength == 0 ? DefaultNamespace() : Resolve(nameStart, prefixLength, tagStart);
            if (slot >= 0) _nameCache[slot] = new NameCacheEntry(nameStart, nameLength, prefixLength, _ns, _bindingsVersion);
        }
        if (_attrCount > 0) ResolveAttributes(tagStart);
        if (_frameCount == _frames.Length) Grow(ref _frames);
        _frames[_frameCount++] = new Frame(nameStart, nameLength, prefixLength, bindingMark, _ns);
        _rootSeen = true;
        _popPending = empty;
    }

    private int ReadAttribute(int tagStart, int p)
    {
        var xml = _xml;
        var nameStart = p;
        p = ScanQName(p, out var prefixLength);
        var nameLength = p - nameStart;
        // Only a name starting with 'x' can be xmlns or xmlns:p: a start tag without one skips the declaration pass.
        if (xml[nameStart] == (byte)'x') _mayDeclare = true;
        while (p < xml.Length && IsBlank(xml[p])) p++;
        if (p >= xml.Length || xml[p] != '=') throw Error("xml", p, $"attribute '{Name(nameStart, nameLength)}' has no '=' and value");
        p++;
        while (p < xml.Length && IsBlank(xml[p])) p++;
        if (p >= xml.Length || xml[p] is not ((byte)'"' or (byte)'\'')) throw Error("xml", p, $"the value of attribute '{Name(nameStart, nameLength)}' is not quoted");
        var quote = xml[p];
        var stops = quote == '"' ? AttributeStopsDouble : AttributeStopsSingle;
        p++;
        var valueStart = p;
        var rewrite = false;
        while (true)
        {
            // Values are mostly short (a number, a date, an ID): a table lookup per byte beats a vector search there.
            // The table stops at both quotes; the one that does not close this value is plain text.
            var scalarEnd = Math.Min(xml.Length, p + 32);
            while (p < scalarEnd && AttributeClass[xml[p]] == 0) p++;
            if (p == scalarEnd)
            {
                var i = xml[p..].IndexOfAny(stops);
                if (i < 0) throw Error("xml", tagStart, "the document ends inside an attribute value");
                p += i;
            }
            var b = xml[p];
            if (b == quote) break;
            switch (b)
            {
                case (byte)'"':
                case (byte)'\'':
                    p++;
                    break;
                case Lt:
                    throw Error("xml", p, "'<' is not allowed in an attribute value");
                case (byte)'&':
                    p = ScanReference(p, out _);
                    rewrite = true;
                    break;
                case (byte)'\t':
                case (byte)'\n':
                case (byte)'\r':
                    p++;
                    rewrite = true;
                    break;
                default:
                    p = CheckSpecialByte(p);
                    break;
            }
        }
        var valueEnd = p;
        p++;
        if (_attrCount == _maxAttributes)
        {
            throw Error("limits", tagStart, $"an element has more than {_maxAttributes} attributes", element: true);
        }
        if (_attrCount == _attrs.Length) Grow(ref _attrs);
        _attrs[_attrCount++] = new AttrInfo(nameStart, nameLength, prefixLength, valueStart, valueEnd, rewrite);
        if (valueEnd - valueStart > _maxToken
            && Encoding.UTF8.GetCharCount(rewrite ? Rewrite(valueStart, valueEnd, attribute: true) : xml[valueStart..valueEnd]) > _maxToken)
        {
            throw Error("limits", tagStart, $"an attribute value is longer than {_maxToken} characters", element: true);
        }
        return p;
    }

    /// <summary>
    /// On a start tag just read (not empty): when its content is plain text (no markup, references, CDATA, carriage
    /// returns or characters that need a closer look) directly followed by its own end tag, moves onto that end tag
    /// (as <see cref="Read"/> would have in two steps) and gives the text, a slice of the input. Otherwise changes
    /// nothing and returns false: the caller reads on with <see cref="Read"/>, which checks and reports everything.
    /// </summary>
    public bool TryReadSimpleContent(out ReadOnlySpan<byte> text)
    {
        text = default;
        var xml = _xml;
        var start = _pos;
        var p = start;
        var scalarEnd = Math.Min(xml.Length, p + 64);
        while (p < scalarEnd && TextClass[xml[p]] != Special) p++;
        if (p == scalarEnd)
        {
            var i = xml[p..].IndexOfAny(TextStops);
            if (i < 0) return false;
            p += i;
        }
        if (xml[p] != Lt || p + 1 >= xml.Length || xml[p + 1] != '/' || _frameCount == 0) return false;
        ref readonly var top = ref _frames[_frameCount - 1];
        var close = p + 2 + top.NameLength;
        if (close >= xml.Length || xml[close] != '>' || !xml.Slice(p + 2, top.NameLength).SequenceEqual(xml.Slice(top.NameStart, top.NameLength)))
        {
            return false;
        }
        if (p - start > _maxToken && Encoding.UTF8.GetCharCount(xml[start..p]) > _maxToken) return false;
        text = xml[start..p];
        _pos = close + 1;
        SetEndTag(p, top);
        return true;
    }

    private void SetEndTag(int tagStart, in Frame top)
    {
        _kind = XmlTokenKind.EndElement;
        _tokenStart = tagStart;
        _nameStart = tagStart + 2;
        _nameLength = top.NameLength;
        _prefixLength = top.PrefixLength;
        _isEmpty = false;
        _depth = _frameCount;
        _ns = top.Ns;
        PopFrame();
    }

    private void ReadEndTag()
    {
        var tagStart = _pos;
        var xml = _xml;
        if (_frameCount > 0)
        {
            // Fast path: the open element's name, then '>' at once.
            ref readonly var top = ref _frames[_frameCount - 1];
            var close = tagStart + 2 + top.NameLength;
            if (close < xml.Length && xml[close] == '>' && xml.Slice(tagStart + 2, top.NameLength).SequenceEqual(xml.Slice(top.NameStart, top.NameLength)))
            {
                _pos = close + 1;
                SetEndTag(tagStart, top);
                return;
            }
        }
        var p = tagStart + 2;
        var nameStart = p;
        p = ScanQName(p, out var prefixLength);
        var nameLength = p - nameStart;
        while (p < xml.Length && IsBlank(xml[p])) p++;
        if (p >= xml.Length) throw Error("xml", tagStart, "the document ends inside an end tag");
        if (xml[p] != '>') throw Error("xml", p, $"end tag '{Name(nameStart, nameLength)}' is not closed by '>'");
        if (_frameCount == 0) throw Error("xml", tagStart, $"end tag '{Name(nameStart, nameLength)}' has no start tag");
        var open = _frames[_frameCount - 1];
        if (!xml.Slice(nameStart, nameLength).SequenceEqual(xml.Slice(open.NameStart, open.NameLength)))
        {
            throw Error("xml", tagStart, $"end tag '{Name(nameStart, nameLength)}' does not match start tag '{Name(open.NameStart, open.NameLength)}'");
        }
        _pos = p + 1;
        _kind = XmlTokenKind.EndElement;
        _tokenStart = tagStart;
        _nameStart = nameStart;
        _nameLength = nameLength;
        _prefixLength = prefixLength;
        _isEmpty = false;
        _depth = _frameCount;
        _ns = open.Ns;
        PopFrame();
    }

    private void PopFrame()
    {
        var mark = _frames[--_frameCount].BindingMark;
        if (mark != _bindingCount)
        {
            _bindingCount = mark;
            _bindingsVersion++;
        }
        if (_frameCount == 0) _rootClosed = true;
    }

    // ---- names and namespaces ------------------------------------------------------------------

    /// <summary>Scans a QName (<c>prefix:local</c> or <c>local</c>) at <paramref name="p"/>; returns the offset after it.</summary>
    private readonly int ScanQName(int p, out int prefixLength)
    {
        // Fast path: an ASCII name of the usual few bytes, by a table lookup per byte; anything unusual (non-ASCII,
        // a second ':', a name at the very end or over the limit) is left to the slow path, which also reports errors.
        var xml = _xml;
        var end = Math.Min(xml.Length, p + _maxName + 1);
        var q = p;
        var colon = -1;
        if (q < end && xml[q] < 0x80 && (AsciiClass[xml[q]] & NameStartBit) != 0)
        {
            q++;
            while (q < end)
            {
                var b = xml[q];
                if (b >= 0x80) return ScanQNameSlow(p, out prefixLength);
                if ((AsciiClass[b] & NameBit) != 0)
                {
                    q++;
                    continue;
                }
                if (b != ':') break;
                if (colon >= 0 || q + 1 >= end || xml[q + 1] >= 0x80 || (AsciiClass[xml[q + 1]] & NameStartBit) == 0) return ScanQNameSlow(p, out prefixLength);
                colon = q;
                q += 2;
            }
            if (q < end)
            {
                prefixLength = colon < 0 ? 0 : colon - p;
                return q;
            }
        }
        return ScanQNameSlow(p, out prefixLength);
    }

    /// <summary>Byte by byte, for non-ASCII names, names at the end of the input and every faulty name.</summary>
    private readonly int ScanQNameSlow(int p, out int prefixLength)
    {
        var xml = _xml;
        var start = p;
        prefixLength = 0;
        var chars = 0;
        var atNameStart = true;
        while (p < xml.Length)
        {
            var b = xml[p];
            if (b < 0x80)
            {
                var cls = AsciiClass[b];
                if (b == ':')
                {
                    if (prefixLength != 0 || p == start) throw Error("xml", p, "a name may hold one ':' only, between a prefix and a local name");
                    prefixLength = p - start;
                    atNameStart = true;
                    p++;
                    chars++;
                    continue;
                }
                if ((cls & (atNameStart ? NameStartBit : NameBit)) == 0) break;
                p++;
                chars++;
            }
            else
            {
                Rune.DecodeFromUtf8(xml[p..], out var rune, out var n);
                if (!(atNameStart ? IsNameStartRune(rune.Value) : IsNameRune(rune.Value))) break;
                p += n;
                chars += rune.Utf16SequenceLength;
            }
            atNameStart = false;
            if (chars > _maxName)
            {
                throw Error("limits", start, $"a name is longer than {_maxName} characters");
            }
        }
        if (p == start || atNameStart)
        {
            if (p >= xml.Length) throw Error("xml", p, "the document ends where a name was expected");
            throw Error("xml", p, $"'{Describe(p)}' cannot start a name");
        }
        return p;
    }

    private void DeclareNamespaces(int tagStart)
    {
        var xml = _xml;
        for (var i = 0; i < _attrCount; i++)
        {
            ref var a = ref _attrs[i];
            var name = xml.Slice(a.NameStart, a.NameLength);
            int prefixStart, prefixLength;
            if (a.PrefixLength == 0 && name.SequenceEqual("xmlns"u8))
            {
                prefixStart = a.NameStart;
                prefixLength = 0;
            }
            else if (a.PrefixLength == 5 && name.StartsWith("xmlns:"u8))
            {
                prefixStart = a.NameStart + 6;
                prefixLength = a.NameLength - 6;
            }
            else
            {
                continue;
            }
            a.Ns = XmlnsNamespace;
            var uri = ResolveUri(a);
            var prefix = xml.Slice(prefixStart, prefixLength);
            if (prefix.SequenceEqual("xmlns"u8)) throw Error("xml", tagStart, "the prefix 'xmlns' cannot be declared", element: true);
            if (prefix.SequenceEqual("xml"u8))
            {
                if (!ReferenceEquals(uri, XmlNamespace)) throw Error("xml", tagStart, "the prefix 'xml' cannot be bound to another namespace", element: true);
                continue;
            }
            if (ReferenceEquals(uri, XmlNamespace) || ReferenceEquals(uri, XmlnsNamespace))
            {
                throw Error("xml", tagStart, $"the namespace '{uri}' cannot be bound to a prefix of one's choice", element: true);
            }
            if (prefixLength > 0 && uri.Length == 0) throw Error("xml", tagStart, $"the prefix '{Name(prefixStart, prefixLength)}' cannot be bound to an empty namespace", element: true);
            if (_bindingCount == _bindings.Length) Grow(ref _bindings);
            _bindings[_bindingCount++] = new Binding(prefixStart, prefixLength, uri);
            _bindingsVersion++;
        }
    }

    private readonly string DefaultNamespace()
    {
        for (var i = _bindingCount - 1; i >= 0; i--)
        {
            if (_bindings[i].PrefixLength == 0) return _bindings[i].Uri;
        }
        return "";
    }

    /// <summary>The namespace bound to a prefix; a small cache keyed on the prefix spares the walk down the bindings.</summary>
    private readonly string Resolve(int prefixStart, int prefixLength, int tagStart)
    {
        var prefix = _xml.Slice(prefixStart, prefixLength);
        ref var cached = ref _prefixCache[(prefixLength * 7 + prefix[0] + prefix[^1] * 3) & (PrefixCacheSize - 1)];
        if (cached.Version == _bindingsVersion && cached.Length == prefixLength && prefix.SequenceEqual(_xml.Slice(cached.Start, prefixLength)))
        {
            return cached.Uri;
        }
        var uri = ResolveUncached(prefix, prefixStart, prefixLength, tagStart);
        cached = new PrefixCacheEntry(prefixStart, prefixLength, uri, _bindingsVersion);
        return uri;
    }

    private readonly string ResolveUncached(ReadOnlySpan<byte> prefix, int prefixStart, int prefixLength, int tagStart)
    {
        for (var i = _bindingCount - 1; i >= 0; i--)
        {
            ref readonly var b = ref _bindings[i];
            if (b.PrefixLength == prefixLength && prefix.SequenceEqual(_xml.Slice(b.PrefixStart, prefixLength))) return b.Uri;
        }
        if (prefix.SequenceEqual("xml"u8)) return XmlNamespace;
        throw Error("xml", tagStart, $"the prefix '{Name(prefixStart, prefixLength)}' is not declared", element: true);
    }

    private void ResolveAttributes(int tagStart)
    {
        var xml = _xml;
        for (var i = 0; i < _attrCount; i++)
        {
            ref var a = ref _attrs[i];
            // An unprefixed attribute is in no namespace: its Ns stays null (read as ""), nothing is stored.
            if (a.Ns is null && a.PrefixLength > 0) a.Ns = Resolve(a.NameStart, a.PrefixLength, tagStart);
            var name = xml.Slice(a.NameStart, a.NameLength);
            for (var j = 0; j < i; j++)
            {
                ref readonly var other = ref _attrs[j];
                if (other.NameLength == a.NameLength && name.SequenceEqual(xml.Slice(other.NameStart, other.NameLength)))
                {
                    throw Error("xml", tagStart, $"attribute '{Name(a.NameStart, a.NameLength)}' appears twice", element: true);
                }
                if (a.PrefixLength > 0 && other.PrefixLength > 0 && string.Equals(a.Ns, other.Ns, StringComparison.Ordinal)
                    && AttributeLocalName(i).SequenceEqual(AttributeLocalName(j)))
                {
                    throw Error("xml", tagStart, $"attributes '{Name(other.NameStart, other.NameLength)}' and '{Name(a.NameStart, a.NameLength)}' are the same name in one namespace", element: true);
                }
            }
        }
    }

    /// <summary>A declared namespace URI: the package's constant when it is one it knows.</summary>
    private string ResolveUri(in AttrInfo a)
    {
        var value = a.Rewrite ? Rewrite(a.ValueStart, a.ValueEnd, attribute: true) : _xml[a.ValueStart..a.ValueEnd];
        if (value.IsEmpty) return "";
        foreach (var (utf8, uri) in KnownNamespaces)
        {
            if (value.SequenceEqual(utf8)) return uri;
        }
        return Encoding.UTF8.GetString(value);
    }

    private static readonly (byte[] Utf8, string Uri)[] KnownNamespaces = BuildKnownNamespaces();

    private static (byte[], string)[] BuildKnownNamespaces()
    {
        var list = new List<(byte[], string)>();
        foreach (var uri in PackageNamespaces) list.Add((Encoding.UTF8.GetBytes(uri), uri));
        list.Add((Encoding.UTF8.GetBytes(XmlNamespace), XmlNamespace));
        list.Add((Encoding.UTF8.GetBytes(XmlnsNamespace), XmlnsNamespace));
        return [.. list];
    }

    // ---- references, comments, CDATA, PIs, the declaration ------------------------------------

    /// <summary>Checks the reference at <paramref name="p"/> (<c>&amp;</c>); returns the offset after its <c>;</c>.</summary>
    private readonly int ScanReference(int p, out int codePoint)
    {
        var xml = _xml;
        var start = p;
        p++;
        if (p < xml.Length && xml[p] == '#')
        {
            p++;
            var hex = p < xml.Length && xml[p] == 'x';
            if (hex) p++;
            var digits = 0;
            var value = 0;
            while (p < xml.Length && xml[p] != ';')
            {
                var d = HexValue(xml[p]);
                if (d < 0 || (!hex && d > 9)) throw Error("xml", start, "a character reference holds a character that is not a digit");
                value = hex ? value * 16 + d : value * 10 + d;
                if (value > 0x10FFFF) throw Error("xml", start, "a character reference beyond U+10FFFF");
                digits++;
                p++;
            }
            if (p >= xml.Length) throw Error("xml", start, "a character reference is not closed by ';'");
            if (digits == 0) throw Error("xml", start, "a character reference without digits");
            if (!IsXmlChar(value)) throw Error("xml", start, $"a character reference to U+{value:X4}, which XML does not allow");
            codePoint = value;
            return p + 1;
        }
        var nameStart = p;
        while (p < xml.Length && xml[p] != ';' && (xml[p] >= 0x80 || (AsciiClass[xml[p]] & NameBit) != 0 || xml[p] == ':')) p++;
        if (p >= xml.Length || xml[p] != ';' || p == nameStart) throw Error("xml", start, "'&' must start a reference such as '&amp;' (and end with ';')");
        var name = xml[nameStart..p];
        if (name.SequenceEqual("lt"u8)) codePoint = '<';
        else if (name.SequenceEqual("gt"u8)) codePoint = '>';
        else if (name.SequenceEqual("amp"u8)) codePoint = '&';
        else if (name.SequenceEqual("apos"u8)) codePoint = '\'';
        else if (name.SequenceEqual("quot"u8)) codePoint = '"';
        else throw Error("xml", start, $"reference to undeclared entity '{Name(nameStart, p - nameStart)}': only the five predefined entities exist without a DTD");
        return p + 1;
    }

    private readonly int SkipComment(int p)
    {
        var xml = _xml;
        var start = p;
        p += 4;
        while (true)
        {
            var i = xml[p..].IndexOfAny(CommentStops);
            if (i < 0) throw Error("xml", start, "the document ends inside a comment");
            p += i;
            if (xml[p] != '-')
            {
                p = CheckSpecialByte(p);
                continue;
            }
            if (p + 1 < xml.Length && xml[p + 1] == '-')
            {
                if (p + 2 < xml.Length && xml[p + 2] == '>') return p + 3;
                throw Error("xml", p, "'--' is not allowed inside a comment");
            }
            p++;
        }
    }

    private readonly int SkipCData(int p)
    {
        var xml = _xml;
        var start = p;
        p += 9;
        while (true)
        {
            var i = xml[p..].IndexOfAny(CDataStops);
            if (i < 0) throw Error("xml", start, "the document ends inside a CDATA section");
            p += i;
            if (xml[p] != ']')
            {
                p = CheckSpecialByte(p);
                continue;
            }
            if (xml[p..].StartsWith("]]>"u8)) return p + 3;
            p++;
        }
    }

    private readonly int SkipProcessingInstruction(int p)
    {
        var xml = _xml;
        var start = p;
        var targetStart = p + 2;
        var targetEnd = ScanQName(targetStart, out var prefixLength);
        if (prefixLength > 0) throw Error("xml", start, "a processing instruction's target cannot hold ':'");
        if (Ascii.EqualsIgnoreCase(xml[targetStart..targetEnd], "xml"u8))
        {
            throw Error("xml", start, "the XML declaration is allowed only at the very start of the document, and 'xml' cannot name a processing instruction");
        }
        p = targetEnd;
        if (xml[p..].StartsWith("?>"u8)) return p + 2;
        if (p >= xml.Length || !IsBlank(xml[p])) throw Error("xml", p, "a processing instruction's target must be followed by whitespace or '?>'");
        while (true)
        {
            var i = xml[p..].IndexOfAny(PiStops);
            if (i < 0) throw Error("xml", start, "the document ends inside a processing instruction");
            p += i;
            if (xml[p] != '?')
            {
                p = CheckSpecialByte(p);
                continue;
            }
            if (p + 1 < xml.Length && xml[p + 1] == '>') return p + 2;
            p++;
        }
    }

    /// <summary>Reads <c>&lt;?xml version="1.0" encoding="..." standalone="..."?&gt;</c> at <see cref="_pos"/>.</summary>
    private void ReadDeclaration()
    {
        var xml = _xml;
        var start = _pos;
        var p = start + 5;
        var seen = 0;
        while (true)
        {
            var blank = p;
            while (p < xml.Length && IsBlank(xml[p])) p++;
            if (xml[p..].StartsWith("?>"u8))
            {
                p += 2;
                break;
            }
            if (p >= xml.Length) throw Error("xml", start, "the document ends inside the XML declaration");
            if (p == blank) throw Error("xml", p, "the XML declaration's parts must be separated by whitespace");
            int which;
            if (xml[p..].StartsWith("version"u8)) which = 1;
            else if (xml[p..].StartsWith("encoding"u8)) which = 2;
            else if (xml[p..].StartsWith("standalone"u8)) which = 3;
            else throw Error("xml", p, "the XML declaration may hold only version, encoding and standalone, in that order");
            if (which <= seen || (seen == 0 && which != 1)) throw Error("xml", p, "the XML declaration must start with version and hold encoding and standalone at most once, in that order");
            seen = which;
            p += which switch { 1 => 7, 2 => 8, _ => 10 };
            while (p < xml.Length && IsBlank(xml[p])) p++;
            if (p >= xml.Length || xml[p] != '=') throw Error("xml", p, "'=' expected in the XML declaration");
            p++;
            while (p < xml.Length && IsBlank(xml[p])) p++;
            if (p >= xml.Length || xml[p] is not ((byte)'"' or (byte)'\'')) throw Error("xml", p, "a quoted value expected in the XML declaration");
            var quote = xml[p];
            var valueStart = ++p;
            var end = xml[p..].IndexOf(quote);
            if (end < 0) throw Error("xml", start, "the document ends inside the XML declaration");
            var value = xml.Slice(valueStart, end);
            p = valueStart + end + 1;
            switch (which)
            {
                case 1:
                    if (!value.SequenceEqual("1.0"u8)) throw Error("xml", valueStart, $"XML version '{Name(valueStart, end)}' is not supported: only 1.0");
                    break;
                case 2:
                    CheckEncodingLabel(value, valueStart);
                    break;
                default:
                    if (!value.SequenceEqual("yes"u8) && !value.SequenceEqual("no"u8)) throw Error("xml", valueStart, "standalone must be 'yes' or 'no'");
                    break;
            }
        }
        if (seen == 0) throw Error("xml", start, "the XML declaration must give the version");
        _pos = p;
    }

    private readonly void CheckEncodingLabel(ReadOnlySpan<byte> label, int at)
    {
        var valid = label.Length > 0 && char.IsAsciiLetter((char)label[0]);
        foreach (var b in label)
        {
            if (!(char.IsAsciiLetterOrDigit((char)b) || b is (byte)'.' or (byte)'_' or (byte)'-')) valid = false;
        }
        if (!valid) throw Error("xml", at, "the encoding name in the XML declaration is not a valid name");
        if (!_anyEncodingLabel && !Utf8XmlInput.IsUtf8Label(label))
        {
            throw Error("xml", at, $"the XML declaration says encoding '{Encoding.ASCII.GetString(label)}' but the bytes are read as UTF-8");
        }
    }

    // ---- rewriting text ------------------------------------------------------------------------

    /// <summary>
    /// Copies the already checked range into the scratch buffer with references replaced, line ends normalised,
    /// CDATA unwrapped, comments and PIs dropped; for an attribute value whitespace characters become spaces.
    /// </summary>
    private ReadOnlySpan<byte> Rewrite(int start, int end, bool attribute)
    {
        var length = end - start;
        if (_scratch is null || _scratch.Length < length)
        {
            if (_scratch is not null) ArrayPool<byte>.Shared.Return(_scratch);
            _scratch = ArrayPool<byte>.Shared.Rent(Math.Max(length, 256));
        }
        var output = _scratch.AsSpan();
        var xml = _xml;
        var o = 0;
        var p = start;
        while (p < end)
        {
            var rest = xml[p..end];
            var i = attribute ? rest.IndexOfAny("&\r\n\t"u8) : rest.IndexOfAny("&\r<"u8);
            if (i < 0)
            {
                rest.CopyTo(output[o..]);
                o += rest.Length;
                break;
            }
            rest[..i].CopyTo(output[o..]);
            o += i;
            p += i;
            switch (xml[p])
            {
                case (byte)'&':
                    p = ScanReference(p, out var codePoint);
                    o += new Rune(codePoint).EncodeToUtf8(output[o..]);
                    break;
                case (byte)'\r':
                    output[o++] = attribute ? (byte)' ' : (byte)'\n';
                    p++;
                    if (p < end && xml[p] == '\n') p++;
                    break;
                case (byte)'\n':
                case (byte)'\t':
                    output[o++] = (byte)' ';
                    p++;
                    break;
                default:
                    if (xml[p..].StartsWith("<![CDATA["u8))
                    {
                        var content = p + 9;
                        var close = xml[content..].IndexOf("]]>"u8) + content;
                        for (var k = content; k < close; k++)
                        {
                            if (xml[k] == '\r')
                            {
                                output[o++] = (byte)'\n';
                                if (k + 1 < close && xml[k + 1] == '\n') k++;
                            }
                            else
                            {
                                output[o++] = xml[k];
                            }
                        }
                        p = close + 3;
                    }
                    else if (xml[p..].StartsWith("<!--"u8))
                    {
                        p = xml[(p + 4)..].IndexOf("-->"u8) + p + 7;
                    }
                    else
                    {
                        p = xml[(p + 2)..].IndexOf("?>"u8) + p + 4;
                    }
                    break;
            }
        }
        return output[..o];
    }

    // ---- errors --------------------------------------------------------------------------------

    /// <summary>
    /// A format error at byte <paramref name="offset"/>. The path is that of the element whose start tag is at
    /// <paramref name="offset"/> when <paramref name="element"/>, else of the innermost element open there.
    /// </summary>
    public readonly Exception Error(string rule, int offset, string message, bool element = false)
    {
        var path = _describing ? "" : DescribePath(offset, element);
        var (line, column) = LineInfo(element || IsTagStart(offset) ? offset + 1 : offset);
        Exception? inner = rule == "limits" ? null : new XmlException(message, null, line, column);
        return CreateException(rule, path, message, line, column, inner);
    }

    internal readonly bool IsTagStart(int offset) => offset < _xml.Length && _xml[offset] == Lt;

    private readonly Exception MarkupDeclaration(int p)
    {
        var rest = _xml[p..];
        if (rest.StartsWith("<!DOCTYPE"u8) || rest.StartsWith("<!ENTITY"u8) || rest.StartsWith("<!ELEMENT"u8)
            || rest.StartsWith("<!ATTLIST"u8) || rest.StartsWith("<!NOTATION"u8))
        {
            return Error("dtd", p, "a DTD or markup declaration (<!DOCTYPE ...>, <!ENTITY ...>) is not allowed: DTDs and entities are refused, nothing was resolved");
        }
        return Error("xml", p, "'<!' must start a comment ('<!--') or a CDATA section ('<![CDATA[')");
    }

    /// <summary>1-based line and column of byte <paramref name="offset"/>, counting CR LF, CR and LF as line ends and columns in characters.</summary>
    public readonly (int Line, int Column) LineInfo(int offset)
    {
        offset = Math.Clamp(offset, 0, _xml.Length);
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            var b = _xml[i];
            if (b == '\n' || (b == '\r' && (i + 1 >= _xml.Length || _xml[i + 1] != '\n')))
            {
                line++;
                lineStart = i + 1;
            }
        }
        var column = 1;
        for (var i = lineStart; i < offset; i++)
        {
            if ((_xml[i] & 0xC0) != 0x80) column++;
        }
        return (line, column);
    }

    internal readonly string Name(int start, int length) => Encoding.UTF8.GetString(_xml.Slice(start, length));

    private readonly string Describe(int p)
    {
        if (p >= _xml.Length) return "";
        Rune.DecodeFromUtf8(_xml[p..], out var rune, out _);
        return rune.Value < 0x20 ? $"U+{rune.Value:X4}" : rune.ToString();
    }

    // ---- characters ----------------------------------------------------------------------------

    /// <summary>At a control character (refused) or 0xEF (refused when it starts U+FFFE or U+FFFF); returns the next offset.</summary>
    private readonly int CheckSpecialByte(int p)
    {
        var b = _xml[p];
        if (b == 0xEF)
        {
            if (_xml[p + 1] == 0xBF && _xml[p + 2] is 0xBE or 0xBF) throw Error("xml", p, $"character U+FF{_xml[p + 2] + 0x40:X2} is not allowed in XML");
            return p + 1;
        }
        if (b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r'))
        {
            throw Error("xml", p, $"control character U+{b:X4} is not allowed in XML");
        }
        return p + 1;
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        var i = 0;
        while (i < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes[i..], out _, out var n) != OperationStatus.Done) return i;
            i += n;
        }
        return bytes.Length;
    }

    private static bool IsXmlChar(int c) =>
        c is 0x9 or 0xA or 0xD or (>= 0x20 and <= 0xD7FF) or (>= 0xE000 and <= 0xFFFD) or (>= 0x10000 and <= 0x10FFFF);

    private static bool IsNameStartRune(int c) =>
        c is (>= 0xC0 and <= 0xD6) or (>= 0xD8 and <= 0xF6) or (>= 0xF8 and <= 0x2FF) or (>= 0x370 and <= 0x37D)
            or (>= 0x37F and <= 0x1FFF) or (>= 0x200C and <= 0x200D) or (>= 0x2070 and <= 0x218F) or (>= 0x2C00 and <= 0x2FEF)
            or (>= 0x3001 and <= 0xD7FF) or (>= 0xF900 and <= 0xFDCF) or (>= 0xFDF0 and <= 0xFFFD) or (>= 0x10000 and <= 0xEFFFF);

    private static bool IsNameRune(int c) =>
        IsNameStartRune(c) || c == 0xB7 || c is (>= 0x300 and <= 0x36F) or (>= 0x203F and <= 0x2040);

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

    /// <summary>True for a byte that cannot continue a name (and so ends one).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsNameEnd(byte b) => b < 0x80 && b != ':' && (AsciiClass[b] & NameBit) == 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool IsBlank(byte b) => b is (byte)' ' or (byte)'\n' or (byte)'\t' or (byte)'\r';

    private const byte NameStartBit = 1;
    private const byte NameBit = 2;

    private static readonly byte[] AsciiClass = BuildAsciiClass();

    private static byte[] BuildAsciiClass()
    {
        var table = new byte[128];
        for (var c = 0; c < 128; c++)
        {
            if (char.IsAsciiLetter((char)c) || c == '_') table[c] = NameStartBit | NameBit;
            else if (char.IsAsciiDigit((char)c) || c is '-' or '.') table[c] = NameBit;
        }
        return table;
    }

    private static ReadOnlySpan<byte> Blanks => " \t\n\r"u8;

    private const byte Plain = 0;
    private const byte Blank = 1;
    private const byte Special = 2;


    private static byte[] BuildTextClass()
    {
        var table = new byte[256];
        foreach (var b in Controls) table[b] = Special;
        table[Lt] = table['&'] = table['\r'] = table[']'] = Special;
        table[' '] = table['\t'] = table['\n'] = Blank;
        return table;
    }

    private static readonly byte[] Controls = [0, 1, 2, 3, 4, 5, 6, 7, 8, 0xB, 0xC, 0xE, 0xF, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F, 0xEF];

    private static readonly SearchValues<byte> TextStops = SearchValues.Create([.. Controls, Lt, (byte)'&', (byte)'\r', (byte)']']);
    private static readonly SearchValues<byte> AttributeStopsDouble = SearchValues.Create([.. Controls, (byte)'"', Lt, (byte)'&', (byte)'\t', (byte)'\n', (byte)'\r']);
    private static readonly SearchValues<byte> AttributeStopsSingle = SearchValues.Create([.. Controls, (byte)'\'', Lt, (byte)'&', (byte)'\t', (byte)'\n', (byte)'\r']);
    private static readonly SearchValues<byte> CommentStops = SearchValues.Create([.. Controls, (byte)'-']);
    private static readonly SearchValues<byte> CDataStops = SearchValues.Create([.. Controls, (byte)']']);
    private static readonly SearchValues<byte> PiStops = SearchValues.Create([.. Controls, (byte)'?']);

    // After Controls: static fields are initialised in the order they are written.
    /// <summary>Per byte in character data: <see cref="Special"/> for what <see cref="TextStops"/> holds, <see cref="Blank"/> for space, tab, LF.</summary>
    private static readonly byte[] TextClass = BuildTextClass();

    /// <summary>Per byte in an attribute value: nonzero for what either quote's stops hold (both quotes included).</summary>
    private static readonly byte[] AttributeClass = BuildAttributeClass();

    private static byte[] BuildAttributeClass()
    {
        var table = new byte[256];
        foreach (var b in Controls) table[b] = 1;
        foreach (var b in "\"'<&\t\n\r"u8) table[b] = 1;
        return table;
    }

    private static void Grow<T>(ref T[] array)
    {
        var bigger = ArrayPool<T>.Shared.Rent(array.Length * 2);
        Array.Copy(array, bigger, array.Length);
        ArrayPool<T>.Shared.Return(array, clearArray: true);
        array = bigger;
    }

    private struct AttrInfo(int nameStart, int nameLength, int prefixLength, int valueStart, int valueEnd, bool rewrite)
    {
        public readonly int NameStart = nameStart;
        public readonly int NameLength = nameLength;
        public readonly int PrefixLength = prefixLength;
        public readonly int ValueStart = valueStart;
        public readonly int ValueEnd = valueEnd;
        public readonly bool Rewrite = rewrite;
        public string? Ns;
    }

    private readonly record struct Frame(int NameStart, int NameLength, int PrefixLength, int BindingMark, string Ns);

    private readonly record struct Binding(int PrefixStart, int PrefixLength, string Uri);

    private const int PrefixCacheSize = 8;

    private readonly record struct PrefixCacheEntry(int Start, int Length, string Uri, int Version);

    /// <summary>
    /// A start tag's name seen before, keyed on the first eight bytes at the tag: its length and prefix, and the namespace
    /// it resolved to under the bindings of <see cref="Version"/>.
    /// </summary>
    private readonly record struct NameCacheEntry(int Start, int Length, int PrefixLength, string? Ns, int Version);

    private const int NameCacheWays = 2;

    private const int NameCacheSize = 64 * NameCacheWays;
}
