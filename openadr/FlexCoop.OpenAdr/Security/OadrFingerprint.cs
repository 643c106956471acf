using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace FlexCoop.OpenAdr.Security;

/// <summary>
/// Certificate fingerprints used as OpenADR VEN IDs. In 2.0b the fingerprint is the last 10 bytes
/// (20 hex digits) of the SHA-256 hash of the DER certificate, usually written in upper case with
/// colons (<c>F2:50:43:4D:2F:78:59:F3:51:7D</c>); 2.0a used SHA-1 the same way. Comparisons ignore
/// case, colons and surrounding whitespace.
/// </summary>
public static class OadrFingerprint
{
    private const int FingerprintBytes = 10;

    /// <summary>The 2.0b fingerprint of <paramref name="certificate"/> in <c>AA:BB:...</c> form.</summary>
    public static string Of(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Of(certificate.RawDataMemory.Span);
    }

    /// <summary>The 2.0b fingerprint of a DER-encoded certificate.</summary>
    public static string Of(ReadOnlySpan<byte> derCertificate) => Format(SHA256.HashData(derCertificate).AsSpan(^FingerprintBytes));

    /// <summary>The 2.0a fingerprint (SHA-1) of <paramref name="certificate"/> in <c>AA:BB:...</c> form.</summary>
    public static string Of20a(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
#pragma warning disable CA5350 // SHA-1 is what the 2.0a profile defines; used only as an identifier.
        return Format(SHA1.HashData(certificate.RawDataMemory.Span).AsSpan(^FingerprintBytes));
#pragma warning restore CA5350
    }

    /// <summary>Whether two fingerprints are the same, ignoring case, colons and surrounding whitespace.</summary>
    public static bool Matches(string? a, string? b)
    {
        if (a is null || b is null)
        {
            return false;
        }
        var left = Normalize(a);
        return left.Length > 0 && string.Equals(left, Normalize(b), StringComparison.Ordinal);
    }

    /// <summary>Lower-case hex digits only: <c>F2:50:...</c> becomes <c>f250...</c>.</summary>
    public static string Normalize(string fingerprint)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        var builder = new StringBuilder(fingerprint.Length);
        foreach (var c in fingerprint.AsSpan().Trim())
        {
            if (c != ':')
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }
        return builder.ToString();
    }

    private static string Format(ReadOnlySpan<byte> bytes)
    {
        var builder = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (builder.Length > 0)
            {
                builder.Append(':');
            }
            builder.Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }
}
