using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Serialization;
using FlexCoop.OpenAdr.Model;
using FlexCoop.Osb.Home;

namespace FlexCoop.Osb.Agent;

/// <summary>What the middleware gave an enrolled OSB.</summary>
/// <param name="VenName">The venName to register with (the homeId).</param>
/// <param name="Certificate">The OSB's client certificate, with its private key.</param>
/// <param name="CaCertificate">The cooperative CA, which the VTN's certificate chains to.</param>
/// <param name="VtnUrl">The VTN's base URL.</param>
/// <param name="PollPeriod">The poll period the middleware expects.</param>
public sealed record OsbEnrolment(string VenName, X509Certificate2 Certificate, X509Certificate2 CaCertificate, Uri VtnUrl, TimeSpan PollPeriod);

/// <summary>
/// Enrols an Open Smart Box with the middleware: an OAuth 2.0 client-credentials token from
/// <c>POST /connect/token</c> (scope <c>enrolment</c>), then <c>POST /api/enrolment</c> with the homeId,
/// a PKCS#10 request for a fresh ECDSA P-256 key (subject CN=homeId), the location and the devices'
/// ratings; the answer (201) carries the client certificate issued by the cooperative CA.
/// </summary>
public sealed class EnrolmentClient : IDisposable
{
    private const int MaxAnswerBytes = 64 * 1024;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private readonly HttpClient _http;
    private readonly Uri _middleware;

    /// <summary>A client for the middleware at <paramref name="middlewareUrl"/>, trusting <paramref name="certificateAuthorities"/> (the system's store when empty).</summary>
    public EnrolmentClient(Uri middlewareUrl, IReadOnlyList<X509Certificate2> certificateAuthorities, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(middlewareUrl);
        ArgumentNullException.ThrowIfNull(certificateAuthorities);
        _middleware = middlewareUrl;
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), ConnectTimeout = TimeSpan.FromSeconds(15) };
        if (certificateAuthorities.Count > 0)
        {
            var anchors = certificateAuthorities.ToList();
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                    certificate is X509Certificate2 c && (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None && ChainsTo(c, chain, anchors),
            };
        }
        _http = new HttpClient(handler) { Timeout = timeout ?? TimeSpan.FromSeconds(30), MaxResponseContentBufferSize = MaxAnswerBytes };
    }

    internal static bool ChainsTo(X509Certificate2 certificate, X509Chain? presented, IReadOnlyList<X509Certificate2> anchors)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        foreach (var anchor in anchors) chain.ChainPolicy.CustomTrustStore.Add(anchor);
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements) chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        }
        return chain.Build(certificate);
    }

    /// <summary>Gets an access token with the client credentials (scope <c>enrolment</c>).</summary>
    /// <exception cref="OsbEnrolmentException">The middleware refused or cannot be reached.</exception>
    public async Task<string> RequestTokenAsync(string clientId, string clientSecret, CancellationToken cancellationToken = default)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = clientSecret,
            ["scope"] = "enrolment",
        });
        var answer = await SendAsync(new HttpRequestMessage(HttpMethod.Post, new Uri(_middleware, "/connect/token")) { Content = form }, "token", cancellationToken);
        var token = Deserialize<TokenAnswer>(answer.Body, "token");
        if (string.IsNullOrEmpty(token.AccessToken)) throw new OsbEnrolmentException("the token answer has no access_token", answer.Status);
        return token.AccessToken;
    }

    /// <summary>Enrols <paramref name="home"/>: token, key, CSR, certificate.</summary>
    /// <exception cref="OsbEnrolmentException">The middleware refused, cannot be reached, or answered something unreadable.</exception>
    public async Task<OsbEnrolment> EnrolAsync(HomeDefinition home, string clientId, string clientSecret, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(home);
        var token = await RequestTokenAsync(clientId, clientSecret, cancellationToken);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest(new X500DistinguishedName($"CN={home.HomeId}"), key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
        var body = new EnrolmentRequest(home.HomeId, csr,
            new EnrolmentLocation(home.Location.Latitude, home.Location.Longitude, home.Location.Postcode),
            home.Devices.Select(d => new EnrolmentDevice(d.ResourceId.ToString(), d.RatedW, d.EnergyCapacityWh, d.Controllable)).ToList());
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_middleware, "/api/enrolment")) { Content = JsonContent.Create(body, options: Json) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var answer = await SendAsync(request, "enrolment", cancellationToken);
        if (answer.Status != (int)HttpStatusCode.Created) throw new OsbEnrolmentException($"enrolment answered HTTP {answer.Status}, not 201", answer.Status);
        var enrolment = Deserialize<EnrolmentAnswer>(answer.Body, "enrolment");
        try
        {
            if (string.IsNullOrEmpty(enrolment.CertificatePem) || string.IsNullOrEmpty(enrolment.CaCertificatePem) || string.IsNullOrEmpty(enrolment.VtnUrl))
            {
                throw new OsbEnrolmentException("the enrolment answer lacks certificatePem, caCertificatePem or vtnUrl", answer.Status);
            }
            using var issued = X509Certificate2.CreateFromPem(enrolment.CertificatePem);
            using var publicKey = issued.GetECDsaPublicKey();
            if (publicKey is null || !publicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
            {
                throw new OsbEnrolmentException("the certificate issued is not for this OSB's key");
            }
            using var withKey = issued.CopyWithPrivateKey(key);
            // Through PKCS#12 so the key is usable by SslStream on every platform.
            var certificate = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
            var ca = X509Certificate2.CreateFromPem(enrolment.CaCertificatePem);
            if (!Uri.TryCreate(enrolment.VtnUrl, UriKind.Absolute, out var vtnUrl) || vtnUrl.Scheme != "https")
            {
                throw new OsbEnrolmentException($"vtnUrl '{enrolment.VtnUrl}' is not an https:// URL");
            }
            var poll = enrolment.PollPeriod is { } p && IsoDuration.TryParse(p, out var d) && d.TryGetTimeSpan(out var span) && span > TimeSpan.Zero ? span : TimeSpan.FromSeconds(10);
            return new OsbEnrolment(enrolment.VenName ?? home.HomeId, certificate, ca, vtnUrl, poll);
        }
        catch (CryptographicException ex)
        {
            throw new OsbEnrolmentException($"the enrolment answer's certificates are unreadable: {ex.Message}", answer.Status, ex);
        }
    }

    private async Task<(int Status, byte[] Body)> SendAsync(HttpRequestMessage request, string what, CancellationToken cancellationToken)
    {
        using (request)
        {
            try
            {
                using var response = await _http.SendAsync(request, cancellationToken);
                var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    var detail = System.Text.Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 300)));
                    throw new OsbEnrolmentException($"the middleware refused the {what} request with HTTP {(int)response.StatusCode}: {detail}", (int)response.StatusCode);
                }
                return ((int)response.StatusCode, body);
            }
            catch (HttpRequestException ex)
            {
                throw new OsbEnrolmentException($"cannot reach the middleware at {_middleware} for the {what}: {ex.Message}", null, ex);
            }
            catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new OsbEnrolmentException($"the middleware at {_middleware} did not answer the {what} in time", null, ex);
            }
        }
    }

    private static T Deserialize<T>(byte[] body, string what)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(body, Json) ?? throw new OsbEnrolmentException($"the {what} answer is null");
        }
        catch (JsonException ex)
        {
            throw new OsbEnrolmentException($"the {what} answer is not the expected JSON: {ex.Message}", null, ex);
        }
    }

    public void Dispose() => _http.Dispose();

    private sealed record TokenAnswer([property: JsonPropertyName("access_token")] string? AccessToken, [property: JsonPropertyName("token_type")] string? TokenType);

    private sealed record EnrolmentLocation(double Latitude, double Longitude, string? Postcode);

    private sealed record EnrolmentDevice(string ResourceId, double RatedPowerW, double CapacityWh, bool Controllable);

    private sealed record EnrolmentRequest(string HomeId, string CsrPem, EnrolmentLocation Location, IReadOnlyList<EnrolmentDevice> Devices);

    private sealed record EnrolmentAnswer(string? VenName, string? CertificatePem, string? CaCertificatePem, string? VtnUrl, string? PollPeriod);
}

/// <summary>Issues OSB client certificates locally from a CA the caller holds (for a plain VTN that trusts that CA, and for tests).</summary>
public static class OsbCertificates
{
    /// <summary>A fresh ECDSA P-256 key and a certificate for CN=<paramref name="homeId"/> with the clientAuth EKU, signed by <paramref name="issuer"/>.</summary>
    public static X509Certificate2 Issue(X509Certificate2 issuer, string homeId, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={homeId}"), key, HashAlgorithmName.SHA256);
        return Sign(issuer, request, clock, key);
    }

    /// <summary>Signs a PKCS#10 request (PEM) as the cooperative CA would: clientAuth EKU, one year.</summary>
    public static X509Certificate2 SignRequest(X509Certificate2 issuer, string csrPem, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var request = CertificateRequest.LoadSigningRequestPem(csrPem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default);
        return Sign(issuer, request, clock, null);
    }

    private static X509Certificate2 Sign(X509Certificate2 issuer, CertificateRequest request, TimeProvider? clock, ECDsa? key)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        var now = (clock ?? TimeProvider.System).GetUtcNow();
        X509SignatureGenerator generator;
        using var rsa = issuer.GetRSAPrivateKey();
        using var ec = rsa is null ? issuer.GetECDsaPrivateKey() : null;
        if (rsa is not null) generator = X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1);
        else if (ec is not null) generator = X509SignatureGenerator.CreateForECDsa(ec);
        else throw new OsbConfigurationException("the issuing CA certificate has no RSA or ECDSA private key");
        using var issued = request.Create(issuer.SubjectName, generator, now.AddHours(-1), now.AddYears(1), serial);
        if (key is null) return X509CertificateLoader.LoadCertificate(issued.RawData);
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
    }
}
