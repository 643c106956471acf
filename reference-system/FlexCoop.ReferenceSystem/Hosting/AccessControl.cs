using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Security.Cryptography.X509Certificates;
using FlexCoop.OpenAdr.Security;
using FlexCoop.ReferenceSystem.Internal;
using FlexCoop.ReferenceSystem.Registry;
using FlexCoop.ReferenceSystem.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace FlexCoop.ReferenceSystem.Hosting;

/// <summary>
/// The front door of every request: the OpenADR services need a client certificate (checked
/// against the cooperative CA during the TLS handshake) and mark the home heard; every refusal
/// (401, 403; failed token requests) is logged and written to the access log.
/// </summary>
internal static class AccessControl
{
    /// <summary>The fingerprint of each connection's client certificate, computed once per connection rather than per request.</summary>
    private static readonly ConditionalWeakTable<X509Certificate2, string> Fingerprints = [];

    /// <summary>Where an endpoint puts the reason for a refusal it decides itself.</summary>
    public const string RefusalReason = "flexcoop.refusal";

    public static async Task GuardAsync(HttpContext context, RequestDelegate next, IReferenceStore store, DerRegistry registry, TimeProvider clock, ILogger logger)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/OpenADR2", StringComparison.Ordinal))
        {
            var certificate = context.Connection.ClientCertificate;
            if (certificate is null)
            {
                context.Items[RefusalReason] = "the OpenADR services need a client certificate issued by the cooperative CA (enrol first)";
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await LogAsync(context, store, clock, logger);
                return;
            }
            // A client certificate is the whole authentication of these services: their endpoint runs
            // here, so no OpenADR request pays for bearer-token validation (OpenIddict's handlers and a
            // DI scope) or the authorization middleware. Anything else under /OpenADR2 (no such
            // service) goes down the pipeline as usual.
            if (context.GetEndpoint()?.RequestDelegate is { } endpoint) await endpoint(context);
            else await next(context);
            registry.Heard(Fingerprints.GetValue(certificate, static c => OadrFingerprint.Of(c)));
            return;
        }
        await next(context);
        var status = context.Response.StatusCode;
        var refused = status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden
            || (path.StartsWithSegments("/connect", StringComparison.Ordinal) && status is >= 400 and < 500);
        if (refused) await LogAsync(context, store, clock, logger);
    }

    private static async Task LogAsync(HttpContext context, IReferenceStore store, TimeProvider clock, ILogger logger)
    {
        var user = context.User;
        var subject = user.FindFirstValue(Claims.Subject) ?? (context.Items[SubjectItem] as string);
        var role = user.FindFirstValue(Claims.Role);
        var status = context.Response.StatusCode;
        var reason = context.Items[RefusalReason] as string ?? status switch
        {
            StatusCodes.Status401Unauthorized => "no valid bearer token",
            StatusCodes.Status403Forbidden => "the token's scopes or role do not allow this",
            _ => "token request refused",
        };
        var path = context.Request.Path.Value ?? "";
        ReferenceLog.AccessRefused(logger, context.Request.Method, path, subject ?? "(anonymous)", role ?? "(none)", status, reason);
        try
        {
            await store.Identity.LogRefusalAsync(new AccessRefusal(0, clock.GetUtcNow(), subject, role, context.Request.Method, path, status, reason), CancellationToken.None);
        }
        catch (ReferenceStoreException)
        {
            // The structured log above has it; the store is failing for everyone.
        }
    }

    /// <summary>Where an endpoint names who was refused when there is no token (a failed sign-in).</summary>
    public const string SubjectItem = "flexcoop.subject";
}
