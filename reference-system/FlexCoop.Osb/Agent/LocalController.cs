using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Ven;
using FlexCoop.Osb.Devices;
using FlexCoop.Osb.Home;
using FlexCoop.Osb.Simulation;
using FlexCoop.ReferenceSystem.Contracts;

namespace FlexCoop.Osb.Agent;

/// <summary>What an event asks of the home at a moment: a SIMPLE-style level (0–3) and/or a power reduction, W.</summary>
public readonly record struct DemandRequest(int Level, double ReductionW)
{
    public static readonly DemandRequest None = new(0, 0);

    public static DemandRequest Max(DemandRequest a, DemandRequest b) => new(Math.Max(a.Level, b.Level), Math.Max(a.ReductionW, b.ReductionW));
}

/// <summary>The agent's answer to an event, and why.</summary>
public sealed record OptDecision(OptType Opt, string Reason);

/// <summary>
/// Local control: turns events into device commands within the comfort limits, and decides whether
/// the home can take part in an event at all.
/// <list type="bullet">
/// <item>Level 1 (SIMPLE 1, price at or above <c>moderatePrice</c>): heat pump to 0.5 K above the comfort
/// minimum, hot-water tank to 2 K above its minimum, EV charging deferred (never past the point where
/// the departure need is at risk), lights at 50 %.</item>
/// <item>Level 2 (SIMPLE 2, price at or above <c>highPrice</c>): also the battery discharges at full power, lights at 20 %.</item>
/// <item>Level 3: heat pump 0.25 K above the comfort minimum, lights off.</item>
/// <item>LOAD_DISPATCH (delta, or setpoint below the home's consumption): the lowest level whose estimated reduction covers the request.</item>
/// </list>
/// It opts out when the home has nothing to control, when a LOAD_DISPATCH asks more than level 3
/// can give, when level 2 or more needs the EV deferred but its departure need would then be missed,
/// and when level 3 would let the building cool below the comfort band.
/// </summary>
public sealed class LocalController
{
    private readonly HomeDefinition _home;
    private readonly double _timeScale;
    private readonly OutdoorTemperatureProfile _outdoor;

    public LocalController(HomeDefinition home, double timeScale = 1)
    {
        ArgumentNullException.ThrowIfNull(home);
        if (!(timeScale > 0)) throw new OsbConfigurationException("the time scale must be positive");
        _home = home;
        _timeScale = timeScale;
        _outdoor = new OutdoorTemperatureProfile(home.Climate, home.EffectiveUtcOffsetHours, home.Seed);
    }

    private static readonly string[] LevelSignals = ["SIMPLE", "simple", "LOAD_CONTROL"];
    private static readonly string[] PriceSignals = ["ELECTRICITY_PRICE", "ENERGY_PRICE", "BID_PRICE"];

    /// <summary>What one signal value asks for.</summary>
    public DemandRequest Demand(EventSignal signal, double value, double homePowerW)
    {
        ArgumentNullException.ThrowIfNull(signal);
        var name = signal.SignalName.Value;
        if (LevelSignals.Contains(name) || signal.SignalType == SignalType.Level)
        {
            return new DemandRequest(Math.Clamp((int)Math.Round(Math.Abs(value)), 0, 3), 0);
        }
        if (PriceSignals.Contains(name))
        {
            var c = _home.Control;
            return signal.SignalType switch
            {
                SignalType.PriceMultiplier => new DemandRequest(value >= 2 ? 2 : value >= 1.5 ? 1 : 0, 0),
                _ => new DemandRequest(value >= c.HighPrice ? 2 : value >= c.ModeratePrice ? 1 : 0, 0),
            };
        }
        if (name == "LOAD_DISPATCH")
        {
            var watts = value * Scale(signal.ItemBase);
            var reduction = signal.SignalType switch
            {
                SignalType.Delta => -watts,
                SignalType.Setpoint => homePowerW - watts,
                _ => 0,
            };
            return new DemandRequest(0, Math.Max(0, reduction));
        }
        return DemandRequest.None;
    }

    private static double Scale(ItemBase? item)
    {
        var scale = item switch
        {
            PowerReal p => p.Scale,
            PowerApparent p => p.Scale,
            _ => SiScaleCode.None,
        };
        return scale switch
        {
            SiScaleCode.Kilo => 1e3,
            SiScaleCode.Mega => 1e6,
            SiScaleCode.Giga => 1e9,
            SiScaleCode.Milli => 1e-3,
            _ => 1,
        };
    }

    /// <summary>What <paramref name="e"/> asks at <paramref name="at"/> (nothing outside its active period).</summary>
    public DemandRequest DemandAt(VenEvent e, DateTimeOffset at, double homePowerW)
    {
        ArgumentNullException.ThrowIfNull(e);
        var demand = DemandRequest.None;
        foreach (var signal in e.Signals)
        {
            if (e.ValueAt(signal.SignalName.Value, at) is { } value) demand = DemandRequest.Max(demand, Demand(signal, value, homePowerW));
        }
        return demand;
    }

    /// <summary>The most <paramref name="e"/> asks in any of its intervals.</summary>
    public DemandRequest PeakDemand(VenEvent e, double homePowerW)
    {
        ArgumentNullException.ThrowIfNull(e);
        var demand = DemandRequest.None;
        foreach (var signal in e.Signals)
        {
            foreach (var interval in signal.Intervals)
            {
                if (interval.Payloads.OfType<SignalPayload>().FirstOrDefault()?.Payload is PayloadFloat f)
                {
                    demand = DemandRequest.Max(demand, Demand(signal, f.Value, homePowerW));
                }
            }
        }
        return demand;
    }

    /// <summary>The home's consumption now, W.</summary>
    public static double HomePowerW(IDeviceAdapter devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        return devices.Devices.Sum(d => devices.Read(d.ResourceId).PowerW);
    }

    /// <summary>The level that covers <paramref name="demand"/>, or null when even level 3 cannot.</summary>
    public int? LevelFor(DemandRequest demand, IDeviceAdapter devices, TimeSpan duration)
    {
        if (demand.ReductionW <= 0) return demand.Level;
        for (var level = Math.Max(1, demand.Level); level <= 3; level++)
        {
            if (EstimatedReductionW(level, devices, duration) >= demand.ReductionW) return level;
        }
        return null;
    }

    /// <summary>
    /// Decides whether to take part in <paramref name="e"/>, judged on the devices' state now
    /// (<paramref name="now"/> on the VEN's clock).
    /// </summary>
    public OptDecision Decide(VenEvent e, IDeviceAdapter devices, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(devices);
        if (e.IsTest) return new OptDecision(OptType.OptIn, "test event: answered, not acted on");
        if (!devices.Devices.Any(d => d.Controllable)) return new OptDecision(OptType.OptOut, "the home has no controllable device");
        var homePower = HomePowerW(devices);
        var demand = PeakDemand(e, homePower);
        if (demand == DemandRequest.None) return new OptDecision(OptType.OptIn, "nothing to shed");
        var start = e.EffectiveStart > now ? e.EffectiveStart : now;
        var end = e.EffectiveEnd ?? start + TimeSpan.FromHours(1);
        var duration = Simulated(end - start);
        var level = LevelFor(demand, devices, duration);
        if (level is null)
        {
            return new OptDecision(OptType.OptOut, $"asks {demand.ReductionW:0} W less; the home can shed about {EstimatedReductionW(3, devices, duration):0} W");
        }
        var simEnd = devices.Now + Simulated(end - now);
        if (level >= 2)
        {
            foreach (var ev in devices.Devices.OfType<EvChargerDefinition>())
            {
                var r = devices.Read(ev.ResourceId);
                if (r.RemainingNeedWh is > 0 && r.Departure is { } departure && !EvCanWait(ev, r.RemainingNeedWh.Value, departure, simEnd))
                {
                    return new OptDecision(OptType.OptOut, $"{ev.ResourceId} could not charge its {r.RemainingNeedWh.Value:0} Wh before departure");
                }
            }
        }
        if (level >= 3 && devices.Devices.OfType<HeatPumpDefinition>().Any())
        {
            var indoor = IndoorTemperatureC(devices);
            if (indoor is { } t && PredictUnheated(t, devices.Now, duration) < _home.Comfort.MinC)
            {
                return new OptDecision(OptType.OptOut, $"without heating the building would cool below {_home.Comfort.MinC} °C");
            }
        }
        return new OptDecision(OptType.OptIn, $"level {level}");
    }

    private TimeSpan Simulated(TimeSpan real) => real <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromTicks((long)Math.Min(real.Ticks * _timeScale, TimeSpan.FromDays(365).Ticks));

    private static bool EvCanWait(EvChargerDefinition ev, double remainingWh, DateTimeOffset departure, DateTimeOffset until) =>
        remainingWh <= ev.ChargerPowerW * ev.Efficiency * (departure - ElectricVehicleModel.Margin - until).TotalHours;

    private static double? IndoorTemperatureC(IDeviceAdapter devices)
    {
        foreach (var d in devices.Devices.Where(d => d.Kind is DerKind.Sensor or DerKind.HeatPump))
        {
            if (devices.Read(d.ResourceId).TemperatureC is { } t) return t;
        }
        return null;
    }

    /// <summary>The indoor temperature <paramref name="duration"/> after <paramref name="from"/> with no heating, by the home's building model.</summary>
    public double PredictUnheated(double indoorC, DateTimeOffset from, TimeSpan duration)
    {
        var building = ThermalModel2R2C.For(_home.Building with { InitialTemperatureC = indoorC });
        var t = 0.0;
        var seconds = duration.TotalSeconds;
        while (t < seconds)
        {
            var step = Math.Min(900, seconds - t);
            building.Step(step, _outdoor.At(from.AddSeconds(t)), 0);
            t += step;
        }
        return building.IndoorTemperatureC;
    }

    private double EffectiveHeatLossWPerK =>
        _home.Building.Model == "2R2C" ? 1 / ((1 / _home.Building.HeatLossWPerK) + (1 / _home.Building.AirToMassWPerK)) : _home.Building.HeatLossWPerK;

    private double EffectiveHeatCapacityJPerK =>
        _home.Building.Model == "2R2C" ? _home.Building.HeatCapacityJPerK + _home.Building.AirHeatCapacityJPerK : _home.Building.HeatCapacityJPerK;

    /// <summary>
    /// About how much less the home draws at <paramref name="level"/> over <paramref name="duration"/>
    /// (simulation time), W: the heat pump while the building coasts down to the setback, the tank
    /// while it is warm enough, the EV while it can wait, the battery's dischargeable energy, the lights.
    /// </summary>
    public double EstimatedReductionW(int level, IDeviceAdapter devices, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(devices);
        if (level <= 0) return 0;
        var hours = Math.Max(duration.TotalHours, 0.25);
        var total = 0.0;
        foreach (var d in devices.Devices)
        {
            var r = devices.Read(d.ResourceId);
            switch (d)
            {
                case HeatPumpDefinition hp:
                    var indoor = r.TemperatureC ?? _home.Comfort.SetpointC;
                    var outdoor = _outdoor.At(devices.Now);
                    var loss = EffectiveHeatLossWPerK * Math.Max(0, indoor - outdoor);
                    var expected = Math.Min(hp.RatedPowerW, loss / HeatPumpModel.Cop(outdoor, hp.SupplyTemperatureC, hp.CarnotEfficiency));
                    var floor = _home.Comfort.MinC + (level >= 3 ? 0.25 : 0.5) - HeatPumpModel.Hysteresis;
                    var coastHours = loss > 0 ? EffectiveHeatCapacityJPerK * Math.Max(0, indoor - floor) / loss / 3600 : hours;
                    total += expected * Math.Min(1, coastHours / hours);
                    break;
                case HotWaterTankDefinition t:
                    if (r.TemperatureC is null || r.TemperatureC > t.MinC + 1) total += r.PowerW;
                    break;
                case EvChargerDefinition ev:
                    var canWait = r.RemainingNeedWh is not { } need || r.Departure is not { } departure
                        || EvCanWait(ev, need, departure, devices.Now + duration);
                    if (canWait && !r.MustRun) total += r.PowerW;
                    break;
                case BatteryDefinition b when level >= 2:
                    var stored = (r.StateOfCharge ?? 0) * b.CapacityWh;
                    var usable = Math.Max(0, stored - (b.ReserveStateOfCharge * b.CapacityWh)) * Math.Sqrt(b.RoundTripEfficiency);
                    total += Math.Max(0, r.PowerW) + Math.Min(b.MaxDischargeW, usable / hours);
                    break;
                case LightDefinition:
                    total += r.PowerW * (level switch { 1 => 0.5, 2 => 0.8, _ => 1.0 });
                    break;
            }
        }
        return total;
    }

    /// <summary>The command for each controllable device at <paramref name="level"/> (0: every device back to normal).</summary>
    public IReadOnlyDictionary<DerResourceId, DeviceControl> Plan(int level, IDeviceAdapter devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        var plan = new Dictionary<DerResourceId, DeviceControl>();
        foreach (var d in devices.Devices.Where(d => d.Controllable))
        {
            plan[d.ResourceId] = level <= 0 ? DeviceControl.Normal : d switch
            {
                HeatPumpDefinition => new DeviceControl(SetpointC: _home.Comfort.MinC + (level >= 3 ? 0.25 : 0.5)),
                HotWaterTankDefinition t => new DeviceControl(SetpointC: t.MinC + 2),
                EvChargerDefinition ev => EvControl(ev, devices),
                BatteryDefinition b => level >= 2 ? new DeviceControl(DischargeW: b.MaxDischargeW) : DeviceControl.Normal,
                LightDefinition => new DeviceControl(Level: level switch { 1 => 0.5, 2 => 0.2, _ => 0 }),
                _ => DeviceControl.Normal,
            };
        }
        return plan;
    }

    /// <summary>Defers charging unless the departure need is already at risk (then charges normally).</summary>
    private static DeviceControl EvControl(EvChargerDefinition ev, IDeviceAdapter devices)
    {
        var r = devices.Read(ev.ResourceId);
        if (r.MustRun) return DeviceControl.Normal;
        if (r.RemainingNeedWh is { } need && r.Departure is { } departure && !EvCanWait(ev, need, departure, devices.Now + TimeSpan.FromMinutes(5)))
        {
            return DeviceControl.Normal;
        }
        return new DeviceControl(PowerLimitW: 0);
    }
}
