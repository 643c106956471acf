using System.Text.RegularExpressions;

namespace FlexCoop.Usef;

/// <summary>A USEF role in UFTP 3.x (<c>USEF-RoleType</c>).</summary>
public enum UftpRole
{
    /// <summary>Aggregator.</summary>
    AGR,
    /// <summary>Common Reference Operator.</summary>
    CRO,
    /// <summary>Distribution System Operator.</summary>
    DSO,
}

/// <summary><c>AcceptedRejectedType</c>: the Result of every response.</summary>
public enum AcceptedRejected
{
    Accepted,
    Rejected,
}

/// <summary><c>AvailableRequestedType</c>: the Disposition of a FlexRequest ISP.</summary>
public enum AvailableRequested
{
    Available,
    Requested,
}

/// <summary><c>AcceptedDisputedType</c>: the Disposition of a FlexOrderSettlementStatus.</summary>
public enum AcceptedDisputed
{
    Accepted,
    Disputed,
}

/// <summary><c>RedispatchByType</c>: who redispatches on a congestion point.</summary>
public enum RedispatchBy
{
    AGR,
    DSO,
}

/// <summary><c>MeteringUnitType</c>.</summary>
public enum MeteringUnit
{
    /// <summary>kW, for Power profiles.</summary>
    kW,
    /// <summary>kWh, for energy profiles and meter readings.</summary>
    kWh,
}

/// <summary><c>MeteringProfileEnum</c>.</summary>
public enum MeteringProfileType
{
    Power,
    ImportEnergy,
    ExportEnergy,
    ImportMeterReading,
    ExportMeterReading,
}

/// <summary>
/// An Entity Address (<c>EntityAddressType</c>): <c>ea1.YYYY-MM.naming-authority:local-part</c>
/// or <c>ean.</c> followed by 12 to 34 digits (an EAN-18 connection or congestion point code).
/// </summary>
public sealed partial record EntityAddress
{
    private EntityAddress(string value) => Value = value;

    /// <summary>The address as written on the wire.</summary>
    public string Value { get; }

    /// <summary>True for the <c>ean.</c> form.</summary>
    public bool IsEan => Value.StartsWith("ean.", StringComparison.Ordinal);

    /// <summary>Parses an address; false when it does not match the schema's pattern.</summary>
    public static bool TryParse(string? value, out EntityAddress? address)
    {
        if (value is not null && value.Length <= 512 && Pattern().IsMatch(value))
        {
            address = new EntityAddress(value);
            return true;
        }
        address = null;
        return false;
    }

    /// <summary>Parses an address or throws <see cref="FormatException"/>.</summary>
    public static EntityAddress Parse(string value) =>
        TryParse(value, out var a) ? a! : throw new FormatException($"'{value}' is not an EntityAddress (ea1.YYYY-MM.authority:id or ean.<12-34 digits>)");

    /// <summary>An <c>ean.</c> address for an EAN code of 12 to 34 digits (EAN-18 for Dutch connections).</summary>
    public static EntityAddress FromEan(string digits) => Parse("ean." + digits);

    public override string ToString() => Value;

    [GeneratedRegex(@"^(ea1\.[0-9]{4}-[0-9]{2}\.[^\n\r]{1,244}:[^\n\r]{1,244}|ean\.[0-9]{12,34})\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

/// <summary>Lexical checks of the simple types in <c>UFTP-common.xsd</c>.</summary>
public static partial class UftpSimpleTypes
{
    /// <summary>The UFTP version this library writes.</summary>
    public const string CurrentVersion = "3.1.0";

    /// <summary><c>InternetDomainType</c>: lower-case labels and a top-level domain of 2+ letters.</summary>
    public static bool IsInternetDomain(string? value) => value is { Length: > 0 and <= 253 } && DomainPattern().IsMatch(value);

    /// <summary><c>SpecVersion</c>: <c>major.minor.patch</c>.</summary>
    public static bool IsSpecVersion(string? value) => value is { Length: > 0 and <= 64 } && VersionPattern().IsMatch(value);

    /// <summary><c>ISO4217CurrencyType</c>: three upper-case letters.</summary>
    public static bool IsCurrency(string? value) => value is { Length: 3 } && value.All(c => c is >= 'A' and <= 'Z');

    /// <summary><c>TimeZoneNameType</c>: an IANA id in the Africa, America, Australia, Europe or Pacific areas.</summary>
    public static bool IsTimeZoneName(string? value) => value is { Length: > 0 and <= 128 } && TimeZonePattern().IsMatch(value);

    /// <summary><c>EANType</c> of the Metering message: E followed by 16 digits (3.1.0) or 18 (the later fix); both are accepted.</summary>
    public static bool IsMeteringEan(string? value) => value is { Length: 17 or 19 } && MeteringEanPattern().IsMatch(value);

    [GeneratedRegex(@"^([a-z0-9]+(-[a-z0-9]+)*\.)+[a-z]{2,}\z", RegexOptions.CultureInvariant)]
    private static partial Regex DomainPattern();

    [GeneratedRegex(@"^\d+\.\d+\.\d+\z", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();

    [GeneratedRegex(@"^(Africa|America|Australia|Europe|Pacific)/[a-zA-Z0-9_/]{3,}\z", RegexOptions.CultureInvariant)]
    private static partial Regex TimeZonePattern();

    [GeneratedRegex(@"^[Ee]([0-9]{16}|[0-9]{18})\z", RegexOptions.CultureInvariant)]
    private static partial Regex MeteringEanPattern();
}
