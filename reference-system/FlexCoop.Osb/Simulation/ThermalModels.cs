using FlexCoop.Osb.Home;

namespace FlexCoop.Osb.Simulation;

/// <summary>A building's thermal model: heat in (W) and outdoor temperature move the indoor temperature.</summary>
public interface IBuildingThermalModel
{
    /// <summary>The indoor air temperature, °C.</summary>
    double IndoorTemperatureC { get; }

    /// <summary>The heat the building holds above 0 °C, J (for energy balances).</summary>
    double StoredHeatJ { get; }

    /// <summary>Advances by <paramref name="seconds"/> with <paramref name="heatW"/> delivered to the indoor air.</summary>
    void Step(double seconds, double outdoorC, double heatW);

    /// <summary>A copy to predict with.</summary>
    IBuildingThermalModel Clone();
}

/// <summary>
/// One resistance, one capacitance: C·dT/dt = (T_out − T)/R + Q. Stepped with the exact solution
/// for constant inputs, so any step length is stable.
/// </summary>
public sealed class ThermalModel1R1C(double heatLossWPerK, double heatCapacityJPerK, double initialC) : IBuildingThermalModel
{
    public double HeatLossWPerK { get; } = heatLossWPerK > 0 ? heatLossWPerK : throw new ArgumentOutOfRangeException(nameof(heatLossWPerK));

    public double HeatCapacityJPerK { get; } = heatCapacityJPerK > 0 ? heatCapacityJPerK : throw new ArgumentOutOfRangeException(nameof(heatCapacityJPerK));

    public double IndoorTemperatureC { get; private set; } = initialC;

    public double StoredHeatJ => HeatCapacityJPerK * IndoorTemperatureC;

    public void Step(double seconds, double outdoorC, double heatW)
    {
        var equilibrium = outdoorC + (heatW / HeatLossWPerK);
        IndoorTemperatureC = equilibrium + ((IndoorTemperatureC - equilibrium) * Math.Exp(-seconds * HeatLossWPerK / HeatCapacityJPerK));
    }

    public IBuildingThermalModel Clone() => new ThermalModel1R1C(HeatLossWPerK, HeatCapacityJPerK, IndoorTemperatureC);
}

/// <summary>
/// Two resistances, two capacitances: the indoor air (C_a) exchanges heat with the thermal mass
/// (C_m) through H_am, and the mass with outdoors through H_mo; the heating warms the air.
/// Stepped with forward Euler in sub-steps short against the air's time constant.
/// </summary>
public sealed class ThermalModel2R2C : IBuildingThermalModel
{
    private readonly double _maxSubstep;

    public ThermalModel2R2C(double airHeatCapacityJPerK, double massHeatCapacityJPerK, double airToMassWPerK, double massToOutdoorWPerK, double initialC)
        : this(airHeatCapacityJPerK, massHeatCapacityJPerK, airToMassWPerK, massToOutdoorWPerK, initialC, initialC)
    {
    }

    private ThermalModel2R2C(double ca, double cm, double ham, double hmo, double air, double mass)
    {
        if (ca <= 0 || cm <= 0 || ham <= 0 || hmo <= 0) throw new ArgumentOutOfRangeException(nameof(ca), "capacities and conductances must be positive");
        AirHeatCapacityJPerK = ca;
        MassHeatCapacityJPerK = cm;
        AirToMassWPerK = ham;
        MassToOutdoorWPerK = hmo;
        IndoorTemperatureC = air;
        MassTemperatureC = mass;
        _maxSubstep = Math.Min(ca / ham, cm / (ham + hmo)) / 10;
    }

    public double AirHeatCapacityJPerK { get; }

    public double MassHeatCapacityJPerK { get; }

    public double AirToMassWPerK { get; }

    public double MassToOutdoorWPerK { get; }

    public double IndoorTemperatureC { get; private set; }

    /// <summary>The thermal mass's temperature, °C.</summary>
    public double MassTemperatureC { get; private set; }

    public double StoredHeatJ => (AirHeatCapacityJPerK * IndoorTemperatureC) + (MassHeatCapacityJPerK * MassTemperatureC);

    public void Step(double seconds, double outdoorC, double heatW)
    {
        var remaining = seconds;
        while (remaining > 0)
        {
            var dt = Math.Min(remaining, _maxSubstep);
            var airToMass = AirToMassWPerK * (IndoorTemperatureC - MassTemperatureC);
            var massToOutdoor = MassToOutdoorWPerK * (MassTemperatureC - outdoorC);
            IndoorTemperatureC += dt * (heatW - airToMass) / AirHeatCapacityJPerK;
            MassTemperatureC += dt * (airToMass - massToOutdoor) / MassHeatCapacityJPerK;
            remaining -= dt;
        }
    }

    public IBuildingThermalModel Clone() => new ThermalModel2R2C(AirHeatCapacityJPerK, MassHeatCapacityJPerK, AirToMassWPerK, MassToOutdoorWPerK, IndoorTemperatureC, MassTemperatureC);

    /// <summary>Builds the model a home file's building section names.</summary>
    public static IBuildingThermalModel For(BuildingDefinition building)
    {
        ArgumentNullException.ThrowIfNull(building);
        return building.Model == "2R2C"
            ? new ThermalModel2R2C(building.AirHeatCapacityJPerK, building.HeatCapacityJPerK, building.AirToMassWPerK, building.HeatLossWPerK, building.InitialTemperatureC)
            : new ThermalModel1R1C(building.HeatLossWPerK, building.HeatCapacityJPerK, building.InitialTemperatureC);
    }
}

/// <summary>
/// An on/off air-to-water heat pump with a thermostat (±0.25 K around the setpoint). Its COP is a
/// fraction of the Carnot COP between the outdoor air and the supply temperature, so it falls as
/// the outdoor temperature falls.
/// </summary>
public sealed class HeatPumpModel(HeatPumpDefinition definition, double setpointC)
{
    /// <summary>Half the thermostat's dead band, K.</summary>
    public const double Hysteresis = 0.25;

    public HeatPumpDefinition Definition { get; } = definition;

    /// <summary>The thermostat's setpoint, °C.</summary>
    public double SetpointC { get; set; } = setpointC;

    public bool Running { get; private set; }

    /// <summary>Electrical power in the last step, W.</summary>
    public double ElectricPowerW { get; private set; }

    /// <summary>Heat delivered in the last step, W.</summary>
    public double HeatW { get; private set; }

    /// <summary>The COP at <paramref name="outdoorC"/>, between 1.5 and 6.</summary>
    public static double Cop(double outdoorC, double supplyC, double carnotEfficiency)
    {
        var lift = Math.Max(supplyC - outdoorC, 5);
        return Math.Clamp(carnotEfficiency * (supplyC + 273.15) / lift, 1.5, 6);
    }

    /// <summary>Decides on or off for the next step from the indoor temperature and returns the heat delivered, W.</summary>
    public double Step(double indoorC, double outdoorC)
    {
        if (indoorC < SetpointC - Hysteresis) Running = true;
        else if (indoorC > SetpointC + Hysteresis) Running = false;
        ElectricPowerW = Running ? Definition.RatedPowerW : 0;
        HeatW = ElectricPowerW * Cop(outdoorC, Definition.SupplyTemperatureC, Definition.CarnotEfficiency);
        return HeatW;
    }
}
