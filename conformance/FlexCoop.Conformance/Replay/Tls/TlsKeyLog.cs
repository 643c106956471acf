using System.Globalization;

namespace FlexCoop.Conformance.Replay.Tls;

/// <summary>
/// TLS secrets in the NSS key log format (what <c>SSLKEYLOGFILE</c> makes browsers, curl, OpenSSL and
/// .NET write): one <c>CLIENT_RANDOM &lt;client random, 64 hex&gt; &lt;master secret, 96 hex&gt;</c> line per
/// TLS 1.2 session. Comments (<c>#</c>) and the TLS 1.3 labels are skipped: replay decrypts TLS 1.2.
/// </summary>
public sealed class TlsKeyLog
{
    private const long MaxBytes = 64 * 1024 * 1024;
    private readonly Dictionary<string, byte[]> _masterSecrets;

    private TlsKeyLog(Dictionary<string, byte[]> masterSecrets) => _masterSecrets = masterSecrets;

    /// <summary>How many TLS 1.2 sessions the log holds secrets for.</summary>
    public int Count => _masterSecrets.Count;

    /// <summary>Reads a key log file.</summary>
    /// <exception cref="CaptureFormatException">The file is missing, too large, or a CLIENT_RANDOM line is malformed.</exception>
    public static TlsKeyLog Load(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new CaptureFormatException(path, "no such key log file");
        if (info.Length > MaxBytes) throw new CaptureFormatException(path, $"the key log is larger than {MaxBytes} bytes");
        return Parse(File.ReadLines(path), path);
    }

    /// <summary>Parses key log lines.</summary>
    /// <exception cref="CaptureFormatException">A CLIENT_RANDOM line is malformed.</exception>
    public static TlsKeyLog Parse(IEnumerable<string> lines, string source = "key log")
    {
        ArgumentNullException.ThrowIfNull(lines);
        var secrets = new Dictionary<string, byte[]>(StringComparer.OrdinalIgnoreCase);
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts[0] != "CLIENT_RANDOM") continue;
            if (parts.Length != 3 || parts[1].Length != 64 || parts[2].Length != 96 || !IsHex(parts[1]) || !IsHex(parts[2]))
            {
                throw new CaptureFormatException($"{source}:{number.ToString(CultureInfo.InvariantCulture)}",
                    "a CLIENT_RANDOM line is 'CLIENT_RANDOM <64 hex digits> <96 hex digits>'");
            }
            secrets[parts[1]] = Convert.FromHexString(parts[2]);
        }
        return new TlsKeyLog(secrets);
    }

    /// <summary>The master secret of the session whose ClientHello carried <paramref name="clientRandom"/>, or null.</summary>
    public byte[]? MasterSecret(ReadOnlySpan<byte> clientRandom) =>
        _masterSecrets.TryGetValue(Convert.ToHexString(clientRandom), out var secret) ? secret : null;

    private static bool IsHex(string s) => s.All(char.IsAsciiHexDigit);
}
