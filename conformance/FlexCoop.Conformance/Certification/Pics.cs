using System.Text.Json;

namespace FlexCoop.Conformance.Certification;

/// <summary>
/// Protocol Implementation Conformance Statement: which optional features the device under test
/// claims, and values some cases need (a pre-configured venID). Read from JSON
/// (<c>{"history-usage": true, "preconfigured-venid": "VEN-1"}</c>) or INI (<c>history-usage = yes</c>,
/// sections ignored). A feature is claimed when its value is true/yes/1 or any other non-empty text;
/// false/no/0/empty or absent means not claimed. Keys ignore case.
/// </summary>
public sealed class Pics
{
    private const int MaxBytes = 64 * 1024;
    private readonly Dictionary<string, string> _values;

    /// <summary>A PICS with the given entries.</summary>
    public Pics(IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = new Dictionary<string, string>(values, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Claims nothing optional.</summary>
    public static Pics None { get; } = new(new Dictionary<string, string>());

    /// <summary>The entries as read.</summary>
    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>True when the device claims <paramref name="feature"/>.</summary>
    public bool Claims(string feature) =>
        _values.TryGetValue(feature, out var v) && v.Trim().ToLowerInvariant() is not ("" or "false" or "no" or "0" or "off");

    /// <summary>The value given for <paramref name="key"/>, or null.</summary>
    public string? Value(string key) => _values.TryGetValue(key, out var v) && v.Length > 0 ? v : null;

    /// <summary>Reads a PICS file: JSON when it starts with <c>{</c>, INI otherwise.</summary>
    /// <exception cref="CertificationSetupException">The file is missing, too large or unreadable.</exception>
    public static Pics Load(string path)
    {
        string text;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw new CertificationSetupException($"PICS file {path} does not exist");
            if (info.Length > MaxBytes) throw new CertificationSetupException($"PICS file {path} is over {MaxBytes} bytes");
            text = File.ReadAllText(path);
        }
        catch (IOException ex)
        {
            throw new CertificationSetupException($"cannot read PICS file {path}: {ex.Message}", ex);
        }
        return Parse(text, path);
    }

    /// <summary>Parses PICS text (JSON or INI).</summary>
    /// <exception cref="CertificationSetupException">The text is neither.</exception>
    public static Pics Parse(string text, string source = "PICS")
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.TrimStart().StartsWith('{') ? ParseJson(text, source) : ParseIni(text, source);
    }

    private static Pics ParseJson(string text, string source)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        try
        {
            using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 8 });
            var root = doc.RootElement;
            // Either flat, or with the claims under "features".
            if (root.TryGetProperty("features", out var nested) && nested.ValueKind == JsonValueKind.Object) root = nested;
            foreach (var p in root.EnumerateObject())
            {
                values[p.Name] = p.Value.ValueKind switch
                {
                    JsonValueKind.True => "true",
                    JsonValueKind.False or JsonValueKind.Null => "false",
                    JsonValueKind.String => p.Value.GetString() ?? "",
                    JsonValueKind.Number => p.Value.GetRawText(),
                    _ => throw new CertificationSetupException($"{source}: '{p.Name}' must be true/false, a number or text"),
                };
            }
        }
        catch (JsonException ex)
        {
            throw new CertificationSetupException($"{source} is not valid JSON: {ex.Message}", ex);
        }
        return new Pics(values);
    }

    private static Pics ParseIni(string text, string source)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var lineNo = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';' || (line[0] == '[' && line[^1] == ']')) continue;
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) throw new CertificationSetupException($"{source} line {lineNo}: expected 'feature = value'");
            values[line[..eq].Trim()] = line[(eq + 1)..].Trim().Trim('"');
        }
        return new Pics(values);
    }
}
