using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace FlexCoop.Xmpp;

/// <summary>What <see cref="XmppStreamReader"/> produces: the stream header, each top-level element, the stream's end.</summary>
public abstract record XmppStreamEvent;

/// <summary>The peer's <c>&lt;stream:stream&gt;</c> header and its attributes.</summary>
public sealed record XmppStreamOpened(string? From, string? To, string? Id, string? Version, string? Lang) : XmppStreamEvent;

/// <summary>A complete top-level element: a stanza, <c>stream:features</c>, <c>stream:error</c>, a SASL or SM nonza.</summary>
public sealed record XmppStreamElement(XElement Element) : XmppStreamEvent;

/// <summary>The peer's <c>&lt;/stream:stream&gt;</c>.</summary>
public sealed record XmppStreamClosed : XmppStreamEvent;

/// <summary>Limits of an <see cref="XmppStreamReader"/>.</summary>
public sealed record XmppStreamReaderOptions
{
    /// <summary>Largest top-level element in bytes (default 256 KiB); larger is a <c>policy-violation</c>.</summary>
    public int MaxStanzaBytes { get; init; } = 256 * 1024;

    /// <summary>Deepest element nesting inside one stanza (default 32, the stanza itself is 1).</summary>
    public int MaxDepth { get; init; } = 32;
}

/// <summary>
/// An incremental reader for one XMPP stream (RFC 6120 §4, §11): bytes go in with
/// <see cref="Append"/> as they arrive, complete events come out of <see cref="TryRead"/>.
/// Pure and synchronous. It accepts the restricted XML of RFC 6120 §11.1 only: a DTD, a
/// comment, a processing instruction or an entity reference other than the five predefined
/// ones is a <c>restricted-xml</c> stream error; malformed XML is <c>not-well-formed</c>; an
/// element over the size or depth bound is <c>policy-violation</c>. Every failure is an
/// <see cref="XmppStreamException"/>, after which the reader is unusable.
/// </summary>
public sealed class XmppStreamReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);
    private static readonly XNamespace XmlNs = XNamespace.Xml;

    private readonly XmppStreamReaderOptions _options;
    private byte[] _buffer = new byte[4096];
    private int _start;
    private int _end;
    private State _state = State.Prolog;
    private string? _streamQName;
    private readonly List<Dictionary<string, XNamespace>> _scopes = [];
    private readonly List<(XElement Element, string QName)> _open = [];
    private long _stanzaStart = -1;
    private long _consumed;
    private Exception? _failed;

    public XmppStreamReader(XmppStreamReaderOptions? options = null)
    {
        _options = options ?? new XmppStreamReaderOptions();
        _scopes.Add(new Dictionary<string, XNamespace>(StringComparer.Ordinal) { ["xml"] = XmlNs, [""] = XNamespace.None });
    }

    private enum State
    {
        Prolog,
        Open,
        Closed,
    }

    /// <summary>True once the peer's <c>&lt;/stream:stream&gt;</c> was read.</summary>
    public bool IsClosed => _state == State.Closed;

    /// <summary>Bytes received but not yet consumed by an event.</summary>
    public int PendingBytes => _end - _start;

    /// <summary>
    /// Adds received bytes. Call <see cref="TryRead"/> until it returns false before appending
    /// more: at most <c>MaxStanzaBytes</c> plus 64 KiB may be pending.
    /// </summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        ThrowIfFailed();
        if (_end + data.Length > _buffer.Length)
        {
            var pending = _end - _start;
            if (pending + data.Length > _options.MaxStanzaBytes + 65536L)
            {
                Fail("policy-violation", $"more than {_options.MaxStanzaBytes} bytes pending in one element");
            }
            var size = _buffer.Length;
            while (size < pending + data.Length)
            {
                size *= 2;
            }
            var next = size == _buffer.Length ? _buffer : new byte[size];
            Buffer.BlockCopy(_buffer, _start, next, 0, pending);
            _buffer = next;
            _end = pending;
            _start = 0;
        }
        data.CopyTo(_buffer.AsSpan(_end));
        _end += data.Length;
    }

    /// <summary>Returns the next complete event, or false when more bytes are needed.</summary>
    public bool TryRead([NotNullWhen(true)] out XmppStreamEvent? streamEvent)
    {
        ThrowIfFailed();
        try
        {
            return ReadCore(out streamEvent);
        }
        catch (XmppStreamException e)
        {
            _failed = e;
            throw;
        }
    }

    private void ThrowIfFailed()
    {
        if (_failed is not null)
        {
            throw new XmppStreamException("not-well-formed", "the stream reader already failed", _failed);
        }
    }

    private bool ReadCore([NotNullWhen(true)] out XmppStreamEvent? streamEvent)
    {
        streamEvent = null;
        while (_start < _end)
        {
            if (_state == State.Closed)
            {
                Advance(_end - _start);
                return false;
            }
            var span = _buffer.AsSpan(_start, _end - _start);
            if (span[0] != (byte)'<')
            {
                var lt = span.IndexOf((byte)'<');
                if (lt < 0)
                {
                    if (_open.Count == 0 && IsWhitespace(span))
                    {
                        // Whitespace keep-alives between stanzas are consumed at once.
                        Advance(_end - _start);
                        return false;
                    }
                    CheckStanzaBound(span.Length);
                    return false;
                }
                var text = Decode(span[..lt]);
                Advance(lt);
                OnText(text);
                continue;
            }
            if (span.Length < 2)
            {
                return false;
            }
            switch (span[1])
            {
                case (byte)'?':
                {
                    if (_state == State.Prolog && span.Length < 6 && "<?xml "u8.StartsWith(span))
                    {
                        return false;
                    }
                    var close = span.IndexOf("?>"u8);
                    if (_state == State.Prolog && _scopes.Count == 1 && span.Length >= 6 && span[..6].SequenceEqual("<?xml "u8))
                    {
                        if (close < 0)
                        {
                            CheckStanzaBound(span.Length);
                            return false;
                        }
                        var declaration = Decode(span[..(close + 2)]);
                        if (declaration.Contains("encoding", StringComparison.Ordinal)
                            && !declaration.Contains("UTF-8", StringComparison.OrdinalIgnoreCase))
                        {
                            Fail("unsupported-encoding", "only UTF-8 streams are allowed");
                        }
                        Advance(close + 2);
                        continue;
                    }
                    Fail("restricted-xml", "processing instructions are not allowed in XMPP");
                    break;
                }
                case (byte)'!':
                {
                    if (_open.Count == 0 || span.Length >= 3 && span[2] != (byte)'[')
                    {
                        Fail("restricted-xml", span.Length >= 3 && span[2] == (byte)'-'
                            ? "comments are not allowed in XMPP"
                            : "DTDs and markup declarations are not allowed in XMPP");
                    }
                    if (span.Length < 9)
                    {
                        return false;
                    }
                    if (!span[..9].SequenceEqual("<![CDATA["u8))
                    {
                        Fail("restricted-xml", "only CDATA sections may start with '<!'");
                    }
                    var endCdata = span[9..].IndexOf("]]>"u8);
                    if (endCdata < 0)
                    {
                        CheckStanzaBound(span.Length);
                        return false;
                    }
                    var cdata = Decode(span.Slice(9, endCdata));
                    CheckChars(cdata);
                    _open[^1].Element.Add(new XText(NormalizeNewlines(cdata)));
                    Advance(9 + endCdata + 3);
                    continue;
                }
                case (byte)'/':
                {
                    var gt = span.IndexOf((byte)'>');
                    if (gt < 0)
                    {
                        CheckStanzaBound(span.Length);
                        return false;
                    }
                    var name = Decode(span[2..gt]).TrimEnd(' ', '\t', '\r', '\n');
                    Advance(gt + 1);
                    if (OnEndTag(name, out streamEvent))
                    {
                        return true;
                    }
                    continue;
                }
                default:
                {
                    var gt = FindTagEnd(span);
                    if (gt < 0)
                    {
                        CheckStanzaBound(span.Length);
                        return false;
                    }
                    var tag = Decode(span[1..gt]);
                    var tagStart = _consumed;
                    Advance(gt + 1);
                    if (OnStartTag(tag, tagStart, out streamEvent))
                    {
                        return true;
                    }
                    continue;
                }
            }
        }
        return false;
    }

    private void Advance(int count)
    {
        _start += count;
        _consumed += count;
        if (_stanzaStart >= 0 && _consumed - _stanzaStart > _options.MaxStanzaBytes)
        {
            Fail("policy-violation", $"an element is larger than {_options.MaxStanzaBytes} bytes");
        }
        if (_start == _end)
        {
            _start = 0;
            _end = 0;
        }
    }

    private static int FindTagEnd(ReadOnlySpan<byte> span)
    {
        byte quote = 0;
        for (var i = 1; i < span.Length; i++)
        {
            var b = span[i];
            if (quote != 0)
            {
                if (b == quote)
                {
                    quote = 0;
                }
            }
            else if (b is (byte)'"' or (byte)'\'')
            {
                quote = b;
            }
            else if (b == (byte)'>')
            {
                return i;
            }
            else if (b == (byte)'<')
            {
                throw new XmppStreamException("not-well-formed", "'<' inside a tag");
            }
        }
        return -1;
    }

    private void CheckStanzaBound(int pending)
    {
        if (pending > _options.MaxStanzaBytes || _stanzaStart >= 0 && _consumed + pending - _stanzaStart > _options.MaxStanzaBytes)
        {
            Fail("policy-violation", $"an element is larger than {_options.MaxStanzaBytes} bytes");
        }
    }

    private void OnText(string text)
    {
        if (_open.Count == 0)
        {
            if (!IsWhitespace(text))
            {
                Fail(_state == State.Prolog ? "not-well-formed" : "bad-format", "text outside a stanza");
            }
            return;
        }
        var decoded = DecodeEntities(NormalizeNewlines(text));
        _open[^1].Element.Add(new XText(decoded));
    }

    private bool OnStartTag(string tag, long tagStart, [NotNullWhen(true)] out XmppStreamEvent? streamEvent)
    {
        streamEvent = null;
        var selfClosing = tag.EndsWith('/');
        if (selfClosing)
        {
            tag = tag[..^1];
        }
        var (qname, attributes) = ParseTag(tag);
        var scope = new Dictionary<string, XNamespace>(_scopes[^1], StringComparer.Ordinal);
        var plain = new List<(string QName, string Value)>();
        var declared = new List<XAttribute>();
        foreach (var (name, value) in attributes)
        {
            if (name == "xmlns")
            {
                scope[""] = XNamespace.Get(value);
                declared.Add(new XAttribute("xmlns", value));
            }
            else if (name.StartsWith("xmlns:", StringComparison.Ordinal))
            {
                var prefix = name[6..];
                if (prefix is "xml" or "xmlns" || value.Length == 0)
                {
                    Fail("not-well-formed", $"namespace declaration '{name}' is not allowed");
                }
                scope[prefix] = XNamespace.Get(value);
                declared.Add(new XAttribute(XNamespace.Xmlns + prefix, value));
            }
            else
            {
                plain.Add((name, value));
            }
        }
        var elementName = Resolve(qname, scope, isAttribute: false);
        if (_state == State.Prolog)
        {
            if (elementName != XmppNames.Streams + "stream")
            {
                Fail("invalid-namespace", $"the stream must open with <stream xmlns='{XmppNames.Streams}'>, not '{elementName}'");
            }
            if (selfClosing)
            {
                Fail("not-well-formed", "an empty stream");
            }
            _state = State.Open;
            _streamQName = qname;
            _scopes.Add(scope);
            string? Attr(string n) => plain.FirstOrDefault(a => a.QName == n).Value;
            streamEvent = new XmppStreamOpened(Attr("from"), Attr("to"), Attr("id"), Attr("version"), Attr("xml:lang"));
            return true;
        }
        if (_open.Count + 1 > _options.MaxDepth)
        {
            Fail("policy-violation", $"elements nested deeper than {_options.MaxDepth}");
        }
        // The declarations stay on the element as written, so a payload taken out of the stanza keeps
        // its prefixes: an XML signature (inclusive C14N) covers them.
        var element = new XElement(elementName, declared);
        foreach (var (name, value) in plain)
        {
            var attributeName = Resolve(name, scope, isAttribute: true);
            if (element.Attribute(attributeName) is not null)
            {
                Fail("not-well-formed", $"attribute '{name}' appears twice");
            }
            element.Add(new XAttribute(attributeName, value));
        }
        if (_open.Count == 0)
        {
            _stanzaStart = tagStart;
            if (_consumed - tagStart > _options.MaxStanzaBytes)
            {
                Fail("policy-violation", $"an element is larger than {_options.MaxStanzaBytes} bytes");
            }
        }
        else
        {
            _open[^1].Element.Add(element);
        }
        if (selfClosing)
        {
            if (_open.Count == 0)
            {
                _stanzaStart = -1;
                streamEvent = new XmppStreamElement(element);
                return true;
            }
            return false;
        }
        _open.Add((element, qname));
        _scopes.Add(scope);
        return false;
    }

    private bool OnEndTag(string qname, [NotNullWhen(true)] out XmppStreamEvent? streamEvent)
    {
        streamEvent = null;
        if (_open.Count == 0)
        {
            if (_state == State.Open && qname == _streamQName)
            {
                _state = State.Closed;
                streamEvent = new XmppStreamClosed();
                return true;
            }
            Fail("not-well-formed", $"unexpected end tag '{qname}'");
        }
        var (element, openName) = _open[^1];
        if (openName != qname)
        {
            Fail("not-well-formed", $"end tag '{qname}' does not match '{openName}'");
        }
        _open.RemoveAt(_open.Count - 1);
        _scopes.RemoveAt(_scopes.Count - 1);
        if (_open.Count == 0)
        {
            _stanzaStart = -1;
            streamEvent = new XmppStreamElement(element);
            return true;
        }
        return false;
    }

    private (string QName, List<(string Name, string Value)> Attributes) ParseTag(string tag)
    {
        var i = 0;
        while (i < tag.Length && !IsXmlSpace(tag[i]))
        {
            i++;
        }
        var qname = tag[..i];
        CheckQName(qname);
        var attributes = new List<(string, string)>();
        while (true)
        {
            var hadSpace = i < tag.Length && IsXmlSpace(tag[i]);
            while (i < tag.Length && IsXmlSpace(tag[i]))
            {
                i++;
            }
            if (i >= tag.Length)
            {
                break;
            }
            if (!hadSpace)
            {
                Fail("not-well-formed", "attributes must be separated by white space");
            }
            var nameStart = i;
            while (i < tag.Length && tag[i] != '=' && !IsXmlSpace(tag[i]))
            {
                i++;
            }
            var name = tag[nameStart..i];
            CheckQName(name);
            while (i < tag.Length && IsXmlSpace(tag[i]))
            {
                i++;
            }
            if (i >= tag.Length || tag[i] != '=')
            {
                Fail("not-well-formed", $"attribute '{name}' has no value");
            }
            i++;
            while (i < tag.Length && IsXmlSpace(tag[i]))
            {
                i++;
            }
            if (i >= tag.Length || tag[i] is not ('"' or '\''))
            {
                Fail("not-well-formed", $"attribute '{name}' value is not quoted");
            }
            var quote = tag[i++];
            var valueEnd = tag.IndexOf(quote, i);
            if (valueEnd < 0)
            {
                Fail("not-well-formed", $"attribute '{name}' value is not closed");
            }
            var raw = tag[i..valueEnd];
            if (raw.Contains('<', StringComparison.Ordinal))
            {
                Fail("not-well-formed", "'<' in an attribute value");
            }
            var value = DecodeEntities(raw.Replace("\r\n", " ", StringComparison.Ordinal).Replace('\r', ' ').Replace('\n', ' ').Replace('\t', ' '));
            if (attributes.Exists(a => a.Item1 == name))
            {
                Fail("not-well-formed", $"attribute '{name}' appears twice");
            }
            attributes.Add((name, value));
            i = valueEnd + 1;
        }
        return (qname, attributes);
    }

    private static void CheckQName(string qname)
    {
        var colon = qname.IndexOf(':', StringComparison.Ordinal);
        try
        {
            if (colon < 0)
            {
                XmlConvert.VerifyNCName(qname);
            }
            else
            {
                XmlConvert.VerifyNCName(qname[..colon]);
                XmlConvert.VerifyNCName(qname[(colon + 1)..]);
            }
        }
        catch (Exception e) when (e is XmlException or ArgumentException)
        {
            throw new XmppStreamException("not-well-formed", $"'{qname}' is not a valid XML name");
        }
    }

    private static XName Resolve(string qname, Dictionary<string, XNamespace> scope, bool isAttribute)
    {
        var colon = qname.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return isAttribute ? XName.Get(qname) : scope[""] + qname;
        }
        var prefix = qname[..colon];
        if (prefix == "xmlns")
        {
            throw new XmppStreamException("not-well-formed", $"'{qname}' uses the reserved prefix xmlns");
        }
        return scope.TryGetValue(prefix, out var ns)
            ? ns + qname[(colon + 1)..]
            : throw new XmppStreamException("not-well-formed", $"prefix '{prefix}' is not declared");
    }

    private static string DecodeEntities(string text)
    {
        CheckChars(text);
        var amp = text.IndexOf('&', StringComparison.Ordinal);
        if (amp < 0)
        {
            return text;
        }
        var sb = new StringBuilder(text.Length);
        var i = 0;
        while (amp >= 0)
        {
            sb.Append(text, i, amp - i);
            var semi = text.IndexOf(';', amp);
            if (semi < 0)
            {
                throw new XmppStreamException("not-well-formed", "'&' without ';'");
            }
            var name = text[(amp + 1)..semi];
            switch (name)
            {
                case "lt": sb.Append('<'); break;
                case "gt": sb.Append('>'); break;
                case "amp": sb.Append('&'); break;
                case "quot": sb.Append('"'); break;
                case "apos": sb.Append('\''); break;
                default:
                    if (name.StartsWith('#'))
                    {
                        var hex = name.StartsWith("#x", StringComparison.Ordinal);
                        var digits = hex ? name[2..] : name[1..];
                        if (!int.TryParse(digits, hex ? System.Globalization.NumberStyles.AllowHexSpecifier : System.Globalization.NumberStyles.None,
                                System.Globalization.CultureInfo.InvariantCulture, out var code)
                            || code > 0x10FFFF || code is >= 0xD800 and <= 0xDFFF)
                        {
                            throw new XmppStreamException("not-well-formed", $"bad character reference '&{name};'");
                        }
                        var s = char.ConvertFromUtf32(code);
                        CheckChars(s);
                        sb.Append(s);
                    }
                    else
                    {
                        throw new XmppStreamException("restricted-xml", $"entity reference '&{name};' is not allowed in XMPP");
                    }
                    break;
            }
            i = semi + 1;
            amp = text.IndexOf('&', i);
        }
        sb.Append(text, i, text.Length - i);
        return sb.ToString();
    }

    private static void CheckChars(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && XmlConvert.IsXmlSurrogatePair(s[i + 1], c))
            {
                i++;
                continue;
            }
            if (!XmlConvert.IsXmlChar(c))
            {
                throw new XmppStreamException("not-well-formed", $"character U+{(int)c:X4} is not allowed in XML");
            }
        }
    }

    private static string NormalizeNewlines(string s) =>
        s.Contains('\r', StringComparison.Ordinal) ? s.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n') : s;

    private static string Decode(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new XmppStreamException("not-well-formed", "invalid UTF-8", e);
        }
    }

    private static bool IsWhitespace(ReadOnlySpan<byte> span)
    {
        foreach (var b in span)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsWhitespace(string s) => s.All(IsXmlSpace);

    private static bool IsXmlSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    [DoesNotReturn]
    private static void Fail(string condition, string text) => throw new XmppStreamException(condition, text);
}
