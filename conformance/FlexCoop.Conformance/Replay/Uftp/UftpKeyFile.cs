using System.Text.Json;
using System.Text.Json.Serialization;
using FlexCoop.Usef;
using FlexCoop.Usef.Participants;

namespace FlexCoop.Conformance.Replay.Uftp;

/// <summary>
/// The participants' public keys for replay, without DNS: the JSON file <c>flexcoop uftp serve
/// --participants</c> reads, <c>[{"domain": "dso.example.com", "role": "DSO", "publicKeys": ["base64", ...]}, ...]</c>
/// (an <c>endpoint</c> member is allowed and ignored here).
/// </summary>
public static class UftpKeyFile
{
    private const long MaxBytes = 4 * 1024 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        MaxDepth = 8,
    };

    private sealed record Entry(string? Domain, UftpRole Role, Uri? Endpoint, string[]? PublicKeys);

    /// <summary>Reads the file.</summary>
    /// <exception cref="CaptureFormatException">The file is missing, too large, not such JSON, or holds a bad domain or key.</exception>
    public static IReadOnlyList<UftpParticipant> Load(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new CaptureFormatException(path, "no such key file");
        if (info.Length > MaxBytes) throw new CaptureFormatException(path, $"the key file is larger than {MaxBytes} bytes");
        try
        {
            var entries = JsonSerializer.Deserialize<Entry[]>(File.ReadAllBytes(path), Json) ?? [];
            return entries.Select((e, i) => new UftpParticipantOptions
            {
                Domain = e.Domain ?? throw new CaptureFormatException(path, $"entry {i + 1} has no domain"),
                Role = e.Role,
                PublicKeys = e.PublicKeys ?? [],
            }.ToParticipant()).ToList();
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or UsefException)
        {
            throw new CaptureFormatException(path, "not a UFTP key file ([{\"domain\":..., \"role\":\"AGR|CRO|DSO\", \"publicKeys\":[base64...]}]): " + ex.Message, ex);
        }
    }
}
