using FlexCoop.Osb.Home;

namespace FlexCoop.Osb.Simulation;

/// <summary>
/// A home battery: stored energy between the reserve and the capacity, power within the charge and
/// discharge limits, and the round-trip efficiency split evenly between charging and discharging.
/// Power is grid-side: positive charges, negative discharges.
/// </summary>
public sealed class BatteryModel(BatteryDefinition definition)
{
    private readonly double _oneWay = Math.Sqrt(definition.RoundTripEfficiency);

    public BatteryDefinition Definition { get; } = definition;

    public double StoredWh { get; private set; } = definition.CapacityWh * definition.InitialStateOfCharge;

    public double StateOfCharge => StoredWh / Definition.CapacityWh;

    /// <summary>Grid-side power in the last step, W.</summary>
    public double PowerW { get; private set; }

    /// <summary>Energy kept in reserve, Wh.</summary>
    public double ReserveWh => Definition.CapacityWh * Definition.ReserveStateOfCharge;

    /// <summary>Energy the grid could get out above the reserve, Wh.</summary>
    public double DischargeableWh => Math.Max(0, StoredWh - ReserveWh) * _oneWay;

    /// <summary>Tries <paramref name="requestedW"/> for <paramref name="seconds"/>; returns the power actually exchanged.</summary>
    public double Step(double requestedW, double seconds)
    {
        if (seconds <= 0)
        {
            PowerW = 0;
            return 0;
        }
        var hours = seconds / 3600;
        double power;
        if (requestedW >= 0)
        {
            var room = Math.Max(0, Definition.CapacityWh - StoredWh);
            power = Math.Min(Math.Min(requestedW, Definition.MaxChargeW), room / _oneWay / hours);
            StoredWh = Math.Min(Definition.CapacityWh, StoredWh + (power * _oneWay * hours));
        }
        else
        {
            var available = Math.Max(0, StoredWh - ReserveWh);
            var discharge = Math.Min(Math.Min(-requestedW, Definition.MaxDischargeW), available * _oneWay / hours);
            power = -discharge;
            StoredWh = Math.Max(ReserveWh, StoredWh - (discharge / _oneWay * hours));
        }
        PowerW = power;
        return power;
    }
}
