using FlexCoop.Osb.Home;

namespace FlexCoop.Osb.Simulation;

/// <summary>
/// A horizontal PV array: peak power × clear-sky irradiance / 1000 W/m² × clearness under the
/// cloud cover × derating. Production is reported as negative consumption.
/// </summary>
public sealed class PhotovoltaicModel(PhotovoltaicDefinition definition, double latitude, double longitude, CloudCover clouds)
{
    public PhotovoltaicDefinition Definition { get; } = definition;

    /// <summary>The power produced with no cloud at <paramref name="time"/>, W (positive).</summary>
    public double ClearSkyPowerW(DateTimeOffset time) =>
        Definition.PeakPowerW * ClearSky.GlobalHorizontalIrradiance(SolarPosition.ElevationDegrees(latitude, longitude, time)) / 1000 * Definition.Derate;

    /// <summary>The power produced at <paramref name="time"/>, W (positive).</summary>
    public double ProductionW(DateTimeOffset time)
    {
        var clear = ClearSkyPowerW(time);
        return clear <= 0 ? 0 : clear * CloudCover.Clearness(clouds.At(time));
    }
}
