using FlexCoop.OpenAdr.Model;
using FlexCoop.Osb.Devices;
using FlexCoop.Osb.Home;
using FlexCoop.ReferenceSystem.Contracts;

namespace FlexCoop.Osb.Simulation;

/// <summary>
/// A simulated home: the devices of a home file as physical models, advanced on demand to the
/// clock's time in steps of at most a minute. Deterministic for a given seed and start time. Safe
/// to read and command from several threads.
/// </summary>
public sealed class SimulatedHome : IDeviceAdapter
{
    /// <summary>The longest simulation step.</summary>
    public static readonly TimeSpan MaxStep = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private readonly TimeProvider _clock;
    private readonly OutdoorTemperatureProfile _outdoor;
    private readonly IBuildingThermalModel _building;
    private readonly DeviceState[] _states;
    private readonly Dictionary<DerResourceId, int> _index = [];
    private readonly HeatPumpModel? _heatPump;
    private DateTimeOffset _time;

    /// <summary>Makes the home at the clock's now.</summary>
    public SimulatedHome(HomeDefinition home, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(home);
        Home = HomeFile.Validate(home);
        _clock = clock ?? TimeProvider.System;
        _time = _clock.GetUtcNow();
        var offset = home.EffectiveUtcOffsetHours;
        var (lat, lon) = (home.Location.Latitude, home.Location.Longitude);
        _outdoor = new OutdoorTemperatureProfile(home.Climate, offset, home.Seed);
        _building = ThermalModel2R2C.For(home.Building);
        var clouds = new CloudCover(home.Climate.Cloudiness, home.Seed);
        _states = new DeviceState[home.Devices.Count];
        for (var i = 0; i < _states.Length; i++)
        {
            var d = home.Devices[i];
            var seed = home.Seed ^ ((ulong)(i + 1) * 0xD6E8FEB86659FD93UL);
            object model = d switch
            {
                HeatPumpDefinition hp => _heatPump = new HeatPumpModel(hp, home.Comfort.SetpointC),
                HotWaterTankDefinition t => new HotWaterTankModel(t, offset, seed),
                EvChargerDefinition ev => new ElectricVehicleModel(ev, offset, seed),
                PhotovoltaicDefinition pv => new PhotovoltaicModel(pv, lat, lon, clouds),
                BatteryDefinition b => new BatteryModel(b),
                LightDefinition l => new LightsModel(l, lat, lon, offset),
                BaseLoadDefinition bl => new BaseLoadModel(bl, offset, seed),
                _ => d,
            };
            _states[i] = new DeviceState(d, model);
            _index[d.ResourceId] = i;
        }
        // A zero-length step so readings (power, an EV already home) hold from the start.
        StepLocked(_time, 0);
    }

    public HomeDefinition Home { get; }

    public IReadOnlyList<DeviceDefinition> Devices => Home.Devices;

    public DateTimeOffset Now => _clock.GetUtcNow();

    /// <summary>The simulation's time (how far it has advanced).</summary>
    public DateTimeOffset Time
    {
        get
        {
            lock (_lock) return _time;
        }
    }

    /// <summary>The indoor air temperature, °C.</summary>
    public double IndoorTemperatureC
    {
        get
        {
            lock (_lock) return _building.IndoorTemperatureC;
        }
    }

    /// <summary>The outdoor temperature now, °C.</summary>
    public double OutdoorTemperatureC => _outdoor.At(Time);

    /// <summary>The building model (for predictions: clone it).</summary>
    public IBuildingThermalModel Building
    {
        get
        {
            lock (_lock) return _building.Clone();
        }
    }

    /// <summary>The models, by resource ID, for tests and diagnostics.</summary>
    public object Model(DerResourceId resourceId) => _states[_index[resourceId]].Model;

    /// <summary>The home's net consumption in the last step, W.</summary>
    public double NetPowerW
    {
        get
        {
            lock (_lock)
            {
                var sum = 0.0;
                foreach (var s in _states) sum += s.PowerW;
                return sum;
            }
        }
    }

    /// <summary>Advances the simulation to the clock's now.</summary>
    public void Advance() => AdvanceTo(_clock.GetUtcNow());

    /// <summary>Advances the simulation to <paramref name="time"/> (never backwards).</summary>
    public void AdvanceTo(DateTimeOffset time)
    {
        lock (_lock)
        {
            while (_time < time)
            {
                var step = time - _time;
                if (step > MaxStep) step = MaxStep;
                StepLocked(_time, step.TotalSeconds);
                _time += step;
            }
        }
    }

    private void StepLocked(DateTimeOffset t, double seconds)
    {
        var outdoor = _outdoor.At(t);
        var heat = 0.0;
        var net = 0.0;
        DeviceState? battery = null;
        foreach (var s in _states)
        {
            switch (s.Model)
            {
                case HeatPumpModel hp:
                    heat = hp.Step(_building.IndoorTemperatureC, outdoor);
                    s.PowerW = hp.ElectricPowerW;
                    break;
                case HotWaterTankModel tank:
                    tank.Step(t, seconds);
                    s.PowerW = tank.PowerW;
                    break;
                case ElectricVehicleModel ev:
                    ev.Step(t, seconds);
                    s.PowerW = ev.PowerW;
                    break;
                case PhotovoltaicModel pv:
                    s.PowerW = -pv.ProductionW(t);
                    break;
                case LightsModel lights:
                    s.PowerW = lights.PowerW(t);
                    break;
                case BaseLoadModel bl:
                    s.PowerW = bl.PowerW(t);
                    break;
                case SensorDefinition sensor:
                    s.PowerW = sensor.PowerW;
                    break;
                case BatteryModel:
                    battery = s;
                    continue;
            }
            net += s.PowerW;
            s.EnergyWh += s.PowerW * seconds / 3600;
        }
        if (battery is not null)
        {
            var model = (BatteryModel)battery.Model;
            // Discharge on command; otherwise self-consumption: absorb surplus, cover deficit.
            var request = battery.Control.DischargeW is { } discharge ? -discharge : -net;
            battery.PowerW = model.Step(request, seconds);
            battery.EnergyWh += battery.PowerW * seconds / 3600;
        }
        _building.Step(seconds, outdoor, heat);
    }

    public DeviceReading Read(DerResourceId resourceId)
    {
        if (!_index.TryGetValue(resourceId, out var i)) throw new ArgumentException($"no device {resourceId}", nameof(resourceId));
        Advance();
        lock (_lock)
        {
            var s = _states[i];
            var reading = new DeviceReading { ResourceId = resourceId, PowerW = s.PowerW, EnergyWh = s.EnergyWh };
            return s.Model switch
            {
                HeatPumpModel hp => reading with
                {
                    TemperatureC = _building.IndoorTemperatureC,
                    LoadControl = new OadrLoadControlState { SetPoint = new LoadControlStateValue { Min = (float)Home.Comfort.MinC, Max = (float)Home.Comfort.MaxC, Current = (float)hp.SetpointC, Normal = (float)Home.Comfort.SetpointC } },
                },
                HotWaterTankModel t => reading with
                {
                    TemperatureC = t.TemperatureC,
                    LoadControl = new OadrLoadControlState { SetPoint = new LoadControlStateValue { Min = (float)t.Definition.MinC, Max = (float)t.Definition.SetpointC, Current = (float)t.SetpointC, Normal = (float)t.Definition.SetpointC } },
                },
                ElectricVehicleModel ev => reading with
                {
                    RemainingNeedWh = ev.RemainingWh,
                    Departure = ev.Session?.Departure,
                    MustRun = ev.MustRun,
                    LoadControl = new OadrLoadControlState { Capacity = new LoadControlStateValue { Min = 0, Max = (float)ev.Definition.ChargerPowerW, Current = (float)(ev.PowerLimitW ?? ev.Definition.ChargerPowerW), Normal = (float)ev.Definition.ChargerPowerW } },
                },
                BatteryModel b => reading with
                {
                    StateOfCharge = b.StateOfCharge,
                    LoadControl = new OadrLoadControlState { Capacity = new LoadControlStateValue { Min = (float)b.ReserveWh, Max = (float)b.Definition.CapacityWh, Current = (float)b.StoredWh } },
                },
                LightsModel l => reading with
                {
                    LoadControl = new OadrLoadControlState { PercentOffset = new LoadControlStateValue { Min = -100, Max = 0, Current = (float)((l.Level - 1) * 100), Normal = 0 } },
                },
                SensorDefinition => reading with { TemperatureC = _building.IndoorTemperatureC },
                _ => reading,
            };
        }
    }

    public ValueTask ApplyAsync(DerResourceId resourceId, DeviceControl control, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(control);
        if (!_index.TryGetValue(resourceId, out var i)) throw new ArgumentException($"no device {resourceId}", nameof(resourceId));
        Advance();
        lock (_lock)
        {
            var s = _states[i];
            s.Control = control;
            switch (s.Model)
            {
                case HeatPumpModel hp:
                    hp.SetpointC = Math.Clamp(control.SetpointC ?? Home.Comfort.SetpointC, Home.Comfort.MinC, Home.Comfort.MaxC);
                    break;
                case HotWaterTankModel t:
                    t.SetpointC = Math.Clamp(control.SetpointC ?? t.Definition.SetpointC, t.Definition.MinC, 95);
                    break;
                case ElectricVehicleModel ev:
                    ev.PowerLimitW = control.PowerLimitW;
                    break;
                case LightsModel l:
                    l.Level = Math.Clamp(control.Level ?? 1, 0, 1);
                    break;
            }
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed class DeviceState(DeviceDefinition definition, object model)
    {
        public DeviceDefinition Definition { get; } = definition;

        public object Model { get; } = model;

        public double PowerW { get; set; }

        public double EnergyWh { get; set; }

        public DeviceControl Control { get; set; } = DeviceControl.Normal;
    }
}
