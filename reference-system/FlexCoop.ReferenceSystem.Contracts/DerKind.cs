namespace FlexCoop.ReferenceSystem.Contracts;

/// <summary>
/// The kinds of distributed energy resource an Open Smart Box announces. The DER registry maps
/// each kind to its SAREF / SAREF4ENER class.
/// </summary>
public enum DerKind
{
    HeatPump,
    HotWaterTank,
    EvCharger,
    Photovoltaic,
    Battery,
    Light,
    Sensor,
    BaseLoad,
}
