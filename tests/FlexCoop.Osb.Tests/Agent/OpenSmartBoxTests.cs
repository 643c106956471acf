using FlexCoop.OpenAdr.Engine.Tests.EndToEnd;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Vtn.Storage;
using FlexCoop.Osb.Agent;
using FlexCoop.Osb.Simulation;
using FlexCoop.ReferenceSystem.Contracts;
using static FlexCoop.Osb.Tests.Agent.OsbFixture;

namespace FlexCoop.Osb.Tests.Agent;

/// <summary>The agent against the project's VTN over mutual TLS on loopback, in certificate mode.</summary>
public sealed class OpenSmartBoxTests
{
    [Fact]
    public async Task Registers_with_home_id_as_ven_name_and_announces_every_device_per_the_contract()
    {
        await using var vtn = await StartVtnAsync();
        var home = ExampleHome();

        await using var osb = await OpenSmartBox.StartAsync(Options(vtn, home), Ct);

        var ven = await vtn.Store.GetVenAsync(osb.Ven.VenId!, Ct);
        Assert.NotNull(ven);
        Assert.Equal("home-0001", ven.VenName);
        Assert.True(ven.HttpPullModel);
        Assert.False(ven.ReportOnly);
        Assert.False(ven.XmlSignature);
        var reports = await vtn.Store.GetVenReportsAsync(ven.VenId, Ct);
        var usage = Assert.Single(reports, r => r.ReportName == "TELEMETRY_USAGE");
        var status = Assert.Single(reports, r => r.ReportName == "TELEMETRY_STATUS");
        Assert.Equal(home.Devices.Count, usage.Descriptions.Count);
        Assert.Equal(home.Devices.Count, status.Descriptions.Count);
        foreach (var device in home.Devices)
        {
            var id = device.ResourceId.ToString();
            var power = Assert.Single(usage.Descriptions, d => d.RId == id + "/power");
            Assert.Equal(id, power.ResourceId);
            Assert.Equal("usage", power.ReportType);
            Assert.Equal("PowerReal", power.ItemKind);
            Assert.Equal((TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)), (power.MinPeriod, power.MaxPeriod));
            var state = Assert.Single(status.Descriptions, d => d.RId == id + "/status");
            Assert.Equal(id, state.ResourceId);
            Assert.Equal("x-resourceStatus", state.ReportType);
            Assert.True(DerResourceId.TryParse(state.ResourceId, out var parsed) && parsed == device.ResourceId);
        }
    }

    [Fact]
    public async Task Reports_usage_and_status_of_every_device_when_the_vtn_asks()
    {
        await using var vtn = await StartVtnAsync();
        var home = ExampleHome();
        await using var osb = await OpenSmartBox.StartAsync(Options(vtn, home), Ct);
        var usageSent = Next<string>(done => osb.Ven.ReportSent += (_, e) => { if (e.ReportSpecifierId == OsbReports.UsageSpecifierId) done(e.ReportRequestId); });
        var statusSent = Next<string>(done => osb.Ven.ReportSent += (_, e) => { if (e.ReportSpecifierId == OsbReports.StatusSpecifierId) done(e.ReportRequestId); });

        await vtn.AdvanceUntilAsync(Task.WhenAll(usageSent, statusSent), TimeSpan.FromSeconds(20));

        var readings = await vtn.Store.GetReadingsAsync(osb.Ven.VenId!, cancellationToken: Ct);
        foreach (var device in home.Devices)
        {
            Assert.Contains(readings, r => r.RId == $"{device.ResourceId}/power" && r.Value is not null && r.ReportRequestId == usageSent.Result);
            Assert.Contains(readings, r => r.RId == $"{device.ResourceId}/status" && r.PayloadText!.Contains("online=true", StringComparison.Ordinal));
        }
        Assert.Contains(readings, r => r.RId == "BaseLoad.main/power" && r.Value > 0);
        Assert.Contains(readings, r => r.RId == "Photovoltaic.roof/power" && r.Value < 0); // 08:00 UTC in June: the sun is up
        Assert.Contains(readings, r => r.RId == "HeatPump.main/status" && r.PayloadText!.Contains("setPoint=21", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Obeys_a_simple_event_by_setting_back_the_heat_pump_and_dimming_the_lights()
    {
        await using var vtn = await StartVtnAsync();
        var home = ExampleHome();
        await using var osb = await OpenSmartBox.StartAsync(Options(vtn, home), Ct);
        var levelOne = Next<int>(done => osb.LevelChanged += (_, level) => { if (level == 1) done(level); });

        var created = await vtn.Vtn.CreateEventAsync(Events.Simple(vtn.Clock.GetUtcNow(), level: 1), Ct);
        await osb.Ven.PollNowAsync(Ct);
        await levelOne;

        var sim = Assert.IsType<SimulatedHome>(osb.Devices);
        Assert.Equal(home.Comfort.MinC + 0.5, ((HeatPumpModel)sim.Model(new DerResourceId(DerKind.HeatPump, "main"))).SetpointC);
        Assert.Equal(0.5, ((LightsModel)sim.Model(new DerResourceId(DerKind.Light, "living"))).Level);
        Assert.Equal(47, ((HotWaterTankModel)sim.Model(new DerResourceId(DerKind.HotWaterTank, "main"))).SetpointC);
        var answer = Assert.Single(await vtn.Store.GetEventResponsesAsync(created.EventId, Ct));
        Assert.Equal("optIn", answer.OptType);

        await vtn.Vtn.CancelEventAsync(created.EventId, cancellationToken: Ct);
        var backToNormal = Next<int>(done => osb.LevelChanged += (_, level) => { if (level == 0) done(level); });
        await osb.Ven.PollNowAsync(Ct);
        await backToNormal;
        Assert.Equal(home.Comfort.SetpointC, ((HeatPumpModel)sim.Model(new DerResourceId(DerKind.HeatPump, "main"))).SetpointC);
    }

    [Fact]
    public async Task Opts_out_of_a_load_dispatch_larger_than_the_home_can_shed()
    {
        await using var vtn = await StartVtnAsync();
        await using var osb = await OpenSmartBox.StartAsync(Options(vtn, ExampleHome()), Ct);
        var decided = Next<OsbDecisionEventArgs>(done => osb.Decided += (_, e) => done(e));

        var created = await vtn.Vtn.CreateEventAsync(new VtnEvent
        {
            EventId = "",
            MarketContext = VtnHarness.Program,
            Priority = 1,
            DtStart = vtn.Clock.GetUtcNow(),
            Duration = TimeSpan.FromHours(1),
            Signals =
            [
                new VtnEventSignal
                {
                    SignalName = "LOAD_DISPATCH",
                    SignalType = SignalType.Delta,
                    SignalId = "s0",
                    Item = VtnItemKind.PowerReal,
                    Scale = SiScaleCode.Kilo,
                    Intervals = [new VtnInterval(TimeSpan.FromHours(1), -50)],
                },
            ],
        }, Ct);
        await osb.Ven.PollNowAsync(Ct);

        var decision = await decided;
        Assert.Equal(OptType.OptOut, decision.Decision.Opt);
        Assert.Contains("asks 50000 W less", decision.Decision.Reason, StringComparison.Ordinal);
        Assert.Equal("optOut", Assert.Single(await vtn.Store.GetEventResponsesAsync(created.EventId, Ct)).OptType);
        Assert.Equal(0, osb.Level);
    }

    [Fact]
    public async Task Opts_out_of_a_night_long_level_two_event_that_would_leave_the_ev_short()
    {
        await using var vtn = await StartVtnAsync();
        vtn.Clock.Advance(TimeSpan.FromHours(11.5)); // 19:30 UTC: the EV is home and needs charging
        await using var osb = await OpenSmartBox.StartAsync(Options(vtn, ExampleHome()), Ct);
        var ev = osb.Devices.Read(new DerResourceId(DerKind.EvCharger, "garage"));
        Assert.True(ev.RemainingNeedWh > 0, "the EV should be home with a need");
        var decided = Next<OsbDecisionEventArgs>(done => osb.Decided += (_, e) => done(e));

        var created = await vtn.Vtn.CreateEventAsync(new VtnEvent
        {
            EventId = "",
            MarketContext = VtnHarness.Program,
            Priority = 1,
            DtStart = vtn.Clock.GetUtcNow(),
            Duration = TimeSpan.FromHours(12),
            Signals = [new VtnEventSignal { SignalName = "SIMPLE", SignalType = SignalType.Level, SignalId = "s0", Intervals = [new VtnInterval(TimeSpan.FromHours(12), 2)] }],
        }, Ct);
        await osb.Ven.PollNowAsync(Ct);

        var decision = await decided;
        Assert.Equal(OptType.OptOut, decision.Decision.Opt);
        Assert.Contains("EvCharger.garage", decision.Decision.Reason, StringComparison.Ordinal);
        Assert.Equal("optOut", Assert.Single(await vtn.Store.GetEventResponsesAsync(created.EventId, Ct)).OptType);
    }

    [Fact]
    public async Task Opts_in_to_a_high_price_and_discharges_the_battery()
    {
        await using var vtn = await StartVtnAsync();
        var home = ExampleHome();
        await using var osb = await OpenSmartBox.StartAsync(Options(vtn, home), Ct);
        var levelTwo = Next<int>(done => osb.LevelChanged += (_, level) => { if (level == 2) done(level); });

        var created = await vtn.Vtn.CreateEventAsync(new VtnEvent
        {
            EventId = "",
            MarketContext = VtnHarness.Program,
            Priority = 1,
            DtStart = vtn.Clock.GetUtcNow(),
            Duration = TimeSpan.FromHours(1),
            Signals =
            [
                new VtnEventSignal
                {
                    SignalName = "ELECTRICITY_PRICE",
                    SignalType = SignalType.Price,
                    SignalId = "p0",
                    Item = VtnItemKind.CurrencyPerKWh,
                    Currency = "EUR",
                    Intervals = [new VtnInterval(TimeSpan.FromHours(1), 0.55)],
                },
            ],
        }, Ct);
        await osb.Ven.PollNowAsync(Ct);
        await levelTwo;
        vtn.Clock.Advance(TimeSpan.FromMinutes(5));

        var battery = osb.Devices.Read(new DerResourceId(DerKind.Battery, "main"));
        Assert.True(battery.PowerW < -4000, $"battery at {battery.PowerW:0} W");
        Assert.Equal("optIn", Assert.Single(await vtn.Store.GetEventResponsesAsync(created.EventId, Ct)).OptType);
    }
}

/// <summary>A simulated home whose occupant can take a device over by hand.</summary>
internal sealed class OverridableHome(SimulatedHome inner) : FlexCoop.Osb.Devices.IDeviceAdapter
{
    public volatile bool HeatPumpOverridden;

    public IReadOnlyList<FlexCoop.Osb.Home.DeviceDefinition> Devices => inner.Devices;

    public DateTimeOffset Now => inner.Now;

    public FlexCoop.Osb.Devices.DeviceReading Read(DerResourceId resourceId)
    {
        var reading = inner.Read(resourceId);
        return resourceId.Kind == DerKind.HeatPump && HeatPumpOverridden ? reading with { ManualOverride = true } : reading;
    }

    public ValueTask ApplyAsync(DerResourceId resourceId, FlexCoop.Osb.Devices.DeviceControl control, CancellationToken cancellationToken = default) =>
        inner.ApplyAsync(resourceId, control, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}

public sealed class OpenSmartBoxLiveOptOutTests
{
    [Fact]
    public async Task Opts_out_of_an_active_event_with_create_opt_when_the_occupant_overrides_the_heat_pump()
    {
        await using var vtn = await StartVtnAsync();
        var home = ExampleHome();
        var devices = new OverridableHome(new SimulatedHome(home, vtn.Clock));
        await using var osb = await OpenSmartBox.StartAsync(Options(vtn, home) with { Devices = devices }, Ct);
        var levelOne = Next<int>(done => osb.LevelChanged += (_, level) => { if (level == 1) done(level); });
        var created = await vtn.Vtn.CreateEventAsync(Events.Simple(vtn.Clock.GetUtcNow(), level: 1), Ct);
        await osb.Ven.PollNowAsync(Ct);
        await levelOne;
        var optedOut = Next<OsbDecisionEventArgs>(done => osb.Decided += (_, e) => { if (e.Decision.Opt == OptType.OptOut) done(e); });

        devices.HeatPumpOverridden = true;
        await osb.TickAsync(Ct);

        var decision = await optedOut;
        Assert.Equal(created.EventId, decision.EventId);
        Assert.Contains("overridden", decision.Decision.Reason, StringComparison.Ordinal);
        var opt = Assert.Single(await vtn.Store.ListOptsAsync(osb.Ven.VenId, Ct));
        Assert.Equal(("optOut", "overrideStatus"), (opt.OptType, opt.OptReason));
        Assert.Equal(OptType.OptOut, Assert.Single(osb.Ven.Events).Opt);
        await osb.TickAsync(Ct);
        Assert.Equal(0, osb.Level); // an opted-out event no longer drives the devices
    }
}
