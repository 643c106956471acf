namespace FlexCoop.Iec61850.Scl;

/// <summary><c>DataSet</c>: an ordered list of FCDAs.</summary>
public sealed record SclDataSet
{
    public required string Name { get; init; }
    public string? Desc { get; init; }
    public IReadOnlyList<SclFcda> Members { get; init; } = [];
    public SclPosition Position { get; init; }
}

/// <summary>
/// <c>FCDA</c>: a functionally constrained data (no <see cref="DaName"/>) or data attribute.
/// <see cref="DoName"/> and <see cref="DaName"/> may be dotted paths (<c>PhV.phsA</c>, <c>mag.f</c>).
/// </summary>
public sealed record SclFcda
{
    public string? LdInst { get; init; }
    public string Prefix { get; init; } = "";
    public string? LnClass { get; init; }
    public string LnInst { get; init; } = "";
    public string? DoName { get; init; }
    public string? DaName { get; init; }

    /// <summary><c>fc</c> as written.</summary>
    public required string Fc { get; init; }
    public string? Ix { get; init; }
    public SclPosition Position { get; init; }

    /// <summary><c>ldInst/prefix lnClass lnInst.doName.daName [fc]</c>, for messages.</summary>
    public override string ToString() =>
        $"{LdInst}/{Prefix}{LnClass}{LnInst}.{DoName}{(DaName is { Length: > 0 } ? "." + DaName : "")} [{Fc}]";
}

/// <summary><c>TrgOps</c>: what triggers a report or log entry.</summary>
public sealed record SclTrgOps(bool Dchg, bool Qchg, bool Dupd, bool Period, bool Gi)
{
    /// <summary>All false: the value when the element is absent.</summary>
    public static readonly SclTrgOps None = new(false, false, false, false, false);

    /// <summary>The set options by their SCL names, e.g. <c>dchg qchg gi</c>; <c>none</c> when none is set.</summary>
    public override string ToString() => Flags((Dchg, "dchg"), (Qchg, "qchg"), (Dupd, "dupd"), (Period, "period"), (Gi, "gi"));

    internal static string Flags(params (bool Set, string Name)[] flags)
    {
        var set = flags.Where(f => f.Set).Select(f => f.Name).ToArray();
        return set.Length == 0 ? "none" : string.Join(' ', set);
    }
}

/// <summary><c>OptFields</c>: the optional fields a report carries.</summary>
public sealed record SclOptFields(bool SeqNum, bool TimeStamp, bool DataSet, bool ReasonCode, bool DataRef, bool EntryId, bool ConfigRef, bool BufOvfl, bool Segmentation)
{
    /// <summary>All false: the value when the element is absent.</summary>
    public static readonly SclOptFields None = new(false, false, false, false, false, false, false, false, false);

    /// <summary>The set fields by their SCL names, e.g. <c>seqNum timeStamp dataSet</c>; <c>none</c> when none is set.</summary>
    public override string ToString() => SclTrgOps.Flags((SeqNum, "seqNum"), (TimeStamp, "timeStamp"), (DataSet, "dataSet"), (ReasonCode, "reasonCode"),
        (DataRef, "dataRef"), (EntryId, "entryID"), (ConfigRef, "configRef"), (BufOvfl, "bufOvfl"), (Segmentation, "segmentation"));
}

/// <summary><c>ReportControl</c>: a buffered or unbuffered report control block.</summary>
public sealed record SclReportControl
{
    public required string Name { get; init; }
    public string? Desc { get; init; }
    public string? DatSet { get; init; }

    /// <summary><c>rptID</c>; when empty the report identifier is the control block's reference.</summary>
    public string? RptId { get; init; }
    public uint ConfRev { get; init; }
    public bool Buffered { get; init; }

    /// <summary><c>bufTime</c> in milliseconds.</summary>
    public uint BufTime { get; init; }

    /// <summary><c>intgPd</c> in milliseconds.</summary>
    public uint IntgPd { get; init; }

    /// <summary><c>indexed</c> (default true): instances are named <c>name01</c>, <c>name02</c>, ...</summary>
    public bool Indexed { get; init; } = true;
    public SclTrgOps TrgOps { get; init; } = SclTrgOps.None;
    public SclOptFields OptFields { get; init; } = SclOptFields.None;

    /// <summary><c>RptEnabled max</c> (default 1): how many client instances exist.</summary>
    public uint RptEnabledMax { get; init; } = 1;
    public SclPosition Position { get; init; }
}

/// <summary><c>LogControl</c>: a log control block.</summary>
public sealed record SclLogControl
{
    public required string Name { get; init; }
    public string? Desc { get; init; }
    public string? DatSet { get; init; }
    public uint IntgPd { get; init; }
    public string? LdInst { get; init; }
    public string Prefix { get; init; } = "";

    /// <summary>LN class holding the log (default <c>LLN0</c>).</summary>
    public string LnClass { get; init; } = "LLN0";
    public string LnInst { get; init; } = "";
    public required string LogName { get; init; }
    public bool LogEna { get; init; } = true;
    public bool ReasonCode { get; init; } = true;
    public uint BufTime { get; init; }
    public SclTrgOps TrgOps { get; init; } = SclTrgOps.None;
    public SclPosition Position { get; init; }
}

/// <summary><c>GSEControl</c>: a GOOSE (or GSSE) control block.</summary>
public sealed record SclGseControl
{
    public required string Name { get; init; }
    public string? Desc { get; init; }
    public string? DatSet { get; init; }
    public uint ConfRev { get; init; }

    /// <summary><c>appID</c>: the GoID.</summary>
    public required string AppId { get; init; }

    /// <summary><c>type</c>: <c>GOOSE</c> (default) or <c>GSSE</c>.</summary>
    public string Type { get; init; } = "GOOSE";
    public bool FixedOffs { get; init; }
    public SclPosition Position { get; init; }
}

/// <summary><c>SMVControl</c>: a sampled value control block.</summary>
public sealed record SclSmvControl
{
    public required string Name { get; init; }
    public string? Desc { get; init; }
    public string? DatSet { get; init; }
    public uint ConfRev { get; init; }
    public required string SmvId { get; init; }
    public uint SmpRate { get; init; }
    public uint NofAsdu { get; init; }

    /// <summary><c>multicast</c> (default true): an MSVCB, else a USVCB.</summary>
    public bool Multicast { get; init; } = true;

    /// <summary><c>smpMod</c>: <c>SmpPerPeriod</c> (default), <c>SmpPerSec</c> or <c>SecPerSmp</c>.</summary>
    public string SmpMod { get; init; } = "SmpPerPeriod";
    public SclSmvOpts SmvOpts { get; init; } = SclSmvOpts.None;
    public SclPosition Position { get; init; }
}

/// <summary><c>SmvOpts</c>: optional fields of sampled value messages.</summary>
public sealed record SclSmvOpts(bool RefreshTime, bool SampleSynchronized, bool SampleRate, bool DataSet, bool Security)
{
    public static readonly SclSmvOpts None = new(false, false, false, false, false);

    /// <summary>The set options by their SCL names; <c>none</c> when none is set.</summary>
    public override string ToString() => SclTrgOps.Flags((RefreshTime, "refreshTime"), (SampleSynchronized, "sampleSynchronized"),
        (SampleRate, "sampleRate"), (DataSet, "dataSet"), (Security, "security"));
}

/// <summary><c>SettingControl</c>: the setting group control block of LLN0.</summary>
public sealed record SclSettingControl
{
    public uint NumOfSGs { get; init; }

    /// <summary><c>actSG</c> (default 1).</summary>
    public uint ActSG { get; init; } = 1;

    /// <summary><c>resvTms</c> in seconds, Edition 2.</summary>
    public uint? ResvTms { get; init; }
    public string? Desc { get; init; }
    public SclPosition Position { get; init; }
}
