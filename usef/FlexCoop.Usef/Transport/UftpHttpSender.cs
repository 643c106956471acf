using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace FlexCoop.Usef.Transport;

/// <summary>How a POST of one envelope went.</summary>
public enum UftpDeliveryStatus
{
    /// <summary>2xx: the peer took the message.</summary>
    Delivered,
    /// <summary>Network error, timeout, 404 (often a front end whose back end is down), 408, 419 (key lookup failed), 429 or 5xx: try again later.</summary>
    Transient,
    /// <summary>Any other 4xx: sending again will not help.</summary>
    Permanent,
}

/// <summary>The outcome of one POST.</summary>
public sealed record UftpDeliveryResult(UftpDeliveryStatus Status, int StatusCode, string? Detail);

/// <summary>Settings of the HTTP client side (immutable).</summary>
public sealed record UftpSenderOptions
{
    /// <summary>Time allowed per POST.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Server certificates trusted in addition to the system's roots (pinned; for test
    /// deployments and private PKIs). Empty trusts only what the system trusts.
    /// </summary>
    public IReadOnlyList<X509Certificate2> TrustedServerCertificates { get; init; } = [];
}

/// <summary>POSTs SignedMessage envelopes as <c>text/xml</c> to participant endpoints.</summary>
public sealed class UftpHttpSender : IDisposable
{
    private readonly HttpClient _client;

    public UftpHttpSender(UftpSenderOptions? options = null)
    {
        options ??= new UftpSenderOptions();
        var pinned = options.TrustedServerCertificates.Select(c => c.Thumbprint).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    errors == SslPolicyErrors.None || (certificate is not null && pinned.Contains(certificate.GetCertHashString())),
            },
        };
        _client = new HttpClient(handler) { Timeout = options.Timeout };
    }

    /// <summary>POSTs one envelope; never throws for HTTP or network failures (they are in the result).</summary>
    public async Task<UftpDeliveryResult> PostAsync(Uri endpoint, ReadOnlyMemory<byte> signedXml, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        using var content = new ReadOnlyMemoryContent(signedXml);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" };
        try
        {
            using var response = await _client.PostAsync(endpoint, content, cancellationToken).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            string? detail = null;
            if (!response.IsSuccessStatusCode)
            {
                detail = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                if (detail.Length > 500) detail = detail[..500];
            }
            var status = response.IsSuccessStatusCode ? UftpDeliveryStatus.Delivered
                : code is 404 or 408 or 419 or 429 || code >= 500 ? UftpDeliveryStatus.Transient
                : UftpDeliveryStatus.Permanent;
            return new UftpDeliveryResult(status, code, detail);
        }
        catch (HttpRequestException ex)
        {
            return new UftpDeliveryResult(UftpDeliveryStatus.Transient, 0, ex.Message);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new UftpDeliveryResult(UftpDeliveryStatus.Transient, (int)HttpStatusCode.RequestTimeout, "timed out: " + ex.Message);
        }
    }

    public void Dispose() => _client.Dispose();
}
