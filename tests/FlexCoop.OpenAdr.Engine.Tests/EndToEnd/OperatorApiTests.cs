using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FlexCoop.OpenAdr.Vtn;
using FlexCoop.OpenAdr.Vtn.Api;

namespace FlexCoop.OpenAdr.Engine.Tests.EndToEnd;

/// <summary>The operator REST API: its own loopback listener, its OpenAPI document, events and reports through it.</summary>
public sealed class OperatorApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OpenApi_document_is_served_and_describes_every_operator_path()
    {
        await using var h = await VtnHarness.StartAsync(o => o with { OperatorUrls = ["http://127.0.0.1:0"] });
        using var http = new HttpClient { BaseAddress = h.Server.OperatorUrls[0] };

        using var doc = JsonDocument.Parse(await http.GetStringAsync("/api/openapi.json", Ct));

        var paths = doc.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/vens", paths);
        Assert.Contains("/api/events", paths);
        Assert.Contains("/api/events/{eventId}/cancel", paths);
        Assert.Contains("/api/reports/requests", paths);
        Assert.Contains("/api/reports/readings", paths);
        Assert.True(doc.RootElement.GetProperty("components").GetProperty("schemas").TryGetProperty("EventSpec", out _));
    }

    [Fact]
    public async Task Event_created_through_the_api_reaches_the_ven_and_bad_ones_are_400()
    {
        await using var h = await VtnHarness.StartAsync(o => o with { OperatorUrls = ["http://127.0.0.1:0"] });
        var ven = await h.StartVenAsync("ven");
        using var http = new HttpClient { BaseAddress = h.Server.OperatorUrls[0] };
        var spec = new EventSpec
        {
            DtStart = VtnHarness.Start.AddHours(1),
            Signals = [new SignalSpec { SignalName = "ELECTRICITY_PRICE", Intervals = [new IntervalSpec("PT1H", 0.25), new IntervalSpec("PT1H", 0.31)] }],
        };

        using var created = await http.PostAsJsonAsync("/api/events", spec, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var bad = await http.PostAsJsonAsync("/api/events", spec with { Duration = "PT3H" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("rule 8", await bad.Content.ReadAsStringAsync(Ct));

        await ven.PollNowAsync(Ct);
        var e = Assert.Single(ven.Events);
        Assert.Equal(0.31, e.ValueAt("ELECTRICITY_PRICE", e.EffectiveStart.AddMinutes(90))!.Value, 3);
        var vens = await http.GetFromJsonAsync<JsonElement>("/api/vens", Ct);
        Assert.Equal(ven.VenId, vens[0].GetProperty("venId").GetString());
    }

    [Fact]
    public async Task OpenAdr_services_are_not_served_on_the_operator_port_nor_the_api_on_the_ven_port()
    {
        await using var h = await VtnHarness.StartAsync(o => o with { OperatorUrls = ["http://127.0.0.1:0"] });
        using var http = new HttpClient { BaseAddress = h.Server.OperatorUrls[0] };
        using var content = new StringContent("<x/>", System.Text.Encoding.UTF8, "application/xml");
        using var onOperator = await http.PostAsync("/OpenADR2/Simple/2.0b/OadrPoll", content, Ct);
        Assert.Equal(HttpStatusCode.NotFound, onOperator.StatusCode);

        using var client = VtnHarness.RawClient(TestPki.NewVen());
        using var onVen = await client.GetAsync(new Uri(h.Server.Url, "/api/vens"), Ct);
        Assert.Equal(HttpStatusCode.NotFound, onVen.StatusCode);
    }
}
