using System.Security.Claims;
using System.Text.Json;
using FlexCoop.ReferenceSystem.Contracts;
using FlexCoop.ReferenceSystem.Identity;
using FlexCoop.ReferenceSystem.Internal;
using FlexCoop.ReferenceSystem.Registry;
using FlexCoop.ReferenceSystem.Storage;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace FlexCoop.ReferenceSystem.Hosting;

/// <summary>An enrolment request (<c>POST /api/enrolment</c>).</summary>
public sealed record EnrolmentRequest
{
    /// <summary>The home: 1–64 letters, digits, '-', '_'; the OSB's venName and its certificate's CN.</summary>
    public required string HomeId { get; init; }

    /// <summary>A PKCS#10 request, PEM, subject CN = homeId, ECDSA P-256 (or RSA 2048+) key.</summary>
    public required string CsrPem { get; init; }

    public HomeLocation? Location { get; init; }

    /// <summary>The devices' ratings, merged with the OpenADR metadata by resource ID.</summary>
    public IReadOnlyList<DeviceRating>? Devices { get; init; }
}

/// <summary>The answer to an enrolment.</summary>
/// <param name="VenName">The name to register with (the homeId).</param>
/// <param name="CertificatePem">The issued client certificate.</param>
/// <param name="CaCertificatePem">The cooperative CA, to trust the VTN with.</param>
/// <param name="VtnUrl">Where the VTN is (this middleware).</param>
/// <param name="PollPeriod">ISO 8601 poll period.</param>
public sealed record EnrolmentResponse(string VenName, string CertificatePem, string CaCertificatePem, string VtnUrl, string PollPeriod);

/// <summary>An account to create (<c>POST /api/accounts</c>).</summary>
public sealed record AccountSpec(string UserName, string Password, string Role, IReadOnlyList<string>? HomeIds);

/// <summary>Who the bearer of a token is (<c>GET /api/me</c>).</summary>
public sealed record WhoAmI(string? Subject, IReadOnlyList<string> Roles, IReadOnlyList<string> Scopes, IReadOnlyList<string> HomeIds);

/// <summary>An API error as JSON.</summary>
public sealed record ApiProblem(string Error);

/// <summary>The token endpoint, enrolment, accounts, the CA certificate.</summary>
internal static class IdentityEndpoints
{
    private const int MaxEnrolmentBytes = 64 * 1024;
    private const int MaxDevices = 64;
    private static readonly JsonSerializerOptions RequestJson = new(JsonSerializerDefaults.Web) { MaxDepth = 16 };

    public static void Map(WebApplication app)
    {
        app.MapPost("/connect/token", TokenAsync).AllowAnonymous().ExcludeFromDescription();

        app.MapGet("/api/ca.crt", (CooperativeCa ca) => Results.Text(ca.CertificatePem, "application/x-pem-file"))
            .AllowAnonymous().WithTags("identity").WithSummary("The cooperative CA certificate (PEM): trust it to reach the middleware");

        app.MapPost("/api/enrolment", EnrolAsync).RequireAuthorization(Policies.Enrolment)
            .WithTags("identity").WithSummary("Enrol an Open Smart Box: a client certificate for its CSR, issued by the cooperative CA")
            .Accepts<EnrolmentRequest>("application/json")
            .Produces<EnrolmentResponse>(StatusCodes.Status201Created).Produces<ApiProblem>(StatusCodes.Status400BadRequest);

        app.MapPost("/api/accounts", async (AccountSpec spec, IdentityService identity, CancellationToken ct) =>
            {
                try
                {
                    if (spec.HomeIds is { } homes) foreach (var h in homes) CheckHomeId(h);
                    await identity.SaveAccountAsync(spec.UserName, spec.Password, spec.Role, spec.HomeIds, ct);
                }
                catch (ArgumentException ex)
                {
                    return Results.BadRequest(new ApiProblem(ex.Message));
                }
                return Results.Created($"/api/accounts/{spec.UserName}", new { spec.UserName, spec.Role, HomeIds = spec.HomeIds ?? [] });
            })
            .RequireAuthorization(Policies.Accounts).WithTags("identity").WithSummary("Create or replace an aggregator's or prosumer's account (aggregators)")
            .Produces(StatusCodes.Status201Created).Produces<ApiProblem>(StatusCodes.Status400BadRequest);

        app.MapGet("/api/access-log", async (int? limit, IReferenceStore store, CancellationToken ct) =>
                TypedResults.Ok(await store.Identity.ReadRefusalsAsync(Math.Clamp(limit ?? 100, 1, 10_000), ct)))
            .RequireAuthorization(Policies.Accounts).WithTags("identity").WithSummary("Refused requests, newest first (aggregators)");

        app.MapGet("/api/me", (ClaimsPrincipal user) => TypedResults.Ok(new WhoAmI(
                user.FindFirstValue(Claims.Subject),
                user.FindAll(Claims.Role).Select(c => c.Value).ToList(),
                user.GetScopes().ToList(),
                user.FindAll(ReferenceClaims.Home).Select(c => c.Value).ToList())))
            .RequireAuthorization().WithTags("identity").WithSummary("Who the token's bearer is: subject, roles, scopes, homes");
    }

    private static async Task<IResult> TokenAsync(HttpContext context, IdentityService identity)
    {
        var request = context.GetOpenIddictServerRequest();
        if (request is null) return Results.BadRequest(new ApiProblem("not an OAuth 2.0 token request"));
        if (request.IsClientCredentialsGrantType())
        {
            // OpenIddict has checked the client's secret and that it may have each requested scope.
            var principal = new ClaimsPrincipal(IdentityService.ComponentIdentity(request.ClientId!, request.GetScopes()));
            return Results.SignIn(principal, properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }
        if (request.IsPasswordGrantType())
        {
            var account = request.Username is { Length: > 0 and <= 64 } user && request.Password is { Length: > 0 and <= 1024 } password
                ? await identity.CheckPasswordAsync(user, password, context.RequestAborted)
                : null;
            if (account is null)
            {
                context.Items[AccessControl.SubjectItem] = request.Username;
                context.Items[AccessControl.RefusalReason] = "wrong user name or password";
                return Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
                {
                    [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.InvalidGrant,
                    [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "The user name or password is wrong.",
                }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
            }
            var principal = new ClaimsPrincipal(IdentityService.PersonIdentity(account, request.GetScopes()));
            return Results.SignIn(principal, properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }
        return Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.UnsupportedGrantType,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "Use client_credentials or password.",
        }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    private static async Task<IResult> EnrolAsync(HttpContext context, CooperativeCa ca, IReferenceStore store, DerRegistry registry, MiddlewareOptions options,
        TimeProvider clock, ILoggerFactory loggers)
    {
        if (context.Request.ContentLength is > MaxEnrolmentBytes) return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, detail: "an enrolment request is at most 64 KiB");
        EnrolmentRequest? request;
        try
        {
            using var limited = new MemoryStream();
            var buffer = new byte[8192];
            int n;
            while ((n = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                if (limited.Length + n > MaxEnrolmentBytes) return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, detail: "an enrolment request is at most 64 KiB");
                limited.Write(buffer, 0, n);
            }
            request = JsonSerializer.Deserialize<EnrolmentRequest>(limited.GetBuffer().AsSpan(0, (int)limited.Length), RequestJson);
        }
        catch (JsonException ex)
        {
            return Results.BadRequest(new ApiProblem($"not an enrolment request: {ex.Message}"));
        }
        if (request is null) return Results.BadRequest(new ApiProblem("not an enrolment request: null"));
        try
        {
            CheckHomeId(request.HomeId);
            CheckLocation(request.Location);
            CheckDevices(request.Devices ?? []);
        }
        catch (ArgumentException ex)
        {
            return Results.BadRequest(new ApiProblem(ex.Message));
        }
        var now = clock.GetUtcNow();
        System.Security.Cryptography.X509Certificates.X509Certificate2 certificate;
        try
        {
            certificate = ca.IssueClientCertificate(request.CsrPem ?? "", request.HomeId, now, options.ClientCertificateValidity);
        }
        catch (EnrolmentException ex)
        {
            return Results.BadRequest(new ApiProblem(ex.Message));
        }
        using (certificate)
        {
            var client = context.User.FindFirstValue(Claims.Subject) ?? "(unknown)";
            var fingerprint = CooperativeCa.Fingerprint(certificate);
            await store.Identity.SaveEnrolmentAsync(new EnrolmentRecord
            {
                HomeId = request.HomeId,
                Fingerprint = fingerprint,
                SerialNumber = certificate.SerialNumber,
                EnrolledBy = client,
                Location = request.Location,
                Devices = request.Devices ?? [],
                EnrolledAt = now,
            }, context.RequestAborted);
            await registry.LogEnrolmentAsync(request.HomeId, $"certificate {fingerprint} issued to {client}", context.RequestAborted);
            ReferenceLog.Enrolled(loggers.CreateLogger<MiddlewareHost>(), request.HomeId, fingerprint, client);
            var baseUrl = $"{context.Request.Scheme}://{context.Request.Host}";
            return Results.Created($"/api/registry/homes/{Uri.EscapeDataString(request.HomeId)}", new EnrolmentResponse(
                request.HomeId, certificate.ExportCertificatePem() + "\n", ca.CertificatePem, baseUrl,
                System.Xml.XmlConvert.ToString(options.PollPeriod)));
        }
    }

    internal static void CheckHomeId(string? homeId)
    {
        if (string.IsNullOrEmpty(homeId) || homeId.Length > 64 || !homeId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ArgumentException("homeId is 1-64 letters, digits, '-' or '_'");
        }
    }

    private static void CheckLocation(HomeLocation? location)
    {
        if (location is null) return;
        if (location.Latitude is { } lat && !(lat is >= -90 and <= 90)) throw new ArgumentException("location.latitude is between -90 and 90");
        if (location.Longitude is { } lon && !(lon is >= -180 and <= 180)) throw new ArgumentException("location.longitude is between -180 and 180");
        if ((location.Latitude is null) != (location.Longitude is null)) throw new ArgumentException("location needs both latitude and longitude, or neither");
        if (location.Postcode is { } pc && (pc.Length is 0 or > 16 || !pc.All(c => char.IsAsciiLetterOrDigit(c) || c is ' ' or '-')))
        {
            throw new ArgumentException("location.postcode is 1-16 letters, digits, spaces or '-'");
        }
    }

    private static void CheckDevices(IReadOnlyList<DeviceRating> devices)
    {
        if (devices.Count > MaxDevices) throw new ArgumentException($"at most {MaxDevices} devices");
        for (var i = 0; i < devices.Count; i++)
        {
            var d = devices[i] ?? throw new ArgumentException($"devices[{i}] is null");
            if (!DerResourceId.TryParse(d.ResourceId, out _)) throw new ArgumentException($"devices[{i}].resourceId '{d.ResourceId}' is not <DerKind>.<local name>");
            if (!double.IsFinite(d.RatedPowerW) || Math.Abs(d.RatedPowerW) > 1e7) throw new ArgumentException($"devices[{i}].ratedPowerW is a finite number of W up to 10 MW");
            if (!double.IsFinite(d.CapacityWh) || d.CapacityWh is < 0 or > 1e9) throw new ArgumentException($"devices[{i}].capacityWh is between 0 and 1 GWh");
        }
        var duplicate = devices.GroupBy(d => d.ResourceId, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"device {duplicate.Key} is listed twice");
    }
}
