using System.Buffers.Text;
using System.Text;

namespace FlexCoop.Usef.Internal;

// The simple types every message header carries, read from the attribute's UTF-8 without a string where the value
// allows it. Each reader takes the common lexical form straight from the bytes and hands anything else (whitespace
// around the value, a 24:00 hour, an offset-less time, more than seven fraction digits, a duration in several parts)
// to the string reader beside it, which accepts or refuses it exactly as before: the fast forms are a subset of what
// the string readers accept, giving the same value.
internal ref partial struct XmlInput
{
    /// <summary>Internet domains seen before (sender and recipient of every message, the envelope's SenderDomain).</summary>
    internal static readonly CachedSimpleType<string> Domains =
        new("an Internet domain (lower-case)", 1024, 253, static v => UftpSimpleTypes.IsInternetDomain(v) ? v : null);

    /// <summary>Version values seen before.</summary>
    private static readonly CachedSimpleType<string> Versions =
        new("a version (major.minor.patch)", 16, 64, static v => UftpSimpleTypes.IsSpecVersion(v) ? v : null);

    /// <summary>TimeZone values seen before.</summary>
    private static readonly CachedSimpleType<string> TimeZones =
        new("a time zone name (Area/Location)", 64, 128, static v => UftpSimpleTypes.IsTimeZoneName(v) ? v : null);

    /// <summary>Currency values seen before.</summary>
    private static readonly CachedSimpleType<string> Currencies =
        new("an ISO 4217 currency code", 16, 3, static v => UftpSimpleTypes.IsCurrency(v) ? v : null);

    /// <summary>Entity addresses seen before (congestion points, connections).</summary>
    private static readonly CachedSimpleType<EntityAddress> Addresses =
        new("an EntityAddress", 1024, 128, static v => EntityAddress.TryParse(v, out var a) ? a : null);

    /// <summary>The index of the required attribute <paramref name="name"/>; fails when it is missing.</summary>
    private int Require(ReadOnlySpan<byte> name, UftpPath path)
    {
        var i = Find(name);
        return i >= 0 ? i : throw Missing(name, path);
    }

    private static string NameOf(ReadOnlySpan<byte> name) => Encoding.UTF8.GetString(name);

    // ---- values checked once, then served from their type's cache ----

    public string RequiredDomain(ReadOnlySpan<byte> name, UftpPath path) => Required(name, path, Domains);

    public string? OptionalDomain(ReadOnlySpan<byte> name, UftpPath path) => Optional(name, path, Domains);

    public string RequiredVersion(ReadOnlySpan<byte> name, UftpPath path) => Required(name, path, Versions);

    public string RequiredTimeZone(ReadOnlySpan<byte> name, UftpPath path) => Required(name, path, TimeZones);

    public string RequiredCurrency(ReadOnlySpan<byte> name, UftpPath path) => Required(name, path, Currencies);

    public string? OptionalCurrency(ReadOnlySpan<byte> name, UftpPath path) => Optional(name, path, Currencies);

    public EntityAddress RequiredAddress(ReadOnlySpan<byte> name, UftpPath path) => Required(name, path, Addresses);

    /// <summary>A required attribute of a cached simple type; fails when it is missing or not of the type.</summary>
    private T Required<T>(ReadOnlySpan<byte> name, UftpPath path, CachedSimpleType<T> type)
        where T : class => ValueAt(Require(name, path), name, path, type);

    /// <summary>An optional attribute of a cached simple type: null when absent; fails when it is not of the type.</summary>
    private T? Optional<T>(ReadOnlySpan<byte> name, UftpPath path, CachedSimpleType<T> type)
        where T : class
    {
        var i = Find(name);
        return i < 0 ? null : ValueAt(i, name, path, type);
    }

    private T ValueAt<T>(int i, ReadOnlySpan<byte> name, UftpPath path, CachedSimpleType<T> type)
        where T : class
    {
        if (type.Cache.TryGet(_x.AttributeValueUtf8(i), out var known)) return known;
        var text = _x.AttributeValue(i);
        var value = type.Parse(text) ?? throw AttributeError("xsd", path, NameOf(name), $"'{Shorten(text)}' is not {type.Expected}");
        type.Cache.Add(_x.AttributeValueUtf8(i), value);
        return value;
    }

    // ---- enumerations ----

    /// <summary>A required enumeration attribute, its value compared as bytes with the names of <typeparamref name="TEnum"/>.</summary>
    public TEnum RequiredEnum<TEnum>(ReadOnlySpan<byte> name, UftpPath path)
        where TEnum : struct, Enum
    {
        var i = Require(name, path);
        var utf8 = _x.AttributeValueUtf8(i);
        var names = EnumUtf8<TEnum>.Names;
        for (var k = 0; k < names.Length; k++)
        {
            if (utf8.SequenceEqual(names[k])) return EnumUtf8<TEnum>.Values[k];
        }
        return Enum<TEnum>(_x.AttributeValue(i), path, NameOf(name));
    }

    private static class EnumUtf8<TEnum>
        where TEnum : struct, Enum
    {
        public static readonly TEnum[] Values = System.Enum.GetValues<TEnum>();

        public static readonly byte[][] Names = [.. Values.Select(v => Encoding.UTF8.GetBytes(v.ToString()))];
    }

    // ---- UUIDs ----

    public Guid RequiredUuid(ReadOnlySpan<byte> name, UftpPath path) => UuidAt(Require(name, path), name, path);

    public Guid? OptionalUuid(ReadOnlySpan<byte> name, UftpPath path)
    {
        var i = Find(name);
        return i < 0 ? null : UuidAt(i, name, path);
    }

    private Guid UuidAt(int i, ReadOnlySpan<byte> name, UftpPath path)
    {
        var utf8 = _x.AttributeValueUtf8(i);
        if (utf8.Length == 36 && Utf8Parser.TryParse(utf8, out Guid g, out var consumed, 'D') && consumed == 36) return g;
        return Uuid(_x.AttributeValue(i), path, NameOf(name));
    }

    // ---- dates, times, durations ----

    public DateTimeOffset RequiredDateTime(ReadOnlySpan<byte> name, UftpPath path)
    {
        var i = Require(name, path);
        return TryParseDateTime(_x.AttributeValueUtf8(i), out var value) ? value : DateTime(_x.AttributeValue(i), path, NameOf(name));
    }

    public DateOnly RequiredDate(ReadOnlySpan<byte> name, UftpPath path) => DateAt(Require(name, path), name, path);

    public DateOnly? OptionalDate(ReadOnlySpan<byte> name, UftpPath path)
    {
        var i = Find(name);
        return i < 0 ? null : DateAt(i, name, path);
    }

    private DateOnly DateAt(int i, ReadOnlySpan<byte> name, UftpPath path) =>
        TryParseDate(_x.AttributeValueUtf8(i), out var value) ? value : Date(_x.AttributeValue(i), path, NameOf(name));

    public TimeSpan RequiredDuration(ReadOnlySpan<byte> name, UftpPath path)
    {
        var i = Require(name, path);
        return TryParseDuration(_x.AttributeValueUtf8(i), out var value) ? value : Duration(_x.AttributeValue(i), path, NameOf(name));
    }

    /// <summary>
    /// The common xs:dateTime form <c>yyyy-mm-ddThh:mm:ss[.f{1,7}][Z|±hh:mm]</c> (no offset read as UTC, as the string
    /// reader does); false for anything else, including years 1 and 9999 where an offset may leave the range.
    /// </summary>
    internal static bool TryParseDateTime(ReadOnlySpan<byte> s, out DateTimeOffset value)
    {
        value = default;
        if (s.Length < 19 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':') return false;
        if (!TryDigits(s.Slice(0, 4), out var year) || !TryDigits(s.Slice(5, 2), out var month) || !TryDigits(s.Slice(8, 2), out var day)
            || !TryDigits(s.Slice(11, 2), out var hour) || !TryDigits(s.Slice(14, 2), out var minute) || !TryDigits(s.Slice(17, 2), out var second))
        {
            return false;
        }
        if (year is < 2 or > 9998 || month is < 1 or > 12 || day < 1 || day > System.DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }
        var p = 19;
        long fraction = 0;
        if (p < s.Length && s[p] == '.')
        {
            var start = ++p;
            while (p < s.Length && (uint)(s[p] - '0') <= 9) p++;
            var digits = p - start;
            if (digits is < 1 or > 7 || !TryDigits(s[start..p], out var f)) return false;
            fraction = f;
            for (var k = digits; k < 7; k++) fraction *= 10;
        }
        var offset = TimeSpan.Zero;
        if (p < s.Length)
        {
            var rest = s[p..];
            if (rest.Length == 1 && rest[0] == 'Z')
            {
            }
            else if (rest.Length == 6 && rest[0] is (byte)'+' or (byte)'-' && rest[3] == ':' && TryDigits(rest.Slice(1, 2), out var oh) && TryDigits(rest.Slice(4, 2), out var om)
                && om <= 59 && (oh < 14 || (oh == 14 && om == 0)))
            {
                offset = new TimeSpan(oh, om, 0);
                if (rest[0] == '-') offset = -offset;
            }
            else
            {
                return false;
            }
        }
        value = new DateTimeOffset(new DateTime(year, month, day, hour, minute, second).AddTicks(fraction), offset);
        return true;
    }

    /// <summary>A date <c>yyyy-mm-dd</c> exactly (no time zone, no whitespace); false for anything else.</summary>
    internal static bool TryParseDate(ReadOnlySpan<byte> s, out DateOnly value)
    {
        value = default;
        if (s.Length != 10 || s[4] != '-' || s[7] != '-') return false;
        if (!TryDigits(s.Slice(0, 4), out var year) || !TryDigits(s.Slice(5, 2), out var month) || !TryDigits(s.Slice(8, 2), out var day)) return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > System.DateTime.DaysInMonth(year, month)) return false;
        value = new DateOnly(year, month, day);
        return true;
    }

    /// <summary>A one-part time duration <c>PT&lt;n&gt;H</c>, <c>PT&lt;n&gt;M</c> or <c>PT&lt;n&gt;S</c> (n of 1 to 6 digits); false for anything else.</summary>
    internal static bool TryParseDuration(ReadOnlySpan<byte> s, out TimeSpan value)
    {
        value = default;
        if (s.Length is < 4 or > 9 || s[0] != 'P' || s[1] != 'T' || !TryDigits(s[2..^1], out var n)) return false;
        switch (s[^1])
        {
            case (byte)'H':
                value = TimeSpan.FromHours(n);
                return true;
            case (byte)'M':
                value = TimeSpan.FromMinutes(n);
                return true;
            case (byte)'S':
                value = TimeSpan.FromSeconds(n);
                return true;
            default:
                return false;
        }
    }

    /// <summary>One to nine ASCII digits.</summary>
    private static bool TryDigits(ReadOnlySpan<byte> s, out int value)
    {
        value = 0;
        if (s.IsEmpty || s.Length > 9) return false;
        foreach (var b in s)
        {
            var d = (uint)(b - '0');
            if (d > 9) return false;
            value = value * 10 + (int)d;
        }
        return true;
    }
}
