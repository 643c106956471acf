using System.Globalization;
using System.Security.Claims;
using FlexCoop.ReferenceSystem.Contracts;
using FlexCoop.ReferenceSystem.Identity;
using FlexCoop.ReferenceSystem.Registry;
using FlexCoop.ReferenceSystem.Storage;
using FlexCoop.Saref.Rdf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace FlexCoop.ReferenceSystem.Hosting;

/// <summary>A home and its DERs as the registry API returns it.</summary>
public sealed record HomeView(HomeRecord Home, IReadOnlyList<DerRecord> Ders);

/// <summary>
/// The DER registry's REST API under <c>/api/registry</c>: search DERs, read one DER or home (JSON,
/// or SAREF as Turtle / JSON-LD by <c>Accept</c> or a <c>.ttl</c> / <c>.jsonld</c> suffix), read the
/// log. A prosumer sees the homes their account lists; aggregators and components see all.
/// </summary>
internal static class RegistryApi
{
    private const string Turtle = "text/turtle";
    private const string JsonLd = "application/ld+json";

    public static void Map(WebApplication app)
    {
        var api = app.MapGroup("/api/registry").WithTags("registry").RequireAuthorization(Policies.Registry);

        api.MapGet("/ders", async (HttpContext context, string? kind, bool? controllable, double? minRatedPowerW, bool? hasStorage, string? state,
                bool? available, string? postcode, string? near, double? withinKm, string? home, int? limit, IReferenceStore store, CancellationToken ct) =>
            {
                DerQuery query;
                try
                {
                    query = new DerQuery
                    {
                        Kind = kind is null ? null : Enum.TryParse<DerKind>(kind, ignoreCase: true, out var k) && Enum.IsDefined(k) ? k
                            : throw new ArgumentException($"kind '{kind}' is not one of {string.Join(", ", Enum.GetNames<DerKind>())}"),
                        Controllable = controllable,
                        MinRatedPowerW = minRatedPowerW,
                        HasStorage = hasStorage,
                        State = state is null ? null : Enum.TryParse<DerState>(state, ignoreCase: true, out var s) && Enum.IsDefined(s) ? s
                            : throw new ArgumentException($"state '{state}' is not one of online, timedOut, deregistered"),
                        Available = available,
                        Postcode = postcode,
                        Limit = Math.Clamp(limit ?? 1000, 1, 100_000),
                    };
                    if (near is not null)
                    {
                        var parts = near.Split(',');
                        if (parts.Length != 2 || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var lat)
                            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var lon) || lat is < -90 or > 90 || lon is < -180 or > 180)
                        {
                            throw new ArgumentException("near is LATITUDE,LONGITUDE in degrees, e.g. near=51.44,5.47");
                        }
                        if (withinKm is not (> 0 and <= 20_000)) throw new ArgumentException("near needs withinKm, a distance in km above 0");
                        query = query with { NearLatitude = lat, NearLongitude = lon, WithinKm = withinKm };
                    }
                }
                catch (ArgumentException ex)
                {
                    return Results.BadRequest(new ApiProblem(ex.Message));
                }
                var visible = VisibleHomes(context.User);
                IReadOnlyCollection<string>? homes = home is null ? visible : visible is null || visible.Contains(home) ? [home] : [];
                return Results.Ok(await store.Registry.QueryDersAsync(query with { HomeIds = homes }, ct));
            })
            .WithSummary("Search DERs: kind, controllable, minRatedPowerW, hasStorage, state (online, timedOut, deregistered), available, postcode, near=LAT,LON&withinKm=KM, home")
            .Produces<IReadOnlyList<DerRecord>>().Produces<ApiProblem>(StatusCodes.Status400BadRequest);

        api.MapGet("/ders/{homeId}/{resourceId}", async (HttpContext context, string homeId, string resourceId, IReferenceStore store, CancellationToken ct) =>
            {
                var (id, format) = Negotiate(context, resourceId);
                if (Refuse(context, homeId) is { } refused) return refused;
                var der = await store.Registry.GetDerAsync(homeId, id, ct);
                if (der is null) return Results.NotFound(new ApiProblem($"no DER {id} in home {homeId}"));
                return format is null ? Results.Ok(der) : Rdf(SarefDescription.Graph(BaseUrl(context), homeId, [der]), format);
            })
            .WithSummary("One DER: JSON, or its SAREF description as Turtle (Accept: text/turtle or .ttl) or JSON-LD (Accept: application/ld+json or .jsonld)")
            .Produces<DerRecord>().Produces(StatusCodes.Status200OK, contentType: Turtle).Produces(StatusCodes.Status200OK, contentType: JsonLd)
            .Produces<ApiProblem>(StatusCodes.Status404NotFound);

        api.MapGet("/homes/{homeId}", async (HttpContext context, string homeId, IReferenceStore store, CancellationToken ct) =>
            {
                var (id, format) = Negotiate(context, homeId);
                if (Refuse(context, id) is { } refused) return refused;
                var home = await store.Registry.GetHomeAsync(id, ct);
                if (home is null) return Results.NotFound(new ApiProblem($"no home {id}"));
                var ders = await store.Registry.QueryDersAsync(new DerQuery { HomeIds = [id] }, ct);
                return format is null ? Results.Ok(new HomeView(home, ders)) : Rdf(SarefDescription.Graph(BaseUrl(context), id, ders), format);
            })
            .WithSummary("A home and its DERs: JSON, or SAREF as Turtle / JSON-LD (Accept or .ttl / .jsonld)")
            .Produces<HomeView>().Produces<ApiProblem>(StatusCodes.Status404NotFound);

        api.MapGet("/log", async (HttpContext context, long? since, DateTimeOffset? from, int? limit, IReferenceStore store, CancellationToken ct) =>
                Results.Ok(await store.Registry.ReadLogAsync(since ?? 0, from, VisibleHomes(context.User), Math.Clamp(limit ?? 1000, 1, 10_000), ct)))
            .WithSummary("The registry log after sequence number ?since= and from time ?from= (RFC 3339), oldest first")
            .Produces<IReadOnlyList<RegistryEvent>>();
    }

    /// <summary>The homes a prosumer may see; null for everything (aggregators, components).</summary>
    private static HashSet<string>? VisibleHomes(ClaimsPrincipal user) =>
        user.HasClaim(Claims.Role, Roles.Aggregator) || user.HasClaim(Claims.Role, Roles.Component)
            ? null
            : user.FindAll(ReferenceClaims.Home).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);

    private static IResult? Refuse(HttpContext context, string homeId)
    {
        var visible = VisibleHomes(context.User);
        if (visible is null || visible.Contains(homeId)) return null;
        context.Items[AccessControl.RefusalReason] = $"home {homeId} is not one of this account's homes";
        return Results.Json(new ApiProblem($"home {homeId} is not yours"), statusCode: StatusCodes.Status403Forbidden);
    }

    /// <summary>The ID without a format suffix, and the format asked for (null for JSON).</summary>
    private static (string Id, string? Format) Negotiate(HttpContext context, string id)
    {
        if (id.EndsWith(".ttl", StringComparison.Ordinal)) return (id[..^4], Turtle);
        if (id.EndsWith(".jsonld", StringComparison.Ordinal)) return (id[..^7], JsonLd);
        foreach (var accept in context.Request.GetTypedHeaders().Accept.OrderByDescending(a => a.Quality ?? 1))
        {
            var type = accept.MediaType.Value;
            if (type is Turtle) return (id, Turtle);
            if (type is JsonLd) return (id, JsonLd);
            if (type is "application/json" or "*/*") return (id, null);
        }
        return (id, null);
    }

    private static IResult Rdf(RdfGraph graph, string format) =>
        format == Turtle
            ? Results.Text(TurtleWriter.Write(graph), Turtle + "; charset=utf-8")
            : Results.Text(JsonLdWriter.Write(graph), JsonLd + "; charset=utf-8");

    private static Uri BaseUrl(HttpContext context) => new($"{context.Request.Scheme}://{context.Request.Host}/");
}
