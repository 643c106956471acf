namespace FlexCoop.Iec61850.Mms.Acsi;

/// <summary>
/// Deliberate defects an <see cref="Iec61850Server"/> can be started with, so that a conformance suite
/// can be shown to catch them (<c>flexcoop iec61850 serve MODEL --fault NAME</c>). Never for production.
/// </summary>
[Flags]
public enum Iec61850ServerFaults
{
    None = 0,

    /// <summary>One logical node that no data set refers to (the last) is left out of the served model: directories differ from SCL.</summary>
    WrongDirectory = 1 << 0,

    /// <summary>Clients may write status (ST) and measured (MX) values.</summary>
    WriteAllowedOnSt = 1 << 1,

    /// <summary>Any client may change an RCB another client has enabled.</summary>
    NoRcbReservation = 1 << 2,

    /// <summary>A general interrogation request is acknowledged but no report is sent.</summary>
    GiIgnored = 1 << 3,

    /// <summary>Enhanced-security operates get no CommandTermination.</summary>
    NoCommandTermination = 1 << 4,

    /// <summary>A PDU that does not decode stops the whole server (every association), as some stacks crash.</summary>
    CrashOnBadPdu = 1 << 5,

    /// <summary>SelectActiveSG is acknowledged but the active group's values do not change.</summary>
    SettingGroupIgnored = 1 << 6,

    /// <summary>Data changes (dchg) of data set members are neither reported nor buffered.</summary>
    NoDataChangeReports = 1 << 7,

    /// <summary>A BRCB whose buffer overflowed never says so: BufOvfl stays false.</summary>
    NoBufferOverflowFlag = 1 << 8,

    /// <summary>An Operate with the Test flag set acts on the process like a real one.</summary>
    TestFlagOperates = 1 << 9,

    /// <summary>QueryLogAfter (ReadJournal with entryToStartAfter) answers from the start of the log.</summary>
    LogQueryAfterIgnored = 1 << 10,

    /// <summary>
    /// A data set member that designates nothing stops the whole server when the data set's directory is asked for, as
    /// libiec61850 servers do: CreateDataSet accepts members that do not exist, and GetDataSetDirectory of such a data
    /// set, or of an SCL data set with an FCDA that did not resolve, crashes the server.
    /// </summary>
    CrashOnUnresolvedFcda = 1 << 11,
}

/// <summary>The command-line names of <see cref="Iec61850ServerFaults"/>.</summary>
public static class Iec61850ServerFaultNames
{
    /// <summary>Name → fault, as <c>--fault</c> takes them.</summary>
    public static IReadOnlyDictionary<string, Iec61850ServerFaults> All { get; } = new Dictionary<string, Iec61850ServerFaults>(StringComparer.Ordinal)
    {
        ["wrong-directory"] = Iec61850ServerFaults.WrongDirectory,
        ["write-allowed-on-st"] = Iec61850ServerFaults.WriteAllowedOnSt,
        ["no-rcb-reservation"] = Iec61850ServerFaults.NoRcbReservation,
        ["gi-ignored"] = Iec61850ServerFaults.GiIgnored,
        ["no-command-termination"] = Iec61850ServerFaults.NoCommandTermination,
        ["crash-on-bad-pdu"] = Iec61850ServerFaults.CrashOnBadPdu,
        ["setting-group-ignored"] = Iec61850ServerFaults.SettingGroupIgnored,
        ["no-dchg-reports"] = Iec61850ServerFaults.NoDataChangeReports,
        ["no-buffer-overflow-flag"] = Iec61850ServerFaults.NoBufferOverflowFlag,
        ["test-flag-operates"] = Iec61850ServerFaults.TestFlagOperates,
        ["log-query-after-ignored"] = Iec61850ServerFaults.LogQueryAfterIgnored,
        ["crash-on-unresolved-fcda"] = Iec61850ServerFaults.CrashOnUnresolvedFcda,
    };
}
