namespace FlexCoop.Conformance.Replay;

/// <summary>
/// One HTTP exchange taken from a capture: a request and, when it was captured, its response.
/// Bodies are the exact bytes on the wire (after de-chunking).
/// </summary>
public sealed record CaptureExchange
{
    /// <summary>Position in the capture, from 1.</summary>
    public required int Seq { get; init; }

    /// <summary>When the request was sent.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>HTTP method, e.g. POST.</summary>
    public required string Method { get; init; }

    /// <summary>Request target, e.g. <c>/OpenADR2/Simple/2.0b/OadrPoll</c>.</summary>
    public required string Path { get; init; }

    /// <summary>HTTP status of the response; null when no response was captured.</summary>
    public int? Status { get; init; }

    public ReadOnlyMemory<byte> RequestBody { get; init; }

    public ReadOnlyMemory<byte> ResponseBody { get; init; }

    public string? RequestContentType { get; init; }

    public string? ResponseContentType { get; init; }

    /// <summary>Who sent the request (e.g. <c>10.0.0.5:51514</c>), when the capture says.</summary>
    public string? Client { get; init; }

    /// <summary>Who answered (e.g. <c>10.0.0.1:8443</c>), when the capture says.</summary>
    public string? Server { get; init; }

    /// <summary>Set when the exchange could not be read (e.g. TLS without a key log); the bodies are then empty.</summary>
    public string? Unreadable { get; init; }

    /// <summary>
    /// For a TCP connection that does not carry HTTP (e.g. MMS on port 102): its payload in both
    /// directions, in the order it was captured; <see cref="Method"/> is then <c>TCP</c> and the bodies are empty.
    /// </summary>
    public IReadOnlyList<TcpChunk>? Stream { get; init; }
}

/// <summary>Payload bytes one side of a TCP connection sent, as captured (after reassembly).</summary>
/// <param name="FromClient">True when the side that opened the connection sent them.</param>
/// <param name="Time">When they were captured.</param>
/// <param name="Data">The bytes.</param>
public sealed record TcpChunk(bool FromClient, DateTimeOffset Time, ReadOnlyMemory<byte> Data);

/// <summary>A capture as a sequence of exchanges, in the order they were sent.</summary>
public sealed record Capture(string Source, IReadOnlyList<CaptureExchange> Exchanges)
{
    /// <summary>Reads a capture: a folder with an <c>index.jsonl</c>, a FlexCoop message log, or a pcap/pcapng file.</summary>
    /// <param name="path">The file or folder.</param>
    /// <param name="limits">Size bounds; <see cref="CaptureLimits.Default"/> when null.</param>
    /// <param name="keyLog">TLS secrets: TLS 1.2 connections in a pcap whose session it holds are decrypted; without it they are unreadable.</param>
    /// <exception cref="CaptureFormatException">The capture cannot be read.</exception>
    public static Capture Load(string path, CaptureLimits? limits = null, Tls.TlsKeyLog? keyLog = null)
    {
        limits ??= CaptureLimits.Default;
        if (Directory.Exists(path)) return FolderCapture.Read(path, limits);
        if (File.Exists(path) && MessageLogCapture.LooksLikeMessageLog(path)) return MessageLogCapture.Read(path, limits);
        if (File.Exists(path)) return Pcap.PcapCapture.Read(path, limits, keyLog);
        throw new CaptureFormatException(path, "no such file or folder");
    }
}

/// <summary>Bounds for reading captures.</summary>
public sealed record CaptureLimits
{
    public static readonly CaptureLimits Default = new();

    /// <summary>Largest HTTP body accepted.</summary>
    public int MaxBodyBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Largest capture file read.</summary>
    public long MaxCaptureBytes { get; init; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Most exchanges read from one capture.</summary>
    public int MaxExchanges { get; init; } = 1_000_000;
}
