using System.Text.Json;
using System.Text.Json.Serialization;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Vtn.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FlexCoop.OpenAdr.Vtn.Api;

/// <summary>
/// The JSON REST API operators use (<c>/api/...</c>), described by the OpenAPI document ASP.NET
/// Core generates at <c>/api/openapi.json</c>. <see cref="VtnServer"/> serves it only on the operator
/// listener; a host that authenticates operators itself maps it with <see cref="Map"/>.
/// </summary>
public static class OperatorApi
{
    public const string DocumentPath = "/api/openapi.json";

    /// <summary>How the API writes and reads JSON: camelCase, enums as strings, nulls left out.</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
    }

    /// <summary>Maps the operator endpoints under <paramref name="prefix"/>; returns the group so the host can add authorization.</summary>
    public static RouteGroupBuilder Map(IEndpointRouteBuilder app, OadrVtn vtn, string prefix = "/api")
    {
        var api = app.MapGroup(prefix).WithTags("operators");

        api.MapGet("/vens", () => TypedResults.Ok(vtn.Vens))
            .WithSummary("Every VEN the VTN knows, registered or not");
        api.MapPost("/vens/{venId}/cancel-registration", (string venId, CancellationToken ct) => Run(async () =>
            {
                await vtn.CancelRegistrationAsync(venId, ct);
                return Results.Accepted();
            }))
            .WithSummary("Queue oadrCancelPartyRegistration; the registration ends once delivered")
            .Produces(StatusCodes.Status202Accepted).Produces<ApiError>(StatusCodes.Status400BadRequest);
        api.MapPost("/vens/{venId}/reregister", (string venId, CancellationToken ct) => Run(async () =>
            {
                await vtn.RequestReregistrationAsync(venId, ct);
                return Results.Accepted();
            }))
            .WithSummary("Queue oadrRequestReregistration")
            .Produces(StatusCodes.Status202Accepted).Produces<ApiError>(StatusCodes.Status400BadRequest);

        api.MapGet("/events", () => TypedResults.Ok(vtn.Events.Select(e => View(vtn, e)).ToList()))
            .WithSummary("Events still distributed or recently over, with their status now");
        api.MapGet("/events/{eventId}", async (string eventId, CancellationToken ct) =>
                await vtn.Store.GetEventAsync(eventId, ct) is { } e ? Results.Ok(View(vtn, e)) : Results.NotFound(new ApiError($"no event {eventId}")))
            .WithSummary("One event's latest version")
            .Produces<EventView>().Produces<ApiError>(StatusCodes.Status404NotFound);
        api.MapGet("/events/{eventId}/history", async (string eventId, CancellationToken ct) => TypedResults.Ok(await vtn.Store.GetEventHistoryAsync(eventId, ct)))
            .WithSummary("Every version of an event, modificationNumber 0 first");
        api.MapGet("/events/{eventId}/responses", async (string eventId, CancellationToken ct) => TypedResults.Ok(await vtn.Store.GetEventResponsesAsync(eventId, ct)))
            .WithSummary("Each VEN's optIn/optOut for an event");
        api.MapPost("/events", (EventSpec spec, CancellationToken ct) => Run(async () =>
            {
                var created = await vtn.CreateEventAsync(spec.ToEvent(vtn.Options), ct);
                return Results.Created($"/api/events/{created.EventId}", View(vtn, created));
            }))
            .WithSummary("Create an event (modificationNumber 0) and distribute it")
            .Produces<EventView>(StatusCodes.Status201Created).Produces<ApiError>(StatusCodes.Status400BadRequest);
        api.MapPut("/events/{eventId}", (string eventId, EventSpec spec, CancellationToken ct) => Run(async () =>
            {
                var draft = spec.ToEvent(vtn.Options);
                var modified = await vtn.ModifyEventAsync(eventId, current => draft with { EventId = current.EventId }, spec.ModificationReason, ct);
                return Results.Ok(View(vtn, modified));
            }))
            .WithSummary("Replace an event's content: modificationNumber + 1, distributed again")
            .Produces<EventView>().Produces<ApiError>(StatusCodes.Status400BadRequest);
        api.MapPost("/events/{eventId}/cancel", (string eventId, CancellationToken ct) => Run(async () =>
                Results.Ok(View(vtn, await vtn.CancelEventAsync(eventId, null, ct)))))
            .WithSummary("Cancel an event: modificationNumber + 1, status cancelled")
            .Produces<EventView>().Produces<ApiError>(StatusCodes.Status400BadRequest);

        api.MapGet("/opts", async (string? ven, CancellationToken ct) => TypedResults.Ok(await vtn.Store.ListOptsAsync(ven, ct)))
            .WithSummary("Opt schedules and event opts, of one VEN (?ven=) or all");

        api.MapGet("/reports", async (string ven, CancellationToken ct) => TypedResults.Ok(await vtn.Store.GetVenReportsAsync(ven, ct)))
            .WithSummary("The reports a VEN registered (its metadata)");
        api.MapGet("/reports/requests", async (string? ven, CancellationToken ct) => TypedResults.Ok(await vtn.Store.ListReportRequestsAsync(ven, ct)))
            .WithSummary("Report requests, of one VEN (?ven=) or all");
        api.MapPost("/reports/requests", (ReportRequestSpec spec, CancellationToken ct) => Run(async () =>
            {
                var made = await vtn.RequestReportAsync(spec.VenId, spec.ReportSpecifierId, spec.RIds, Span(spec.Granularity), Span(spec.ReportBackDuration),
                    spec.Start, spec.Duration is null ? null : Span(spec.Duration), ct);
                return Results.Created($"/api/reports/requests/{made.ReportRequestId}", made);
            }))
            .WithSummary("Ask a VEN for a report: one-shot, periodic or delayed start")
            .Produces<ReportRequestRecord>(StatusCodes.Status201Created).Produces<ApiError>(StatusCodes.Status400BadRequest);
        api.MapPost("/reports/requests/{reportRequestId}/cancel", (string reportRequestId, string ven, bool? reportToFollow, bool? piggyback, CancellationToken ct) => Run(async () =>
            {
                if (piggyback == true) await vtn.CancelReportOnNextUpdateAsync(ven, reportRequestId, reportToFollow ?? false, ct);
                else await vtn.CancelReportAsync(ven, reportRequestId, reportToFollow ?? false, ct);
                return Results.Accepted();
            }))
            .WithSummary("Cancel a report request (oadrCancelReport), optionally with reportToFollow; piggyback=true sends it in the oadrUpdatedReport answering the VEN's next report")
            .Produces(StatusCodes.Status202Accepted).Produces<ApiError>(StatusCodes.Status400BadRequest);
        api.MapGet("/reports/readings", async (string ven, string? request, int? limit, CancellationToken ct) =>
                TypedResults.Ok(await vtn.Store.GetReadingsAsync(ven, request, Math.Clamp(limit ?? 100, 1, 10000), ct)))
            .WithSummary("The newest readings of a VEN (?ven=), optionally of one request (&request=), oldest first");
        return api;
    }

    private static EventView View(OadrVtn vtn, VtnEvent e) => new(e, vtn.StatusOf(e) switch
    {
        EventStatus.Far => "far",
        EventStatus.Near => "near",
        EventStatus.Active => "active",
        EventStatus.Completed => "completed",
        EventStatus.Cancelled => "cancelled",
        _ => "none",
    });

    private static TimeSpan Span(string? text)
    {
        if (text is null) return TimeSpan.Zero;
        if (!IsoDuration.TryParse(text, out var d) || !d.TryGetTimeSpan(out var span) || span < TimeSpan.Zero)
        {
            throw new VtnOperationException($"'{text}' is not a non-negative ISO 8601 duration such as PT15M");
        }
        return span;
    }

    private static async Task<IResult> Run(Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (VtnOperationException ex)
        {
            return Results.BadRequest(new ApiError(ex.Message));
        }
    }
}
