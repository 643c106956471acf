namespace FlexCoop.OpenAdr.Model;

/// <summary>
/// A member of <c>emix:itemBase</c>: the unit of a signal, baseline or report data point. Fixed
/// <c>itemDescription</c>/<c>itemUnits</c> texts (e.g. <c>RealEnergy</c>/<c>Wh</c>) are implied by the type and
/// written by the codec.
/// </summary>
public abstract record ItemBase
{
    private protected ItemBase() { }
}

/// <summary><c>power:powerAttributes</c>: the electrical context of a power item.</summary>
public sealed record PowerAttributes
{
    /// <summary><c>power:hertz</c>.</summary>
    public required decimal Hertz { get; init; }

    /// <summary><c>power:voltage</c>.</summary>
    public required decimal Voltage { get; init; }

    /// <summary><c>power:ac</c>: alternating (true) or direct current.</summary>
    public required bool Ac { get; init; }
}

/// <summary><c>power:powerReal</c> (RealPower, W or J/s).</summary>
public sealed record PowerReal : ItemBase
{
    /// <summary><c>power:itemUnits</c>: <c>W</c> or <c>J/s</c>.</summary>
    public RealPowerUnit Units { get; init; } = RealPowerUnit.Watt;

    /// <summary><c>scale:siScaleCode</c>.</summary>
    public required SiScaleCode Scale { get; init; }

    /// <summary><c>power:powerAttributes</c>.</summary>
    public required PowerAttributes Attributes { get; init; }
}

/// <summary><c>power:powerReactive</c> (ReactivePower, VAR).</summary>
public sealed record PowerReactive : ItemBase
{
    /// <summary><c>scale:siScaleCode</c>.</summary>
    public required SiScaleCode Scale { get; init; }

    /// <summary><c>power:powerAttributes</c>.</summary>
    public required PowerAttributes Attributes { get; init; }
}

/// <summary><c>power:powerApparent</c> (ApparentPower, VA).</summary>
public sealed record PowerApparent : ItemBase
{
    /// <summary><c>scale:siScaleCode</c>.</summary>
    public required SiScaleCode Scale { get; init; }

    /// <summary><c>power:powerAttributes</c>.</summary>
    public required PowerAttributes Attributes { get; init; }
}

/// <summary><c>power:energyReal</c> (RealEnergy, Wh).</summary>
public sealed record EnergyReal : ItemBase
{
    /// <summary><c>scale:siScaleCode</c>.</summary>
    public required SiScaleCode Scale { get; init; }
}

/// <summary><c>power:energyReactive</c> (ReactiveEnergy, VARh).</summary>
public sealed record EnergyReactive : ItemBase
{
    /// <summary><c>scale:siScaleCode</c>.</summary>
    public required SiScaleCode Scale { get; init; }
}

/// <summary><c>power:energyApparent</c> (ApparentEnergy, VAh).</summary>
public sealed record EnergyApparent : ItemBase
{
    /// <summary><c>scale:siScaleCode</c>.</summary>
    public required SiScaleCode Scale { get; init; }
}

/// <summary><c>power:voltage</c> (Voltage, V).</summary>
public sealed record VoltageItem : ItemBase
{
    /// <summary><c>scale:siScaleCode</c>.</summary>
    public required SiScaleCode Scale { get; init; }
}

/// <summary><c>oadr:current</c> (Current, A).</summary>
public sealed record CurrentItem : ItemBase
{
    /// <summary><c>scale:siScaleCode</c>.</summary>
    public required SiScaleCode Scale { get; init; }
}

/// <summary><c>oadr:frequency</c> (Frequency, Hz).</summary>
public sealed record FrequencyItem : ItemBase
{
    /// <summary><c>scale:siScaleCode</c>.</summary>
    public required SiScaleCode Scale { get; init; }
}

/// <summary><c>oadr:Therm</c> (Therm, thm).</summary>
public sealed record ThermItem : ItemBase
{
    /// <summary><c>scale:siScaleCode</c>.</summary>
    public required SiScaleCode Scale { get; init; }
}

/// <summary><c>oadr:temperature</c> (celsius or fahrenheit).</summary>
public sealed record TemperatureItem : ItemBase
{
    /// <summary><c>oadr:itemUnits</c>.</summary>
    public required TemperatureUnit Units { get; init; }

    /// <summary><c>scale:siScaleCode</c>.</summary>
    public required SiScaleCode Scale { get; init; }
}

/// <summary><c>oadr:pulseCount</c> (pulse count, count).</summary>
public sealed record PulseCountItem : ItemBase
{
    /// <summary><c>oadr:pulseFactor</c>: units per pulse.</summary>
    public required float PulseFactor { get; init; }
}

/// <summary><c>oadr:currency</c>, <c>oadr:currencyPerKWh</c>, <c>oadr:currencyPerKW</c> or <c>oadr:currencyPerThm</c>.</summary>
public sealed record CurrencyItem : ItemBase
{
    /// <summary>Which of the four elements.</summary>
    public required CurrencyItemKind Kind { get; init; }

    /// <summary><c>oadr:itemDescription</c>.</summary>
    public required CurrencyItemDescription Description { get; init; }

    /// <summary><c>oadr:itemUnits</c>: an ISO 4217 code such as <c>USD</c> or <c>EUR</c>.</summary>
    public required string Currency { get; init; }

    /// <summary><c>scale:siScaleCode</c>.</summary>
    public required SiScaleCode Scale { get; init; }
}

/// <summary><c>oadr:customUnit</c>: any unit the parties agree on.</summary>
public sealed record CustomUnit : ItemBase
{
    /// <summary><c>oadr:itemDescription</c>.</summary>
    public required string ItemDescription { get; init; }

    /// <summary><c>oadr:itemUnits</c>.</summary>
    public required string ItemUnits { get; init; }

    /// <summary><c>scale:siScaleCode</c>.</summary>
    public required SiScaleCode Scale { get; init; }
}

/// <summary><c>oadr:oadrGBDataDescription</c>: GreenButton metadata kept as the raw <c>atom:feed</c>.</summary>
public sealed record OadrGreenButtonDataDescription : ItemBase
{
    /// <summary>The <c>atom:feed</c> element.</summary>
    public required OpaqueXml Feed { get; init; }
}
