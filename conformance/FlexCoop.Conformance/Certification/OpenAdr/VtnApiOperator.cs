using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FlexCoop.Conformance.Certification.OpenAdr;

/// <summary>
/// Performs the VTN suite's operator actions (<see cref="VtnActions"/>) on a FlexCoop VTN through its
/// operator REST API (<c>flexcoop vtn serve --api-url</c>), so the whole suite runs unattended against
/// our own VTN. The CLI wraps it as <c>flexcoop vtn conformance-action ACTION CASE-ID --api URL</c>, an
/// <c>--action-hook</c> command; tests use it directly.
/// </summary>
public sealed class VtnApiOperator : IOperatorActions, IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http;

    /// <param name="api">The operator API's base URL, e.g. <c>http://127.0.0.1:8081</c>.</param>
    public VtnApiOperator(Uri api)
    {
        ArgumentNullException.ThrowIfNull(api);
        _http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task PerformAsync(OperatorAction action, string caseId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        var p = action.Parameters;
        string Get(string key) => p.TryGetValue(key, out var v) && v.Length > 0 ? v : throw new OperatorActionException($"action '{action.Name}' needs parameter '{key}'");
        switch (action.Name)
        {
            case VtnActions.NoEvents:
                await CancelAllAsync(Get(VtnActions.VenId), cancellationToken);
                break;
            case VtnActions.CreateEvent:
                await CallAsync(HttpMethod.Post, "/api/events", EventSpec(p, Get), cancellationToken);
                break;
            case VtnActions.ModifyEvent:
                await CallAsync(HttpMethod.Put, $"/api/events/{Uri.EscapeDataString(Get(VtnActions.EventId))}", EventSpec(p, Get), cancellationToken);
                break;
            case VtnActions.CancelEvent:
                await CallAsync(HttpMethod.Post, $"/api/events/{Uri.EscapeDataString(Get(VtnActions.EventId))}/cancel", null, cancellationToken);
                break;
            case VtnActions.CancelRegistration:
                await CallAsync(HttpMethod.Post, $"/api/vens/{Uri.EscapeDataString(Get(VtnActions.VenId))}/cancel-registration", null, cancellationToken);
                break;
            case VtnActions.RequestReregistration:
                await CallAsync(HttpMethod.Post, $"/api/vens/{Uri.EscapeDataString(Get(VtnActions.VenId))}/reregister", null, cancellationToken);
                break;
            case VtnActions.RequestReport:
                var request = new JsonObject
                {
                    ["venId"] = Get(VtnActions.VenId),
                    ["reportSpecifierId"] = Get(VtnActions.ReportSpecifier),
                };
                if (p.TryGetValue(VtnActions.RIds, out var rIds)) request["rIds"] = new JsonArray(rIds.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(r => (JsonNode)r).ToArray());
                if (p.TryGetValue(VtnActions.Granularity, out var g)) request["granularity"] = g;
                if (p.TryGetValue(VtnActions.ReportBack, out var b)) request["reportBackDuration"] = b;
                if (p.TryGetValue(VtnActions.Start, out var s)) request["start"] = s;
                if (p.TryGetValue(VtnActions.Duration, out var d)) request["duration"] = d;
                await CallAsync(HttpMethod.Post, "/api/reports/requests", request, cancellationToken);
                break;
            case VtnActions.CancelReport:
                var follow = p.TryGetValue(VtnActions.ReportToFollow, out var f) && f is "yes" or "true";
                await CallAsync(HttpMethod.Post, $"/api/reports/requests/{Uri.EscapeDataString(Get(VtnActions.ReportRequestId))}/cancel?ven={Uri.EscapeDataString(Get(VtnActions.VenId))}&reportToFollow={(follow ? "true" : "false")}{(p.TryGetValue(VtnActions.Piggyback, out var pb) && pb is "yes" or "true" ? "&piggyback=true" : "")}", null, cancellationToken);
                break;
            default:
                throw new OperatorActionException($"the FlexCoop VTN operator does not know action '{action.Name}' (case {caseId})");
        }
    }

    private static JsonObject EventSpec(IReadOnlyDictionary<string, string> p, Func<string, string> get)
    {
        var intervals = new JsonArray();
        foreach (var part in get(VtnActions.Intervals).Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !double.TryParse(part[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                throw new OperatorActionException($"interval '{part}' is not DURATION=VALUE");
            }
            intervals.Add(new JsonObject { ["duration"] = part[..eq], ["value"] = value });
        }
        var signal = new JsonObject { ["signalName"] = get(VtnActions.Signal), ["intervals"] = intervals };
        if (p.TryGetValue(VtnActions.SignalType, out var type)) signal["signalType"] = type;
        if (p.TryGetValue(VtnActions.Item, out var item)) signal["item"] = item;
        var spec = new JsonObject
        {
            ["dtStart"] = get(VtnActions.Start),
            ["responseRequired"] = !(p.TryGetValue(VtnActions.ResponseRequired, out var rr) && rr == "never"),
            ["signals"] = new JsonArray(signal),
        };
        if (p.TryGetValue(VtnActions.MarketContext, out var mc)) spec["marketContext"] = mc;
        if (p.TryGetValue(VtnActions.Priority, out var priority) && uint.TryParse(priority, CultureInfo.InvariantCulture, out var n)) spec["priority"] = n;
        if (p.TryGetValue(VtnActions.StartAfter, out var after)) spec["startAfter"] = after;
        if (p.TryGetValue(VtnActions.RampUp, out var ramp)) spec["rampUp"] = ramp;
        if (p.TryGetValue(VtnActions.Recovery, out var recovery)) spec["recovery"] = recovery;
        if (p.TryGetValue(VtnActions.TargetVen, out var target) && target == "yes") spec["targets"] = new JsonObject { ["venIds"] = new JsonArray(get(VtnActions.VenId)) };
        return spec;
    }

    /// <summary>Cancels every pending or active event that reaches the VEN.</summary>
    private async Task CancelAllAsync(string venId, CancellationToken cancellationToken)
    {
        var events = await CallAsync(HttpMethod.Get, "/api/events", null, cancellationToken);
        foreach (var view in events.EnumerateArray())
        {
            var status = view.GetProperty("status").GetString();
            if (status is not ("far" or "near" or "active")) continue;
            var e = view.GetProperty("event");
            var targets = e.TryGetProperty("targets", out var t) && t.TryGetProperty("venIds", out var v) ? v.EnumerateArray().Select(x => x.GetString()).ToList() : [];
            if (targets.Count > 0 && !targets.Contains(venId)) continue;
            await CallAsync(HttpMethod.Post, $"/api/events/{Uri.EscapeDataString(e.GetProperty("eventId").GetString()!)}/cancel", null, cancellationToken);
        }
    }

    private async Task<JsonElement> CallAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body, options: Json);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new OperatorActionException($"cannot reach the VTN's operator API at {_http.BaseAddress}: {ex.Message}", ex);
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new OperatorActionException($"the VTN refused {method} {path} ({(int)response.StatusCode}): {text}");
            }
            if (text.Length == 0) return default;
            try
            {
                using var document = JsonDocument.Parse(text);
                return document.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw new OperatorActionException($"the VTN's operator API answered {method} {path} with something other than JSON: {ex.Message}", ex);
            }
        }
    }

    public void Dispose() => _http.Dispose();
}
