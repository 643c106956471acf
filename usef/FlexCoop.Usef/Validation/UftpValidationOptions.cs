namespace FlexCoop.Usef.Validation;

/// <summary>The market agreements and bounds business-rule validation checks against. Immutable; bind from configuration.</summary>
public sealed record UftpValidationOptions
{
    /// <summary>Defaults: UFTP 3.x, Europe/Amsterdam, 15-minute ISPs, 5 minutes of clock tolerance.</summary>
    public static readonly UftpValidationOptions Default = new();

    /// <summary>This participant's domain; when set, RecipientDomain must equal it.</summary>
    public string? OwnDomain { get; init; }

    /// <summary>This participant's role; when set, it must be a recipient role of the message type.</summary>
    public UftpRole? OwnRole { get; init; }

    /// <summary>Major versions accepted (UFTP 3.x: 3).</summary>
    public IReadOnlyList<int> SupportedMajorVersions { get; init; } = [3];

    /// <summary>The market's ISP duration; null accepts any that divides the day.</summary>
    public TimeSpan? AgreedIspDuration { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>The market's time zone; null accepts any known IANA zone.</summary>
    public string? AgreedTimeZone { get; init; } = "Europe/Amsterdam";

    /// <summary>How far in the future a TimeStamp may lie (clock skew).</summary>
    public TimeSpan ClockTolerance { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest absolute power accepted, in watts (default 10 GW).</summary>
    public long MaxAbsolutePowerWatts { get; init; } = 10_000_000_000;

    /// <summary>Largest price accepted (default 1,000,000,000).</summary>
    public decimal MaxPrice { get; init; } = 1_000_000_000m;

    /// <summary>Whether a FlexOffer may carry several mutually exclusive options.</summary>
    public bool MutexOffersSupported { get; init; } = true;

    /// <summary>Whether congestion points must be known (<see cref="IUftpValidationContext.IsCongestionPointKnownAsync"/>).</summary>
    public bool RequireKnownCongestionPoints { get; init; } = true;

    /// <summary>Whether a FlexRequest, FlexOffer or FlexOrder for a day that has passed is rejected.</summary>
    public bool RejectPastPeriods { get; init; } = true;

    /// <summary>
    /// Rules this participant does not check (a market that agreed to waive them, or a test double
    /// that misbehaves on purpose). Empty by default: every rule is checked.
    /// </summary>
    public IReadOnlySet<UftpRule> DisabledRules { get; init; } = new HashSet<UftpRule>();
}
