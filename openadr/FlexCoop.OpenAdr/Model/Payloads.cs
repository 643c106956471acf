using System.Globalization;

namespace FlexCoop.OpenAdr.Model;

/// <summary>A member of <c>strm:streamPayloadBase</c>: what an interval carries.</summary>
public abstract record StreamPayload
{
    private protected StreamPayload() { }
}

/// <summary><c>ei:signalPayload</c>: the value of an event signal in one interval.</summary>
public sealed record SignalPayload : StreamPayload
{
    /// <summary>The payload (<c>ei:payloadFloat</c> in events).</summary>
    public required PayloadBase Payload { get; init; }
}

/// <summary><c>oadr:oadrReportPayload</c>: one data point of a report.</summary>
public sealed record OadrReportPayload : StreamPayload
{
    /// <summary><c>ei:rID</c>: which report description this point belongs to.</summary>
    public required string RId { get; init; }

    /// <summary><c>ei:confidence</c>, 0-100, optional.</summary>
    public uint? Confidence { get; init; }

    /// <summary><c>ei:accuracy</c>, optional.</summary>
    public float? Accuracy { get; init; }

    /// <summary>The value: <c>ei:payloadFloat</c> or <c>oadr:oadrPayloadResourceStatus</c>.</summary>
    public required PayloadBase Payload { get; init; }

    /// <summary><c>oadr:oadrDataQuality</c>, optional.</summary>
    public DataQuality? DataQuality { get; init; }
}

/// <summary><c>oadr:oadrGBPayload</c>: GreenButton data kept as the raw <c>atom:feed</c>.</summary>
public sealed record OadrGreenButtonPayload : StreamPayload
{
    /// <summary>The <c>atom:feed</c> element.</summary>
    public required OpaqueXml Feed { get; init; }
}

/// <summary>A member of <c>ei:payloadBase</c>.</summary>
public abstract record PayloadBase
{
    private protected PayloadBase() { }
}

/// <summary>
/// <c>ei:payloadFloat</c>. The wire type is <c>xs:float</c> (32-bit binary floating point), including for
/// prices, so the value is a <see cref="float"/>: a <see cref="decimal"/> would claim a precision the wire
/// cannot carry. <see cref="ToDecimal"/> gives the decimal a person wrote (1.2 → 1.2m) for money arithmetic.
/// </summary>
public sealed record PayloadFloat : PayloadBase
{
    /// <summary>The value.</summary>
    public required float Value { get; init; }

    /// <summary>A payload with this value.</summary>
    public static PayloadFloat Of(float value) => new() { Value = value };

    /// <summary>
    /// The value as the shortest decimal that reads back to the same float (e.g. 0.1f → 0.1m), for prices.
    /// Throws <see cref="OverflowException"/> for NaN, infinities and values beyond decimal's range.
    /// </summary>
    public decimal ToDecimal()
    {
        if (!float.IsFinite(Value)) throw new OverflowException($"{Value} has no decimal value");
        return decimal.Parse(Value.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}

/// <summary><c>oadr:oadrPayloadResourceStatus</c>: a resource's status in a <c>TELEMETRY_STATUS</c> report.</summary>
public sealed record OadrPayloadResourceStatus : PayloadBase
{
    /// <summary><c>oadr:oadrOnline</c>.</summary>
    public required bool Online { get; init; }

    /// <summary><c>oadr:oadrManualOverride</c>.</summary>
    public required bool ManualOverride { get; init; }

    /// <summary><c>oadr:oadrLoadControlState</c>, optional.</summary>
    public OadrLoadControlState? LoadControlState { get; init; }
}

/// <summary><c>oadr:oadrLoadControlState</c>: the state of each kind of load control the resource supports.</summary>
public sealed record OadrLoadControlState
{
    /// <summary><c>oadr:oadrCapacity</c>.</summary>
    public LoadControlStateValue? Capacity { get; init; }

    /// <summary><c>oadr:oadrLevelOffset</c>.</summary>
    public LoadControlStateValue? LevelOffset { get; init; }

    /// <summary><c>oadr:oadrPercentOffset</c>.</summary>
    public LoadControlStateValue? PercentOffset { get; init; }

    /// <summary><c>oadr:oadrSetPoint</c>.</summary>
    public LoadControlStateValue? SetPoint { get; init; }
}

/// <summary><c>oadr:oadrLoadControlStateTypeType</c>: min, max, current and normal value of one control.</summary>
public sealed record LoadControlStateValue
{
    /// <summary><c>oadr:oadrMin</c>, optional.</summary>
    public float? Min { get; init; }

    /// <summary><c>oadr:oadrMax</c>, optional.</summary>
    public float? Max { get; init; }

    /// <summary><c>oadr:oadrCurrent</c>.</summary>
    public required float Current { get; init; }

    /// <summary><c>oadr:oadrNormal</c>, optional.</summary>
    public float? Normal { get; init; }
}
