namespace FlexCoop.OpenAdr.Model;

// Closed lists of the 2.0b schema. Each member's wire text is given by OadrVocabulary (Codec) and in the
// member's summary.

/// <summary><c>ei:eventStatus</c>.</summary>
public enum EventStatus
{
    /// <summary><c>none</c>: no event pending.</summary>
    None,
    /// <summary><c>far</c>: event pending in the far future.</summary>
    Far,
    /// <summary><c>near</c>: event pending in the near future.</summary>
    Near,
    /// <summary><c>active</c>: the event has started.</summary>
    Active,
    /// <summary><c>completed</c>: the event has ended.</summary>
    Completed,
    /// <summary><c>cancelled</c>: the event was cancelled.</summary>
    Cancelled,
}

/// <summary><c>ei:optType</c>.</summary>
public enum OptType
{
    /// <summary><c>optIn</c>.</summary>
    OptIn,
    /// <summary><c>optOut</c>.</summary>
    OptOut,
}

/// <summary><c>oadr:oadrResponseRequired</c>.</summary>
public enum ResponseRequired
{
    /// <summary><c>always</c>: the VEN answers with <c>oadrCreatedEvent</c>.</summary>
    Always,
    /// <summary><c>never</c>.</summary>
    Never,
}

/// <summary><c>oadr:oadrProfileName</c>: the OpenADR profile.</summary>
public enum OadrProfileName
{
    /// <summary><c>2.0a</c>.</summary>
    Profile20a,
    /// <summary><c>2.0b</c>.</summary>
    Profile20b,
}

/// <summary><c>oadr:oadrTransportName</c>.</summary>
public enum OadrTransportName
{
    /// <summary><c>simpleHttp</c>.</summary>
    SimpleHttp,
    /// <summary><c>xmpp</c>.</summary>
    Xmpp,
}

/// <summary><c>oadr:oadrServiceName</c>.</summary>
public enum OadrServiceName
{
    /// <summary><c>EiEvent</c>.</summary>
    EiEvent,
    /// <summary><c>EiOpt</c>.</summary>
    EiOpt,
    /// <summary><c>EiReport</c>.</summary>
    EiReport,
    /// <summary><c>EiRegisterParty</c>.</summary>
    EiRegisterParty,
    /// <summary><c>OadrPoll</c>.</summary>
    OadrPoll,
}

/// <summary><c>ei:signalType</c> (a closed list in 2.0b, including its <c>x-loadControl...</c> members).</summary>
public enum SignalType
{
    /// <summary><c>delta</c>.</summary>
    Delta,
    /// <summary><c>level</c>.</summary>
    Level,
    /// <summary><c>multiplier</c>.</summary>
    Multiplier,
    /// <summary><c>price</c>.</summary>
    Price,
    /// <summary><c>priceMultiplier</c>.</summary>
    PriceMultiplier,
    /// <summary><c>priceRelative</c>.</summary>
    PriceRelative,
    /// <summary><c>setpoint</c>.</summary>
    Setpoint,
    /// <summary><c>x-loadControlCapacity</c>.</summary>
    LoadControlCapacity,
    /// <summary><c>x-loadControlLevelOffset</c>.</summary>
    LoadControlLevelOffset,
    /// <summary><c>x-loadControlPercentOffset</c>.</summary>
    LoadControlPercentOffset,
    /// <summary><c>x-loadControlSetpoint</c>.</summary>
    LoadControlSetpoint,
}

/// <summary><c>scale:siScaleCode</c>: the SI prefix applied to an item's unit.</summary>
public enum SiScaleCode
{
    /// <summary><c>none</c> (10^0).</summary>
    None,
    /// <summary><c>p</c> (10^-12).</summary>
    Pico,
    /// <summary><c>n</c> (10^-9).</summary>
    Nano,
    /// <summary><c>micro</c> (10^-6).</summary>
    Micro,
    /// <summary><c>m</c> (10^-3).</summary>
    Milli,
    /// <summary><c>c</c> (10^-2).</summary>
    Centi,
    /// <summary><c>d</c> (10^-1).</summary>
    Deci,
    /// <summary><c>k</c> (10^3).</summary>
    Kilo,
    /// <summary><c>M</c> (10^6).</summary>
    Mega,
    /// <summary><c>G</c> (10^9).</summary>
    Giga,
    /// <summary><c>T</c> (10^12).</summary>
    Tera,
}

/// <summary>The unit of <c>oadr:temperature</c>.</summary>
public enum TemperatureUnit
{
    /// <summary><c>celsius</c>.</summary>
    Celsius,
    /// <summary><c>fahrenheit</c>.</summary>
    Fahrenheit,
}

/// <summary>The unit of <c>power:powerReal</c>.</summary>
public enum RealPowerUnit
{
    /// <summary><c>W</c>.</summary>
    Watt,
    /// <summary><c>J/s</c>.</summary>
    JoulePerSecond,
}

/// <summary>Which currency element carries a <see cref="CurrencyItem"/>.</summary>
public enum CurrencyItemKind
{
    /// <summary><c>oadr:currency</c>.</summary>
    Currency,
    /// <summary><c>oadr:currencyPerKWh</c>.</summary>
    CurrencyPerKWh,
    /// <summary><c>oadr:currencyPerKW</c>.</summary>
    CurrencyPerKW,
    /// <summary><c>oadr:currencyPerThm</c>.</summary>
    CurrencyPerThm,
}

/// <summary>The <c>itemDescription</c> of a currency item.</summary>
public enum CurrencyItemDescription
{
    /// <summary><c>currency</c>.</summary>
    Currency,
    /// <summary><c>currencyPerKW</c>.</summary>
    CurrencyPerKW,
    /// <summary><c>currencyPerKWh</c>.</summary>
    CurrencyPerKWh,
}
