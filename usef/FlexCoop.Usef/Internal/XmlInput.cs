using System.Globalization;
using System.Text;
using System.Xml;
using FlexCoop.Usef.Xml;
using FlexCoop.Xml.Internal;

namespace FlexCoop.Usef.Internal;

/// <summary>
/// Where an element or attribute is, for error messages: a parent path and, for an item of a list, its name and
/// 1-based position. It is made into a string only when an error names it, so reading a list of ISPs builds no path.
/// </summary>
internal readonly struct UftpPath
{
    private readonly string _parent;
    private readonly string? _name;
    private readonly int _index;

    public UftpPath(string path)
    {
        _parent = path;
    }

    public UftpPath(string parent, string name, int index)
    {
        _parent = parent;
        _name = name;
        _index = index;
    }

    public static implicit operator UftpPath(string path) => new(path);

    public static string operator +(UftpPath path, string tail) => path.ToString() + tail;

    public override string ToString() => _name is null ? _parent : string.Create(CultureInfo.InvariantCulture, $"{_parent}/{_name}[{_index}]");
}

/// <summary>
/// Reading helpers for the codec over the shared UTF-8 tokenizer: attribute bags that refuse unknown attributes,
/// child loops that refuse unknown elements and text, and lexical parsers for the XSD simple types, each failure a
/// <see cref="UftpFormatException"/> naming the rule and path. Attribute values are read straight from the UTF-8
/// where the type allows it (integers, UUIDs), so an ISP allocates nothing but itself.
/// </summary>
internal ref partial struct XmlInput
{
    /// <summary>The most attributes one element may carry (UFTP's widest has 19).</summary>
    private const int MaxAttributes = 32;

    private Utf8XmlTokenizer _x;
    private readonly UftpXmlLimits _limits;
    private ulong _used;
    private int _next;
    private int _elements;

    public XmlInput(ReadOnlySpan<byte> utf8, UftpXmlLimits limits, bool anyEncodingLabel)
    {
        _limits = limits;
        _x = new Utf8XmlTokenizer(utf8, new Utf8XmlLimits(limits.MaxBytes, limits.MaxDepth, limits.MaxAttributeCharacters, 1024, 64), anyEncodingLabel)
        {
            SkipWhitespaceText = true,
        };
    }

    public void Dispose() => _x.Dispose();

    /// <summary>Line of the current token (1-based), worked out only for an error.</summary>
    private readonly int Line => _x.LineInfo(_x.Kind is XmlTokenKind.StartElement or XmlTokenKind.EndElement ? _x.TokenStart + 1 : _x.TokenStart).Line;

    public readonly UftpFormatException Error(string rule, UftpPath path, string message) => new(rule, path.ToString(), message, Line);

    /// <summary>The current element's local name (allocates: for messages whose children are of several kinds).</summary>
    public readonly string LocalName => Encoding.UTF8.GetString(_x.LocalName);

    /// <summary>True when the current element is <paramref name="name"/>.</summary>
    public readonly bool Is(string name) => Ascii.Equals(_x.LocalName, name);

    /// <summary>Moves to the root element; fails on anything but whitespace, comments, PIs and the declaration before it.</summary>
    public string ReadRoot()
    {
        // The tokenizer refuses a DTD (rule dtd) and anything else that is not well-formed before the root.
        _x.Read();
        CheckElement("");
        return LocalName;
    }

    /// <summary>After the root element: only whitespace, comments and PIs may follow (the tokenizer checks them).</summary>
    public void ReadEnd()
    {
        if (_x.Kind != XmlTokenKind.EndOfDocument) _x.Read();
    }

    private void CheckElement(UftpPath parentPath)
    {
        if (_x.NamespaceUri.Length != 0)
        {
            var name = LocalName;
            throw Error("xsd", parentPath + "/" + name, $"element '{name}' is in namespace '{_x.NamespaceUri}'; UFTP elements have no namespace");
        }
        if (_x.Depth > _limits.MaxDepth)
        {
            throw Error("limits", parentPath, $"elements nested deeper than {_limits.MaxDepth}");
        }
        if (++_elements > _limits.MaxElements)
        {
            throw Error("limits", parentPath, $"more than {_limits.MaxElements} elements");
        }
    }

    /// <summary>Opens the current element's attribute bag (the tokenizer stays on the element).</summary>
    /// <remarks>
    /// Attributes in a namespace are never taken by <see cref="Optional"/> and the like, so <see cref="EndAttributes"/>
    /// refuses them with the others the element does not define; namespace declarations are allowed.
    /// </remarks>
    public void ReadAttributes(UftpPath path)
    {
        _used = 0;
        _next = 0;
        if (_x.AttributeCount > MaxAttributes)
        {
            var declarations = 0;
            for (var i = 0; i < _x.AttributeCount; i++)
            {
                if (ReferenceEquals(_x.AttributeNamespace(i), Utf8XmlTokenizer.XmlnsNamespace)) declarations++;
            }
            if (_x.AttributeCount - declarations > MaxAttributes) throw Error("xsd", path, "too many attributes");
        }
    }

    // Attributes are looked for from where the last one was found: writers put them in schema order, which is the order
    // the reader asks for them, so the first one compared is usually the one wanted.

    /// <summary>The unprefixed attribute <paramref name="name"/> not taken yet (marked taken now), or -1.</summary>
    private int Find(string name)
    {
        var count = _x.AttributeCount;
        if (_used == AllTaken(count)) return -1;
        for (int k = 0, i = _next; k < count; k++, i = i + 1 == count ? 0 : i + 1)
        {
            if ((_used & (1UL << i)) == 0 && _x.AttributeQualifiedNameLength(i) == name.Length && _x.AttributeNamespace(i).Length == 0
                && Ascii.Equals(_x.AttributeQualifiedName(i), name))
            {
                return Take(i, count);
            }
        }
        return -1;
    }

    /// <summary>The unprefixed attribute <paramref name="name"/> not taken yet (marked taken now), or -1.</summary>
    private int Find(ReadOnlySpan<byte> name)
    {
        var count = _x.AttributeCount;
        if (_used == AllTaken(count)) return -1;
        for (int k = 0, i = _next; k < count; k++, i = i + 1 == count ? 0 : i + 1)
        {
            if ((_used & (1UL << i)) == 0 && _x.AttributeQualifiedNameLength(i) == name.Length && _x.AttributeQualifiedName(i).SequenceEqual(name))
            {
                return Take(i, count);
            }
        }
        return -1;
    }

    private int Take(int i, int count)
    {
        _used |= 1UL << i;
        _next = i + 1 == count ? 0 : i + 1;
        return i;
    }

    /// <summary>The <see cref="_used"/> mask with all of <paramref name="count"/> attributes taken.</summary>
    private static ulong AllTaken(int count) => count >= 64 ? ulong.MaxValue : (1UL << count) - 1;

    public string? Optional(string name)
    {
        var i = Find(name);
        return i < 0 ? null : _x.AttributeValue(i);
    }

    public string Required(string name, UftpPath path) =>
        Optional(name) ?? throw Error("xsd", path, $"required attribute '{name}' is missing");

    /// <summary>Fails when an attribute was present that the element does not define.</summary>
    public readonly void EndAttributes(UftpPath path)
    {
        var count = _x.AttributeCount;
        if (count == 0 || _used == AllTaken(count)) return;
        for (var i = 0; i < count; i++)
        {
            if ((_used & (1UL << i)) == 0 && !ReferenceEquals(_x.AttributeNamespace(i), Utf8XmlTokenizer.XmlnsNamespace))
            {
                var name = Encoding.UTF8.GetString(_x.AttributeQualifiedName(i));
                throw Error("xsd", path + "/@" + name, $"attribute '{name}' is not allowed on this element");
            }
        }
    }

    /// <summary>Steps into the current element's content; false when it is empty (then already consumed).</summary>
    public bool Enter()
    {
        var empty = _x.IsEmptyElement;
        _x.Read();
        return !empty;
    }

    /// <summary>Moves to the next child element; false at the parent's end tag (consumed).</summary>
    public bool NextChild(UftpPath path)
    {
        while (true)
        {
            switch (_x.Kind)
            {
                case XmlTokenKind.StartElement:
                    CheckElement(path);
                    return true;
                case XmlTokenKind.EndElement:
                    _x.Read();
                    return false;
                case XmlTokenKind.Text when _x.IsWhitespace:
                    _x.Read();
                    break;
                case XmlTokenKind.Text:
                    throw Error("xsd", path, "text content is not allowed here");
                default:
                    throw Error("xml", path, "unexpected end of document");
            }
        }
    }

    /// <summary>Consumes an element that must have no children.</summary>
    public void Leaf(UftpPath path)
    {
        if (Enter() && NextChild(path))
        {
            throw UnknownElement(path);
        }
    }

    public readonly UftpFormatException UnknownElement(UftpPath path)
    {
        var name = LocalName;
        return Error("xsd", path + "/" + name, $"element '{name}' is not allowed here");
    }

    public readonly UftpFormatException MissingElement(UftpPath path, string name) => Error("xsd", path, $"at least one '{name}' element is required");

    public readonly UftpFormatException AttributeError(string rule, UftpPath path, string attribute, string message) => new(rule, path + "/@" + attribute, message, Line);

    // ---- integers straight from UTF-8 ----

    /// <summary>A required xs:integer attribute, read without making a string.</summary>
    public long RequiredInteger(ReadOnlySpan<byte> name, UftpPath path)
    {
        var i = Find(name);
        if (i < 0) throw Missing(name, path);
        return IntegerAt(i, name, path);
    }

    /// <summary>An xs:int (or xs:positiveInteger when <paramref name="positive"/>) attribute; <paramref name="absent"/> when missing.</summary>
    public int OptionalInt32(ReadOnlySpan<byte> name, UftpPath path, bool positive, int absent)
    {
        var i = Find(name);
        return i < 0 ? absent : Int32At(i, name, path, positive);
    }

    public int RequiredInt32(ReadOnlySpan<byte> name, UftpPath path, bool positive)
    {
        var i = Find(name);
        if (i < 0) throw Missing(name, path);
        return Int32At(i, name, path, positive);
    }

    private readonly UftpFormatException Missing(ReadOnlySpan<byte> name, UftpPath path) =>
        Error("xsd", path, $"required attribute '{Encoding.UTF8.GetString(name)}' is missing");

    private readonly int Int32At(int i, ReadOnlySpan<byte> name, UftpPath path, bool positive)
    {
        var n = IntegerAt(i, name, path);
        if ((positive && n < 1) || n is > int.MaxValue or < int.MinValue) throw BadInt32(i, name, path, positive);
        return (int)n;
    }

    private readonly UftpFormatException BadInt32(int i, ReadOnlySpan<byte> name, UftpPath path, bool positive)
    {
        var n = IntegerAt(i, name, path);
        return positive && n < 1
            ? AttributeError("xsd", path, Encoding.UTF8.GetString(name), $"'{Shorten(_x.AttributeValue(i))}' is not an xs:positiveInteger")
            : AttributeError("limits", path, Encoding.UTF8.GetString(name), $"'{Shorten(_x.AttributeValue(i))}' is outside the supported range");
    }

    private readonly long IntegerAt(int i, ReadOnlySpan<byte> name, UftpPath path)
    {
        var status = ParseInteger(_x.AttributeValueUtf8(i), out var value);
        return status == 0 ? value : throw BadInteger(i, name, path, status);
    }

    private readonly UftpFormatException BadInteger(int i, ReadOnlySpan<byte> name, UftpPath path, int status)
    {
        var text = Shorten(_x.AttributeValue(i));
        var attribute = Encoding.UTF8.GetString(name);
        return status < 0
            ? AttributeError("xsd", path, attribute, $"'{text}' is not an xs:integer")
            : AttributeError("limits", path, attribute, $"'{text}' is outside the supported range of a 64-bit integer");
    }

    /// <summary>
    /// xs:integer (sign, digits, XML whitespace around): 0 when <paramref name="value"/> holds it, -1 when the text is
    /// not an integer, 1 when it is one beyond 64 bits.
    /// </summary>
    internal static int ParseInteger(ReadOnlySpan<byte> text, out long value)
    {
        // The form writers use: an optional minus and up to 18 digits, nothing around them (a power, an ISP number).
        if (TryParsePlainInteger(text, out value)) return 0;
        return ParseIntegerGeneral(text, out value);
    }

    private static bool TryParsePlainInteger(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        if ((uint)(text.Length - 1) >= 18) return false;
        var negative = text[0] == '-';
        var i = negative ? 1 : 0;
        if (i == text.Length) return false;
        long small = 0;
        for (; i < text.Length; i++)
        {
            var d = (uint)(text[i] - '0');
            if (d > 9) return false;
            small = small * 10 + d;
        }
        value = negative ? -small : small;
        return true;
    }

    /// <summary><see cref="ParseInteger"/> for every form: a plus sign, spaces around, more than 18 digits.</summary>
    private static int ParseIntegerGeneral(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        // Attribute values are normalised already: tabs and line ends are spaces by now.
        while (text.Length > 0 && text[0] == ' ') text = text[1..];
        while (text.Length > 0 && text[^1] == ' ') text = text[..^1];
        var negative = false;
        var i = 0;
        if (text.Length > 0 && text[0] is (byte)'+' or (byte)'-')
        {
            negative = text[0] == '-';
            i = 1;
        }
        if (i >= text.Length) return -1;
        if (text.Length - i <= 18)
        {
            // Up to 18 digits cannot overflow: no range check per digit.
            long small = 0;
            for (; i < text.Length; i++)
            {
                var d = (uint)(text[i] - '0');
                if (d > 9) return -1;
                small = small * 10 + d;
            }
            value = negative ? -small : small;
            return 0;
        }
        ulong magnitude = 0;
        var overflow = false;
        for (; i < text.Length; i++)
        {
            var d = (uint)(text[i] - '0');
            if (d > 9) return -1;
            if (magnitude > (ulong.MaxValue - d) / 10) overflow = true;
            else magnitude = magnitude * 10 + d;
        }
        if (overflow || magnitude > (negative ? (ulong)long.MaxValue + 1 : long.MaxValue)) return 1;
        value = negative ? (long)(0 - magnitude) : (long)magnitude;
        return 0;
    }

    // ---- simple types ----

    public readonly Guid Uuid(string value, UftpPath path, string attribute)
    {
        if (value.Length == 36 && Guid.TryParseExact(value, "D", out var g)) return g;
        throw AttributeError("xsd", path, attribute, $"'{Shorten(value)}' is not a UUID");
    }

    public readonly DateTimeOffset DateTime(string value, UftpPath path, string attribute)
    {
        var v = value.Trim();
        var t = v.IndexOf('T', StringComparison.Ordinal);
        if (t > 0 && v.Length > t + 1)
        {
            var tail = v.AsSpan(t + 1);
            var hasOffset = tail.EndsWith("Z") || tail.IndexOfAny('+', '-') >= 0;
            try
            {
                return XmlConvert.ToDateTimeOffset(hasOffset ? v : v + "Z");
            }
            catch (FormatException)
            {
            }
            catch (ArgumentOutOfRangeException)
            {
            }
        }
        throw AttributeError("xsd", path, attribute, $"'{Shorten(value)}' is not an xs:dateTime");
    }

    public readonly DateOnly Date(string value, UftpPath path, string attribute)
    {
        var v = value.Trim();
        if (v.Length == 10 && DateOnly.TryParseExact(v, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        throw AttributeError("xsd", path, attribute, $"'{Shorten(value)}' is not a date (yyyy-mm-dd, no time zone)");
    }

    public readonly TimeSpan Duration(string value, UftpPath path, string attribute)
    {
        var v = value.Trim();
        var t = v.IndexOf('T', StringComparison.Ordinal);
        var datePart = t < 0 ? v : v[..t];
        if (datePart.Contains('Y', StringComparison.Ordinal) || datePart.Contains('M', StringComparison.Ordinal))
        {
            throw AttributeError("xsd", path, attribute, $"'{Shorten(value)}': years and months have no fixed length; give an ISP duration in days, hours or minutes");
        }
        try
        {
            return XmlConvert.ToTimeSpan(v);
        }
        catch (FormatException)
        {
        }
        catch (OverflowException)
        {
        }
        throw AttributeError("xsd", path, attribute, $"'{Shorten(value)}' is not an xs:duration");
    }

    public readonly long Integer(string value, UftpPath path, string attribute)
    {
        var status = ParseInteger(Encoding.UTF8.GetBytes(value), out var n);
        if (status == 0) return n;
        throw status < 0
            ? AttributeError("xsd", path, attribute, $"'{Shorten(value)}' is not an xs:integer")
            : AttributeError("limits", path, attribute, $"'{Shorten(value)}' is outside the supported range of a 64-bit integer");
    }

    public readonly decimal Decimal(string value, UftpPath path, string attribute, int maxFractionDigits = 28)
    {
        var v = value.Trim();
        if (!IsDecimalLexical(v)) throw AttributeError("xsd", path, attribute, $"'{Shorten(value)}' is not an xs:decimal");
        if (!decimal.TryParse(v, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d))
        {
            throw AttributeError("limits", path, attribute, $"'{Shorten(value)}' is outside the supported decimal range");
        }
        var dot = v.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0 && v.AsSpan(dot + 1).TrimEnd('0').Length > maxFractionDigits)
        {
            throw AttributeError("xsd", path, attribute, $"'{Shorten(value)}' has more than {maxFractionDigits} fraction digits");
        }
        return d;
    }

    public readonly decimal ActivationFactor(string value, UftpPath path, string attribute)
    {
        var d = Decimal(value, path, attribute, 2);
        if (d is < 0.01m or > 1.00m) throw AttributeError("xsd", path, attribute, $"'{Shorten(value)}' is not between 0.01 and 1.00");
        return d;
    }

    public readonly bool Boolean(string value, UftpPath path, string attribute) => value.Trim() switch
    {
        "true" or "1" => true,
        "false" or "0" => false,
        _ => throw AttributeError("xsd", path, attribute, $"'{Shorten(value)}' is not an xs:boolean"),
    };

    public readonly TEnum Enum<TEnum>(string value, UftpPath path, string attribute) where TEnum : struct, Enum
    {
        if (EnumNames<TEnum>.ByName.TryGetValue(value.Trim(), out var e)) return e;
        throw AttributeError("xsd", path, attribute, $"'{Shorten(value)}' is not one of {string.Join(", ", System.Enum.GetNames<TEnum>())}");
    }

    private static bool IsDecimalLexical(string v)
    {
        var i = v.Length > 0 && (v[0] == '+' || v[0] == '-') ? 1 : 0;
        var digits = 0;
        var dot = false;
        for (; i < v.Length; i++)
        {
            if (v[i] == '.')
            {
                if (dot) return false;
                dot = true;
            }
            else if (v[i] is >= '0' and <= '9')
            {
                digits++;
            }
            else
            {
                return false;
            }
        }
        return digits > 0;
    }

    private static class EnumNames<TEnum> where TEnum : struct, Enum
    {
        public static readonly Dictionary<string, TEnum> ByName = System.Enum.GetValues<TEnum>().ToDictionary(e => e.ToString(), StringComparer.Ordinal);
    }

    internal static string Shorten(string value) => value.Length <= 64 ? value : value[..64] + "...";
}
