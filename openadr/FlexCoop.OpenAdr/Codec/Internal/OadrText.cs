using System.Buffers.Text;
using System.Globalization;
using FlexCoop.OpenAdr.Model;

namespace FlexCoop.OpenAdr.Codec.Internal;

/// <summary>Lexical forms of the schema's simple types: parsing (strict, as XSD) and formatting.</summary>
internal static class OadrText
{
    /// <summary>XSD whitespace collapse: runs of blanks become one space, leading and trailing removed.</summary>
    public static string Collapse(string value)
    {
        if (value.Length == 0) return value;
        var clean = !IsXmlBlank(value[0]) && !IsXmlBlank(value[^1]);
        for (var i = 0; clean && i < value.Length; i++)
        {
            var c = value[i];
            if (c is '\t' or '\n' or '\r' || (c == ' ' && i + 1 < value.Length && value[i + 1] == ' ')) clean = false;
        }
        if (clean) return value;
        var sb = new System.Text.StringBuilder(value.Length);
        var pendingSpace = false;
        foreach (var c in value)
        {
            if (IsXmlBlank(c))
            {
                pendingSpace = sb.Length > 0;
                continue;
            }
            if (pendingSpace) sb.Append(' ');
            pendingSpace = false;
            sb.Append(c);
        }
        return sb.ToString();
    }

    private static bool IsXmlBlank(char c) => c is ' ' or '\t' or '\n' or '\r';

    // ---- parsing, straight from the UTF-8 of the message ----------------------------------------

    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> value) => value.Trim(" \t\n\r"u8);

    public static bool TryParseBoolean(ReadOnlySpan<byte> text, out bool value)
    {
        var s = Trim(text);
        if (s.SequenceEqual("true"u8) || s.SequenceEqual("1"u8))
        {
            value = true;
            return true;
        }
        value = false;
        return s.SequenceEqual("false"u8) || s.SequenceEqual("0"u8);
    }

    /// <summary><c>xs:unsignedInt</c>: digits with an optional sign (<c>-0</c> is zero), blanks around.</summary>
    public static bool TryParseUInt(ReadOnlySpan<byte> text, out uint value)
    {
        var s = Trim(text);
        value = 0;
        var negative = false;
        if (!s.IsEmpty && s[0] is (byte)'+' or (byte)'-')
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        // Utf8Parser's default format is exactly a run of ASCII digits; it must take the whole text.
        if (s.IsEmpty || !char.IsAsciiDigit((char)s[0]) || !Utf8Parser.TryParse(s, out value, out var consumed) || consumed != s.Length) return false;
        return !negative || value == 0;
    }

    public static bool TryParseFloat(ReadOnlySpan<byte> text, out float value)
    {
        var s = Trim(text);
        if (TryParsePlainDecimal(s, out value)) return true;
        value = 0;
        if (!TryParseSpecial(s, out var special, out var isSpecial)) return false;
        if (isSpecial)
        {
            value = (float)special;
            return true;
        }
        if (!float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value)) return false;
        return float.IsFinite(value);
    }

    private static ReadOnlySpan<double> PowersOfTen =>
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>Most significant digits <see cref="TryParsePlainDecimal"/> takes: their integer stays below 2^53.</summary>
    internal const int PlainDecimalDigits = 15;

    /// <summary>Most digits after the point <see cref="TryParsePlainDecimal"/> takes: 10^22 is the largest exact double power of ten.</summary>
    internal const int PlainDecimalScale = 22;

    /// <summary>
    /// The common case, <c>[-]digits[.digits]</c> with at most 15 significant digits and 22 decimals (what a writer of
    /// the shortest round-trip form of a float gives, e.g. <c>0.21000001</c>), exactly as the general parser would.
    /// The digits (below 2^53) and the power of ten (at most 10^22) are both exact doubles, so one division gives the
    /// value correctly rounded to double (Clinger's fast path). Rounding that double to float again is then exact
    /// too, except when the double lies precisely halfway between two floats: a double cannot be on the other side
    /// of a float midpoint than the exact value (midpoints are doubles themselves), so only a tie is ambiguous, and
    /// a tie is left to the general parser. Anything else (exponents, a sign '+', more digits) is left to it as well.
    /// </summary>
    internal static bool TryParsePlainDecimal(ReadOnlySpan<byte> s, out float value)
    {
        value = 0;
        var i = 0;
        var negative = false;
        if (s.Length > 0 && s[0] == '-')
        {
            negative = true;
            i = 1;
        }
        ulong mantissa = 0;
        var significant = 0;
        var scale = -1;
        var digits = 0;
        for (; i < s.Length; i++)
        {
            var d = (uint)(s[i] - '0');
            if (d > 9)
            {
                if (s[i] == '.' && scale < 0)
                {
                    scale = 0;
                    continue;
                }
                return false;
            }
            digits++;
            mantissa = mantissa * 10 + d;
            if (mantissa != 0 && ++significant > PlainDecimalDigits) return false;
            if (scale >= 0 && ++scale > PlainDecimalScale) return false;
        }
        // "", "-", "." and "-." hold no digit.
        if (digits == 0) return false;
        var exact = mantissa / PowersOfTen[scale < 0 ? 0 : scale];
        // A double halfway between two floats has exactly its 29 bits below float precision at 100...0.
        const long belowFloat = (1L << 29) - 1;
        if ((BitConverter.DoubleToInt64Bits(exact) & belowFloat) == 1L << 28) return false;
        var result = (float)exact;
        value = negative ? -result : result;
        return true;
    }

    public static bool TryParseDouble(ReadOnlySpan<byte> s, out double value)
    {
        value = 0;
        if (!TryParseSpecial(s, out var special, out var isSpecial)) return false;
        if (isSpecial)
        {
            value = special;
            return true;
        }
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value)) return false;
        return double.IsFinite(value);
    }

    /// <summary>
    /// Checks the characters of an xs:float/xs:double literal (what the framework's parser would also take, such as
    /// <c>Infinity</c> or <c>1,5</c>, is refused here); recognises INF, -INF, NaN.
    /// </summary>
    private static bool TryParseSpecial(ReadOnlySpan<byte> s, out double value, out bool isSpecial)
    {
        value = 0;
        isSpecial = true;
        if (s.SequenceEqual("INF"u8)) { value = double.PositiveInfinity; return true; }
        if (s.SequenceEqual("-INF"u8)) { value = double.NegativeInfinity; return true; }
        if (s.SequenceEqual("NaN"u8)) { value = double.NaN; return true; }
        isSpecial = false;
        if (s.IsEmpty) return false;
        var digits = false;
        foreach (var c in s)
        {
            if (char.IsAsciiDigit((char)c)) digits = true;
            else if (c is not ((byte)'+' or (byte)'-' or (byte)'.' or (byte)'e' or (byte)'E')) return false;
        }
        return digits;
    }

    public static bool TryParseDecimal(ReadOnlySpan<byte> text, out decimal value)
    {
        var s = Trim(text);
        value = 0;
        if (s.IsEmpty) return false;
        var digits = false;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsAsciiDigit((char)c)) digits = true;
            else if (!(c == '.' || (i == 0 && c is (byte)'+' or (byte)'-'))) return false;
        }
        return digits && decimal.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>
    /// <c>xcal:DateTimeType</c>: <c>yyyy-mm-ddThh:mm:ss[.f*][Z]</c>. A time without <c>Z</c> is read as UTC.
    /// Fractions beyond 100 ns are truncated.
    /// </summary>
    public static bool TryParseDateTime(ReadOnlySpan<byte> text, out DateTimeOffset value)
    {
        value = default;
        var s = Trim(text);
        if (s.Length > 0 && s[^1] == 'Z') s = s[..^1];
        if (s.Length < 19) return false;
        if (s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':') return false;
        if (!Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day)
            || !Digits(s, 11, 2, out var hour) || !Digits(s, 14, 2, out var minute) || !Digits(s, 17, 2, out var second))
        {
            return false;
        }
        long fractionTicks = 0;
        var fractionNonZero = false;
        if (s.Length > 19)
        {
            if (s[19] != '.' || s.Length == 20) return false;
            var scale = TimeSpan.TicksPerSecond / 10;
            for (var i = 20; i < s.Length; i++)
            {
                if (!char.IsAsciiDigit((char)s[i])) return false;
                var d = s[i] - '0';
                if (d != 0) fractionNonZero = true;
                fractionTicks += d * scale;
                scale /= 10;
            }
        }
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || minute > 59 || second > 59) return false;
        var endOfDay = false;
        if (hour == 24)
        {
            if (minute != 0 || second != 0 || fractionNonZero) return false;
            hour = 0;
            endOfDay = true;
        }
        else if (hour > 23)
        {
            return false;
        }
        var dt = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(fractionTicks);
        if (endOfDay)
        {
            if (dt.Date == DateTime.MaxValue.Date) return false;
            dt = dt.AddDays(1);
        }
        value = new DateTimeOffset(dt);
        return true;
    }

    private static bool Digits(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit((char)s[i])) return false;
            value = value * 10 + (s[i] - '0');
        }
        return true;
    }

    // ---- formatting ----------------------------------------------------------------------------

    public static int FormatDateTime(DateTimeOffset value, Span<char> buffer)
    {
        var utc = value.UtcDateTime;
        utc.TryFormat(buffer, out var n, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var fraction = utc.Ticks % TimeSpan.TicksPerSecond;
        if (fraction != 0)
        {
            buffer[n++] = '.';
            var divisor = TimeSpan.TicksPerSecond / 10;
            while (fraction != 0)
            {
                buffer[n++] = (char)('0' + fraction / divisor);
                fraction %= divisor;
                divisor /= 10;
            }
        }
        buffer[n++] = 'Z';
        return n;
    }

    public static int FormatFloat(float value, Span<char> buffer)
    {
        if (float.IsNaN(value)) return Copy("NaN", buffer);
        if (float.IsPositiveInfinity(value)) return Copy("INF", buffer);
        if (float.IsNegativeInfinity(value)) return Copy("-INF", buffer);
        value.TryFormat(buffer, out var n, "R", CultureInfo.InvariantCulture);
        return n;
    }

    public static int FormatDouble(double value, Span<char> buffer)
    {
        if (double.IsNaN(value)) return Copy("NaN", buffer);
        if (double.IsPositiveInfinity(value)) return Copy("INF", buffer);
        if (double.IsNegativeInfinity(value)) return Copy("-INF", buffer);
        value.TryFormat(buffer, out var n, "R", CultureInfo.InvariantCulture);
        return n;
    }

    private static int Copy(string text, Span<char> buffer)
    {
        text.AsSpan().CopyTo(buffer);
        return text.Length;
    }

    // ---- closed lists --------------------------------------------------------------------------

    public static string ToText(EventStatus v) => v switch
    {
        EventStatus.None => "none",
        EventStatus.Far => "far",
        EventStatus.Near => "near",
        EventStatus.Active => "active",
        EventStatus.Completed => "completed",
        EventStatus.Cancelled => "cancelled",
        _ => throw Undefined(v),
    };

    public static bool TryParse(string token, out EventStatus v)
    {
        (v, var ok) = token switch
        {
            "none" => (EventStatus.None, true),
            "far" => (EventStatus.Far, true),
            "near" => (EventStatus.Near, true),
            "active" => (EventStatus.Active, true),
            "completed" => (EventStatus.Completed, true),
            "cancelled" => (EventStatus.Cancelled, true),
            _ => (default, false),
        };
        return ok;
    }

    public static string ToText(OptType v) => v switch
    {
        OptType.OptIn => "optIn",
        OptType.OptOut => "optOut",
        _ => throw Undefined(v),
    };

    public static bool TryParse(string token, out OptType v)
    {
        (v, var ok) = token switch
        {
            "optIn" => (OptType.OptIn, true),
            "optOut" => (OptType.OptOut, true),
            _ => (default, false),
        };
        return ok;
    }

    public static string ToText(ResponseRequired v) => v switch
    {
        ResponseRequired.Always => "always",
        ResponseRequired.Never => "never",
        _ => throw Undefined(v),
    };

    public static bool TryParse(string exact, out ResponseRequired v)
    {
        (v, var ok) = exact switch
        {
            "always" => (ResponseRequired.Always, true),
            "never" => (ResponseRequired.Never, true),
            _ => (default, false),
        };
        return ok;
    }

    public static string ToText(OadrProfileName v) => v switch
    {
        OadrProfileName.Profile20a => "2.0a",
        OadrProfileName.Profile20b => "2.0b",
        _ => throw Undefined(v),
    };

    public static bool TryParse(string token, out OadrProfileName v)
    {
        (v, var ok) = token switch
        {
            "2.0a" => (OadrProfileName.Profile20a, true),
            "2.0b" => (OadrProfileName.Profile20b, true),
            _ => (default, false),
        };
        return ok;
    }

    public static string ToText(OadrTransportName v) => v switch
    {
        OadrTransportName.SimpleHttp => "simpleHttp",
        OadrTransportName.Xmpp => "xmpp",
        _ => throw Undefined(v),
    };

    public static bool TryParse(string token, out OadrTransportName v)
    {
        (v, var ok) = token switch
        {
            "simpleHttp" => (OadrTransportName.SimpleHttp, true),
            "xmpp" => (OadrTransportName.Xmpp, true),
            _ => (default, false),
        };
        return ok;
    }

    public static string ToText(OadrServiceName v) => v switch
    {
        OadrServiceName.EiEvent => "EiEvent",
        OadrServiceName.EiOpt => "EiOpt",
        OadrServiceName.EiReport => "EiReport",
        OadrServiceName.EiRegisterParty => "EiRegisterParty",
        OadrServiceName.OadrPoll => "OadrPoll",
        _ => throw Undefined(v),
    };

    public static bool TryParse(string token, out OadrServiceName v)
    {
        (v, var ok) = token switch
        {
            "EiEvent" => (OadrServiceName.EiEvent, true),
            "EiOpt" => (OadrServiceName.EiOpt, true),
            "EiReport" => (OadrServiceName.EiReport, true),
            "EiRegisterParty" => (OadrServiceName.EiRegisterParty, true),
            "OadrPoll" => (OadrServiceName.OadrPoll, true),
            _ => (default, false),
        };
        return ok;
    }

    public static string ToText(SignalType v) => v switch
    {
        SignalType.Delta => "delta",
        SignalType.Level => "level",
        SignalType.Multiplier => "multiplier",
        SignalType.Price => "price",
        SignalType.PriceMultiplier => "priceMultiplier",
        SignalType.PriceRelative => "priceRelative",
        SignalType.Setpoint => "setpoint",
        SignalType.LoadControlCapacity => "x-loadControlCapacity",
        SignalType.LoadControlLevelOffset => "x-loadControlLevelOffset",
        SignalType.LoadControlPercentOffset => "x-loadControlPercentOffset",
        SignalType.LoadControlSetpoint => "x-loadControlSetpoint",
        _ => throw Undefined(v),
    };

    public static bool TryParse(string token, out SignalType v)
    {
        (v, var ok) = token switch
        {
            "delta" => (SignalType.Delta, true),
            "level" => (SignalType.Level, true),
            "multiplier" => (SignalType.Multiplier, true),
            "price" => (SignalType.Price, true),
            "priceMultiplier" => (SignalType.PriceMultiplier, true),
            "priceRelative" => (SignalType.PriceRelative, true),
            "setpoint" => (SignalType.Setpoint, true),
            "x-loadControlCapacity" => (SignalType.LoadControlCapacity, true),
            "x-loadControlLevelOffset" => (SignalType.LoadControlLevelOffset, true),
            "x-loadControlPercentOffset" => (SignalType.LoadControlPercentOffset, true),
            "x-loadControlSetpoint" => (SignalType.LoadControlSetpoint, true),
            _ => (default, false),
        };
        return ok;
    }

    public static string ToText(SiScaleCode v) => v switch
    {
        SiScaleCode.None => "none",
        SiScaleCode.Pico => "p",
        SiScaleCode.Nano => "n",
        SiScaleCode.Micro => "micro",
        SiScaleCode.Milli => "m",
        SiScaleCode.Centi => "c",
        SiScaleCode.Deci => "d",
        SiScaleCode.Kilo => "k",
        SiScaleCode.Mega => "M",
        SiScaleCode.Giga => "G",
        SiScaleCode.Tera => "T",
        _ => throw Undefined(v),
    };

    public static bool TryParse(string exact, out SiScaleCode v)
    {
        (v, var ok) = exact switch
        {
            "none" => (SiScaleCode.None, true),
            "p" => (SiScaleCode.Pico, true),
            "n" => (SiScaleCode.Nano, true),
            "micro" => (SiScaleCode.Micro, true),
            "m" => (SiScaleCode.Milli, true),
            "c" => (SiScaleCode.Centi, true),
            "d" => (SiScaleCode.Deci, true),
            "k" => (SiScaleCode.Kilo, true),
            "M" => (SiScaleCode.Mega, true),
            "G" => (SiScaleCode.Giga, true),
            "T" => (SiScaleCode.Tera, true),
            _ => (default, false),
        };
        return ok;
    }

    public static string ToText(TemperatureUnit v) => v switch
    {
        TemperatureUnit.Celsius => "celsius",
        TemperatureUnit.Fahrenheit => "fahrenheit",
        _ => throw Undefined(v),
    };

    public static bool TryParse(string token, out TemperatureUnit v)
    {
        (v, var ok) = token switch
        {
            "celsius" => (TemperatureUnit.Celsius, true),
            "fahrenheit" => (TemperatureUnit.Fahrenheit, true),
            _ => (default, false),
        };
        return ok;
    }

    public static string ToText(RealPowerUnit v) => v switch
    {
        RealPowerUnit.Watt => "W",
        RealPowerUnit.JoulePerSecond => "J/s",
        _ => throw Undefined(v),
    };

    public static bool TryParse(string token, out RealPowerUnit v)
    {
        (v, var ok) = token switch
        {
            "W" => (RealPowerUnit.Watt, true),
            "J/s" => (RealPowerUnit.JoulePerSecond, true),
            _ => (default, false),
        };
        return ok;
    }

    public static string ToText(CurrencyItemDescription v) => v switch
    {
        CurrencyItemDescription.Currency => "currency",
        CurrencyItemDescription.CurrencyPerKW => "currencyPerKW",
        CurrencyItemDescription.CurrencyPerKWh => "currencyPerKWh",
        _ => throw Undefined(v),
    };

    public static bool TryParse(string token, out CurrencyItemDescription v)
    {
        (v, var ok) = token switch
        {
            "currency" => (CurrencyItemDescription.Currency, true),
            "currencyPerKW" => (CurrencyItemDescription.CurrencyPerKW, true),
            "currencyPerKWh" => (CurrencyItemDescription.CurrencyPerKWh, true),
            _ => (default, false),
        };
        return ok;
    }

    public static string ElementName(CurrencyItemKind v) => v switch
    {
        CurrencyItemKind.Currency => "currency",
        CurrencyItemKind.CurrencyPerKWh => "currencyPerKWh",
        CurrencyItemKind.CurrencyPerKW => "currencyPerKW",
        CurrencyItemKind.CurrencyPerThm => "currencyPerThm",
        _ => throw Undefined(v),
    };

    private static ArgumentOutOfRangeException Undefined<T>(T value) where T : struct, Enum =>
        new(typeof(T).Name, value, $"{value} is not a defined {typeof(T).Name}");
}
