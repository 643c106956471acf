using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace FlexCoop.OpenAdr.Model;

/// <summary>
/// An ISO 8601 duration as xCal carries it (<c>PT15M</c>, <c>P1D</c>, <c>PT0S</c>, <c>-PT5M</c>):
/// the exact text is kept, so a message re-serialises to the same characters, and two durations are
/// equal when their text is. <see cref="TryGetTimeSpan"/> converts when the duration has a fixed length
/// (no years or months).
/// </summary>
/// <remarks>
/// Accepted text is the schema's <c>xcal:DurationValueType</c>: an optional sign, <c>P</c>, then
/// optional <c>nY</c>, <c>nM</c>, <c>nD</c>, an optional <c>T</c>, optional <c>nH</c>, <c>nM</c>, <c>nS</c>,
/// in that order (integers only); or, as the schema literally says, a bare <c>nW</c> (so <c>P2W</c> is refused). A minute count before <c>T</c> is read as months,
/// as ISO 8601 says, unless no <c>T</c> is present and an hour count comes first.
/// </remarks>
public readonly struct IsoDuration : IEquatable<IsoDuration>, ISpanFormattable
{
    private readonly string? _text;

    private IsoDuration(string text) => _text = text;

    /// <summary>Zero length, <c>PT0S</c> (also the value of <c>default</c>).</summary>
    public static IsoDuration Zero => new("PT0S");

    /// <summary>The duration's exact text.</summary>
    public string Text => _text ?? "PT0S";

    /// <summary>True when the text starts with <c>-</c>.</summary>
    public bool IsNegative => Text.Length > 0 && Text[0] == '-';

    /// <summary>Parses the exact text; throws <see cref="FormatException"/> when it is not an xCal duration.</summary>
    public static IsoDuration Parse(string text) =>
        TryParse(text, out var d) ? d : throw new FormatException($"'{text}' is not an ISO 8601 duration as xCal allows it (e.g. PT15M, P1D, PT0S, -PT5M)");

    /// <summary>Parses the exact text (no trimming: the schema type keeps whitespace significant).</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out IsoDuration duration)
    {
        duration = default;
        if (text is null || !IsValid(text)) return false;
        duration = new IsoDuration(text);
        return true;
    }

    /// <summary>The shortest text for a whole number of seconds: <c>PT15M</c>, <c>P1D</c>, <c>PT1H30M</c>, <c>-PT5M</c>, <c>PT0S</c>.</summary>
    /// <exception cref="ArgumentException">The span has a fraction of a second, which xCal durations cannot carry.</exception>
    public static IsoDuration FromTimeSpan(TimeSpan span)
    {
        if (span.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentException("xCal durations carry whole seconds only", nameof(span));
        }
        if (span == TimeSpan.Zero) return Zero;
        var negative = span < TimeSpan.Zero;
        var total = negative ? -(span.Ticks / TimeSpan.TicksPerSecond) : span.Ticks / TimeSpan.TicksPerSecond;
        var days = total / 86400;
        var hours = total / 3600 % 24;
        var minutes = total / 60 % 60;
        var seconds = total % 60;
        var sb = new System.Text.StringBuilder(16);
        if (negative) sb.Append('-');
        sb.Append('P');
        if (days > 0) sb.Append(days.ToString(CultureInfo.InvariantCulture)).Append('D');
        if (hours > 0 || minutes > 0 || seconds > 0)
        {
            sb.Append('T');
            if (hours > 0) sb.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('H');
            if (minutes > 0) sb.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('M');
            if (seconds > 0) sb.Append(seconds.ToString(CultureInfo.InvariantCulture)).Append('S');
        }
        return new IsoDuration(sb.ToString());
    }

    /// <summary>
    /// The length as a <see cref="TimeSpan"/>; false when the duration has years or months (whose length
    /// depends on the calendar) or does not fit.
    /// </summary>
    public bool TryGetTimeSpan(out TimeSpan span)
    {
        span = default;
        var text = Text.AsSpan();
        var negative = false;
        if (text.Length > 0 && (text[0] == '-' || text[0] == '+'))
        {
            negative = text[0] == '-';
            text = text[1..];
        }
        if (text.Length > 0 && text[0] == 'P') text = text[1..];
        var inTime = false;
        var sawHour = false;
        long seconds = 0;
        try
        {
            while (!text.IsEmpty)
            {
                if (text[0] == 'T')
                {
                    inTime = true;
                    text = text[1..];
                    continue;
                }
                var digits = 0;
                while (digits < text.Length && char.IsAsciiDigit(text[digits])) digits++;
                if (digits == 0 || digits == text.Length) return false;
                var n = long.Parse(text[..digits], NumberStyles.None, CultureInfo.InvariantCulture);
                var unit = text[digits];
                text = text[(digits + 1)..];
                switch (unit)
                {
                    case 'Y': return false;
                    case 'W': seconds = checked(seconds + n * 604800); break;
                    case 'D': seconds = checked(seconds + n * 86400); break;
                    case 'H': seconds = checked(seconds + n * 3600); sawHour = true; break;
                    case 'M' when inTime || sawHour: seconds = checked(seconds + n * 60); break;
                    case 'M': return false;
                    case 'S': seconds = checked(seconds + n); break;
                    default: return false;
                }
            }
            if (seconds > TimeSpan.MaxValue.Ticks / TimeSpan.TicksPerSecond) return false;
            span = TimeSpan.FromSeconds(negative ? -seconds : seconds);
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    /// <summary>The length as a <see cref="TimeSpan"/>; throws <see cref="InvalidOperationException"/> when it has years or months.</summary>
    public TimeSpan ToTimeSpan() =>
        TryGetTimeSpan(out var span) ? span : throw new InvalidOperationException($"the duration {Text} has no fixed length");

    /// <summary>True when <paramref name="text"/> matches the schema's pattern for <c>xcal:DurationValueType</c>.</summary>
    public static bool IsValid(ReadOnlySpan<char> text)
    {
        // (\+|\-)?P((\d+Y)?(\d+M)?(\d+D)?T?(\d+H)?(\d+M)?(\d+S)?)|(\d+W)
        if (text.IsEmpty) return false;
        var i = 0;
        if (text[0] == '+' || text[0] == '-') i++;
        if (i >= text.Length || text[i] != 'P') return IsWeeks(text);
        i++;
        // Designators in order; T may appear once between D and H.
        ReadOnlySpan<char> order = "YMDTHMS";
        var slot = 0;
        while (i < text.Length)
        {
            if (text[i] == 'T')
            {
                if (slot > 3) return false;
                slot = 4;
                i++;
                continue;
            }
            var start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
            if (i == start || i == text.Length) return false;
            var unit = text[i++];
            var found = -1;
            for (var s = slot; s < order.Length; s++)
            {
                if (s == 3) continue;
                if (order[s] == unit)
                {
                    found = s;
                    break;
                }
            }
            if (found < 0) return false;
            slot = found + 1;
        }
        return true;
    }

    private static bool IsWeeks(ReadOnlySpan<char> text)
    {
        // The schema's second alternative is a bare "nW" (no sign, no P).
        if (text.Length < 2 || text[^1] != 'W') return false;
        foreach (var c in text[..^1])
        {
            if (!char.IsAsciiDigit(c)) return false;
        }
        return true;
    }

    public bool Equals(IsoDuration other) => string.Equals(Text, other.Text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is IsoDuration other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Text);

    public static bool operator ==(IsoDuration left, IsoDuration right) => left.Equals(right);

    public static bool operator !=(IsoDuration left, IsoDuration right) => !left.Equals(right);

    public override string ToString() => Text;

    public string ToString(string? format, IFormatProvider? formatProvider) => Text;

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        if (Text.AsSpan().TryCopyTo(destination))
        {
            charsWritten = Text.Length;
            return true;
        }
        charsWritten = 0;
        return false;
    }
}
