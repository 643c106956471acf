using System.Globalization;
using System.Xml;
using FlexCoop.Usef.Xml;

namespace FlexCoop.Usef.Internal;

/// <summary>
/// Reading helpers for the codec: attribute bags that refuse unknown attributes, child loops that
/// refuse unknown elements and text, and lexical parsers for the XSD simple types, each failure a
/// <see cref="UftpFormatException"/> naming the rule and path.
/// </summary>
internal sealed class XmlInput
{
    private const string XmlnsNamespace = "http://www.w3.org/2000/xmlns/";

    private readonly XmlReader _reader;
    private readonly UftpXmlLimits _limits;
    private readonly string[] _names = new string[32];
    private readonly string[] _values = new string[32];
    private readonly bool[] _used = new bool[32];
    private int _count;
    private int _elements;

    public XmlInput(XmlReader reader, UftpXmlLimits limits)
    {
        _reader = reader;
        _limits = limits;
    }

    public XmlReader Reader => _reader;

    public int Line => _reader is IXmlLineInfo li && li.HasLineInfo() ? li.LineNumber : 0;

    public UftpFormatException Error(string rule, string path, string message) => new(rule, path, message, Line);

    /// <summary>Moves to the root element; fails on anything but whitespace, comments and the declaration before it.</summary>
    public string ReadRoot()
    {
        while (_reader.Read())
        {
            switch (_reader.NodeType)
            {
                case XmlNodeType.Element:
                    CheckElement("");
                    return _reader.LocalName;
                case XmlNodeType.XmlDeclaration:
                case XmlNodeType.Whitespace:
                case XmlNodeType.Comment:
                case XmlNodeType.ProcessingInstruction:
                    continue;
                case XmlNodeType.DocumentType:
                    throw Error("dtd", "", "a DOCTYPE is not allowed in a UFTP message");
                default:
                    throw Error("xml", "", $"unexpected {_reader.NodeType} before the root element");
            }
        }
        throw Error("xml", "", "the document has no root element");
    }

    /// <summary>After the root element: only whitespace and comments may follow.</summary>
    public void ReadEnd()
    {
        while (_reader.Read())
        {
            if (_reader.NodeType is XmlNodeType.Whitespace or XmlNodeType.Comment or XmlNodeType.ProcessingInstruction) continue;
            throw Error("xml", "", $"unexpected {_reader.NodeType} after the root element");
        }
    }

    private void CheckElement(string parentPath)
    {
        if (_reader.NamespaceURI.Length != 0)
        {
            throw Error("xsd", parentPath + "/" + _reader.LocalName, $"element '{_reader.LocalName}' is in namespace '{_reader.NamespaceURI}'; UFTP elements have no namespace");
        }
        if (_reader.Depth + 1 > _limits.MaxDepth)
        {
            throw Error("limits", parentPath, $"elements nested deeper than {_limits.MaxDepth}");
        }
        if (++_elements > _limits.MaxElements)
        {
            throw Error("limits", parentPath, $"more than {_limits.MaxElements} elements");
        }
    }

    /// <summary>Reads the current element's attributes into the bag (reader stays on the element).</summary>
    public void ReadAttributes(string path)
    {
        _count = 0;
        if (_reader.MoveToFirstAttribute())
        {
            do
            {
                if (ReferenceEquals(_reader.NamespaceURI, XmlnsNamespace) || _reader.NamespaceURI == XmlnsNamespace) continue;
                if (_reader.NamespaceURI.Length != 0)
                {
                    throw Error("xsd", path + "/@" + _reader.Name, $"attribute '{_reader.Name}' is not allowed");
                }
                var value = _reader.Value;
                if (value.Length > _limits.MaxAttributeCharacters)
                {
                    throw Error("limits", path + "/@" + _reader.LocalName, $"attribute longer than {_limits.MaxAttributeCharacters} characters");
                }
                if (_count == _names.Length)
                {
                    throw Error("xsd", path, "too many attributes");
                }
                _names[_count] = _reader.LocalName;
                _values[_count] = value;
                _used[_count] = false;
                _count++;
            }
            while (_reader.MoveToNextAttribute());
            _reader.MoveToElement();
        }
    }

    public string? Optional(string name)
    {
        for (var i = 0; i < _count; i++)
        {
            if (string.Equals(_names[i], name, StringComparison.Ordinal))
            {
                _used[i] = true;
                return _values[i];
            }
        }
        return null;
    }

    public string Required(string name, string path) =>
        Optional(name) ?? throw Error("xsd", path, $"required attribute '{name}' is missing");

    /// <summary>Fails when an attribute was present that the element does not define.</summary>
    public void EndAttributes(string path)
    {
        for (var i = 0; i < _count; i++)
        {
            if (!_used[i])
            {
                throw Error("xsd", path + "/@" + _names[i], $"attribute '{_names[i]}' is not allowed on this element");
            }
        }
    }

    /// <summary>Steps into the current element's content; false when it is empty (then already consumed).</summary>
    public bool Enter()
    {
        if (_reader.IsEmptyElement)
        {
            _reader.Read();
            return false;
        }
        _reader.Read();
        return true;
    }

    /// <summary>Moves to the next child element; false at the parent's end tag (consumed).</summary>
    public bool NextChild(string path)
    {
        while (true)
        {
            switch (_reader.NodeType)
            {
                case XmlNodeType.Element:
                    CheckElement(path);
                    return true;
                case XmlNodeType.EndElement:
                    _reader.Read();
                    return false;
                case XmlNodeType.Whitespace:
                case XmlNodeType.SignificantWhitespace:
                case XmlNodeType.Comment:
                case XmlNodeType.ProcessingInstruction:
                    _reader.Read();
                    break;
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                    if (!string.IsNullOrWhiteSpace(_reader.Value))
                    {
                        throw Error("xsd", path, "text content is not allowed here");
                    }
                    _reader.Read();
                    break;
                case XmlNodeType.EntityReference:
                    throw Error("dtd", path, "entity references are not allowed");
                case XmlNodeType.None:
                    throw Error("xml", path, "unexpected end of document");
                default:
                    throw Error("xml", path, $"unexpected {_reader.NodeType}");
            }
        }
    }

    /// <summary>Consumes an element that must have no children.</summary>
    public void Leaf(string path)
    {
        if (Enter() && NextChild(path))
        {
            throw UnknownElement(path);
        }
    }

    public UftpFormatException UnknownElement(string path) =>
        Error("xsd", path + "/" + _reader.LocalName, $"element '{_reader.LocalName}' is not allowed here");

    public static UftpFormatException MissingElement(XmlInput input, string path, string name) =>
        input.Error("xsd", path, $"at least one '{name}' element is required");

    public UftpFormatException AttributeError(string rule, string path, string attribute, string message) => new(rule, path + "/@" + attribute, message, Line);

    // ---- simple types ----

    public Guid Uuid(string value, string path, string attribute)
    {
        if (value.Length == 36 && Guid.TryParseExact(value, "D", out var g)) return g;
        throw AttributeError("xsd", path, attribute, $"'{Shorten(value)}' is not a UUID");
    }

    public string Domain(string value, string path, string attribute) =>
        UftpSimpleTypes.IsInternetDomain(value) ? value : throw AttributeError("xsd", path, attribute, $"'{Shorten(value)}' is not an Internet domain (lower-case)");

    public string Version(string value, string path, string attribute) =>
        UftpSimpleTypes.IsSpecVersion(value) ? value : throw AttributeError("xsd", path, attribute, $"'{Shorten(value)}' is not a version (major.minor.patch)");

    public string Currency(string value, string path, string attribute) =>
        UftpSimpleTypes.IsCurrency(value) ? value : throw AttributeError("xsd", path, attribute, $"'{Shorten(value)}' is not an ISO 4217 currency code");

    public string TimeZoneName(string value, string path, string attribute) =>
        UftpSimpleTypes.IsTimeZoneName(value) ? value : throw AttributeError("xsd", path, attribute, $"'{Shorten(value)}' is not a time zone name (Area/Location)");

    public EntityAddress Address(string value, string path, string attribute) =>
        EntityAddress.TryParse(value, out var a) ? a! : throw AttributeError("xsd", path, attribute, $"'{Shorten(value)}' is not an EntityAddress");

    public DateTimeOffset DateTime(string value, string path, string attribute)
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

    public DateOnly Date(string value, string path, string attribute)
    {
        var v = value.Trim();
        if (v.Length == 10 && DateOnly.TryParseExact(v, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        throw AttributeError("xsd", path, attribute, $"'{Shorten(value)}' is not a date (yyyy-mm-dd, no time zone)");
    }

    public TimeSpan Duration(string value, string path, string attribute)
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

    public long Integer(string value, string path, string attribute)
    {
        var v = value.Trim();
        if (!IsIntegerLexical(v)) throw AttributeError("xsd", path, attribute, $"'{Shorten(value)}' is not an xs:integer");
        if (long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)) return n;
        throw AttributeError("limits", path, attribute, $"'{Shorten(value)}' is outside the supported range of a 64-bit integer");
    }

    public int Int32(string value, string path, string attribute, bool positive)
    {
        var n = Integer(value, path, attribute);
        if (positive && n < 1) throw AttributeError("xsd", path, attribute, $"'{Shorten(value)}' is not an xs:positiveInteger");
        if (n is > int.MaxValue or < int.MinValue) throw AttributeError("limits", path, attribute, $"'{Shorten(value)}' is outside the supported range");
        return (int)n;
    }

    public decimal Decimal(string value, string path, string attribute, int maxFractionDigits = 28)
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

    public decimal ActivationFactor(string value, string path, string attribute)
    {
        var d = Decimal(value, path, attribute, 2);
        if (d is < 0.01m or > 1.00m) throw AttributeError("xsd", path, attribute, $"'{Shorten(value)}' is not between 0.01 and 1.00");
        return d;
    }

    public bool Boolean(string value, string path, string attribute) => value.Trim() switch
    {
        "true" or "1" => true,
        "false" or "0" => false,
        _ => throw AttributeError("xsd", path, attribute, $"'{Shorten(value)}' is not an xs:boolean"),
    };

    public TEnum Enum<TEnum>(string value, string path, string attribute) where TEnum : struct, Enum
    {
        if (EnumNames<TEnum>.ByName.TryGetValue(value.Trim(), out var e)) return e;
        throw AttributeError("xsd", path, attribute, $"'{Shorten(value)}' is not one of {string.Join(", ", System.Enum.GetNames<TEnum>())}");
    }

    private static bool IsIntegerLexical(string v)
    {
        var i = v.Length > 0 && (v[0] == '+' || v[0] == '-') ? 1 : 0;
        if (i >= v.Length) return false;
        for (; i < v.Length; i++)
        {
            if (v[i] is < '0' or > '9') return false;
        }
        return true;
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
