using FlexCoop.OpenAdr.Model;
using FlexCoop.Osb.Home;
using FlexCoop.ReferenceSystem.Contracts;

namespace FlexCoop.Osb.Devices;

/// <summary>
/// What the agent knows of one device at a moment. Power is consumption (production negative).
/// The optional fields are filled where the device has them; local control uses them to judge what
/// it can shed without breaking comfort or the EV's need.
/// </summary>
public sealed record DeviceReading
{
    public required DerResourceId ResourceId { get; init; }

    /// <summary>Power now, W.</summary>
    public required double PowerW { get; init; }

    /// <summary>Energy consumed since the adapter started, Wh (production negative); null when the device does not meter energy.</summary>
    public double? EnergyWh { get; init; }

    public bool Online { get; init; } = true;

    public bool ManualOverride { get; init; }

    /// <summary>The state of the device's load control, for <c>oadrLoadControlState</c>.</summary>
    public OadrLoadControlState? LoadControl { get; init; }

    /// <summary>A measured temperature, °C (indoor air for the heat pump and sensor, water for the tank).</summary>
    public double? TemperatureC { get; init; }

    /// <summary>Battery state of charge, 0–1.</summary>
    public double? StateOfCharge { get; init; }

    /// <summary>EV: energy still to add before departure, Wh.</summary>
    public double? RemainingNeedWh { get; init; }

    /// <summary>EV: when the car leaves.</summary>
    public DateTimeOffset? Departure { get; init; }

    /// <summary>EV: charging at full power despite a limit to meet the departure need.</summary>
    public bool MustRun { get; init; }
}

/// <summary>
/// A command for one device; <see cref="Normal"/> (all null) returns it to its own control.
/// </summary>
/// <param name="SetpointC">Heat pump or tank: the temperature setpoint, °C.</param>
/// <param name="PowerLimitW">EV charger: the highest charging power, W (0 defers).</param>
/// <param name="DischargeW">Battery: discharge at this power, W.</param>
/// <param name="Level">Lights: dimmer level, 0–1.</param>
public sealed record DeviceControl(double? SetpointC = null, double? PowerLimitW = null, double? DischargeW = null, double? Level = null)
{
    /// <summary>No command: the device runs as it would on its own.</summary>
    public static readonly DeviceControl Normal = new();
}

/// <summary>
/// The agent's view of a home's devices: read each device's state, send it a command. The
/// simulated home (<see cref="Simulation.SimulatedHome"/>) and real devices over MQTT
/// (<see cref="MqttDeviceAdapter"/>) implement it.
/// </summary>
public interface IDeviceAdapter : IAsyncDisposable
{
    /// <summary>The devices, as the home file names them.</summary>
    IReadOnlyList<DeviceDefinition> Devices { get; }

    /// <summary>The adapter's notion of now (simulation time for a simulated home).</summary>
    DateTimeOffset Now { get; }

    /// <summary>The device's state now.</summary>
    DeviceReading Read(DerResourceId resourceId);

    /// <summary>Commands a device. Repeating the same command is harmless.</summary>
    ValueTask ApplyAsync(DerResourceId resourceId, DeviceControl control, CancellationToken cancellationToken = default);
}
