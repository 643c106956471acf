using FlexCoop.Iec61850.Mms.Client;
using FlexCoop.Iec61850.Model;

namespace FlexCoop.Iec61850.Mms.Acsi;

/// <summary>The ACSI class a <see cref="Iec61850Client.GetLogicalNodeDirectoryAsync"/> lists.</summary>
public enum AcsiClass
{
    DataObject,
    DataSet,
    Brcb,
    Urcb,
    Lcb,
    Log,
    Gocb,
}

/// <summary>One member of a data set: the ACSI reference and FC.</summary>
public sealed record DataSetMemberReference(string Reference, FunctionalConstraint Fc);

/// <summary>
/// An IEC 61850 client with the ACSI service names (IEC 61850-7-2) over MMS (8-1):
/// server/logical device/logical node/data directories, data definitions, GetDataValues and
/// SetDataValues, data set directory, values, creation and deletion.
/// </summary>
public sealed partial class Iec61850Client : IAsyncDisposable
{
    private readonly Dictionary<string, MmsStructureType> _lnTypes = new(StringComparer.Ordinal);

    private Iec61850Client(MmsClient mms)
    {
        Mms = mms;
        mms.InformationReportHandler = OnInformationReport;
    }

    /// <summary>The MMS association underneath (for MMS-level services and raw PDUs).</summary>
    public MmsClient Mms { get; }

    /// <summary>Associates with an IEC 61850 server.</summary>
    public static async Task<Iec61850Client> ConnectAsync(string host, int port = MmsClientOptions.DefaultPort, MmsClientOptions? options = null, CancellationToken cancellationToken = default) =>
        new(await MmsClient.ConnectAsync(host, port, options, cancellationToken).ConfigureAwait(false));

    /// <summary>GetServerDirectory(LOGICAL-DEVICE): the logical device names.</summary>
    public Task<IReadOnlyList<string>> GetServerDirectoryAsync(CancellationToken cancellationToken = default) =>
        Mms.GetDomainNamesAsync(cancellationToken);

    /// <summary>GetLogicalDeviceDirectory: the logical node names of a logical device.</summary>
    public async Task<IReadOnlyList<string>> GetLogicalDeviceDirectoryAsync(string logicalDevice, CancellationToken cancellationToken = default)
    {
        var names = await Mms.GetNameListAsync(MmsObjectClass.NamedVariable, MmsScope.DomainSpecific, logicalDevice, cancellationToken).ConfigureAwait(false);
        return names.Where(n => !n.Contains('$', StringComparison.Ordinal)).ToArray();
    }

    private static (string Ld, string Ln) SplitLn(string reference)
    {
        var slash = reference.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0) throw new ArgumentException($"'{reference}' is not a logical node reference LD/LN", nameof(reference));
        var rest = reference[(slash + 1)..];
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        return (reference[..slash], dot < 0 ? rest : rest[..dot]);
    }

    /// <summary>The MMS type of a logical node (all FCs), cached per association.</summary>
    public async Task<MmsStructureType> GetLogicalNodeTypeAsync(string logicalNodeReference, CancellationToken cancellationToken = default)
    {
        var (ld, ln) = SplitLn(logicalNodeReference);
        var key = ld + "/" + ln;
        lock (_lnTypes)
        {
            if (_lnTypes.TryGetValue(key, out var cached)) return cached;
        }
        var type = await Mms.GetVariableAccessAttributesAsync(ObjectName.Domain(ld, ln), cancellationToken).ConfigureAwait(false) as MmsStructureType
            ?? throw new MmsProtocolException($"'{key}' is not a structure");
        lock (_lnTypes) _lnTypes[key] = type;
        return type;
    }

    /// <summary>GetLogicalNodeDirectory: data objects, data sets, control blocks or logs of a logical node.</summary>
    public async Task<IReadOnlyList<string>> GetLogicalNodeDirectoryAsync(string logicalNodeReference, AcsiClass acsiClass = AcsiClass.DataObject, CancellationToken cancellationToken = default)
    {
        var (ld, ln) = SplitLn(logicalNodeReference);
        switch (acsiClass)
        {
            case AcsiClass.DataSet:
                {
                    var lists = await Mms.GetNameListAsync(MmsObjectClass.NamedVariableList, MmsScope.DomainSpecific, ld, cancellationToken).ConfigureAwait(false);
                    return lists.Where(n => n.StartsWith(ln + "$", StringComparison.Ordinal)).Select(n => n[(ln.Length + 1)..]).ToArray();
                }
            case AcsiClass.Log:
                {
                    var logs = await Mms.GetNameListAsync(MmsObjectClass.Journal, MmsScope.DomainSpecific, ld, cancellationToken).ConfigureAwait(false);
                    return logs.Where(n => n.StartsWith(ln + "$", StringComparison.Ordinal)).Select(n => n[(ln.Length + 1)..]).ToArray();
                }
        }
        var type = await GetLogicalNodeTypeAsync(logicalNodeReference, cancellationToken).ConfigureAwait(false);
        var fcs = acsiClass switch
        {
            AcsiClass.Brcb => ["BR"],
            AcsiClass.Urcb => ["RP"],
            AcsiClass.Lcb => ["LG"],
            AcsiClass.Gocb => ["GO"],
            _ => type.Components.Select(c => c.Name).Where(n => FunctionalConstraints.TryParse(n, out var fc) && fc.IsData()).ToArray(),
        };
        var result = new List<string>();
        foreach (var c in type.Components.Where(c => fcs.Contains(c.Name)))
        {
            if (c.Type is not MmsStructureType s) continue;
            foreach (var m in s.Components)
            {
                // 8-1 puts the setting group control block of LLN0 under SP: it is not a data object
                if (acsiClass == AcsiClass.DataObject && c.Name == "SP" && m.Name == "SGCB" && ln == "LLN0") continue;
                if (!result.Contains(m.Name)) result.Add(m.Name);
            }
        }
        return result;
    }

    /// <summary>GetDataDirectory: the names of the attributes and sub data objects below a data object (all FCs).</summary>
    public async Task<IReadOnlyList<string>> GetDataDirectoryAsync(string dataReference, CancellationToken cancellationToken = default)
    {
        var type = await GetLogicalNodeTypeAsync(dataReference, cancellationToken).ConfigureAwait(false);
        var path = dataReference[(dataReference.IndexOf('/', StringComparison.Ordinal) + 1)..].Split('.').Skip(1).ToArray();
        var result = new List<string>();
        foreach (var fc in type.Components)
        {
            if (Walk(fc.Type, path) is MmsStructureType s)
            {
                foreach (var m in s.Components)
                {
                    if (!result.Contains(m.Name)) result.Add(m.Name);
                }
            }
        }
        if (result.Count == 0 && !type.Components.Any(fc => Walk(fc.Type, path) is not null))
        {
            throw new MmsServiceErrorException(MmsServiceError.ObjectNonExistent($"'{dataReference}' does not exist"));
        }
        return result;
    }

    private static MmsTypeDescription? Walk(MmsTypeDescription type, IReadOnlyList<string> path)
    {
        var t = type;
        foreach (var p in path)
        {
            if (t is not MmsStructureType s) return null;
            t = s.Components.FirstOrDefault(c => c.Name == p)?.Type;
            if (t is null) return null;
        }
        return t;
    }

    /// <summary>GetDataDefinition: the MMS type of <paramref name="reference"/> under <paramref name="fc"/>.</summary>
    public Task<MmsTypeDescription> GetDataDefinitionAsync(string reference, FunctionalConstraint fc, CancellationToken cancellationToken = default) =>
        Mms.GetVariableAccessAttributesAsync(Iec61850MmsMapping.ToObjectName(reference, fc), cancellationToken);

    /// <summary>GetDataValues: the value of <paramref name="reference"/> under <paramref name="fc"/>; a DataAccessError throws.</summary>
    public async Task<MmsValue> GetDataValuesAsync(string reference, FunctionalConstraint fc, CancellationToken cancellationToken = default)
    {
        var result = await Mms.ReadAsync(Iec61850MmsMapping.ToObjectName(reference, fc), cancellationToken).ConfigureAwait(false);
        return result.Value ?? throw new Iec61850DataAccessException(reference, fc, result.Error ?? DataAccessError.ObjectNonExistent);
    }

    /// <summary>GetDataValues of several references in one MMS read.</summary>
    public Task<IReadOnlyList<AccessResult>> GetDataValuesAsync(IReadOnlyList<(string Reference, FunctionalConstraint Fc)> references, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(references);
        return Mms.ReadAsync(references.Select(r => Iec61850MmsMapping.ToObjectName(r.Reference, r.Fc)).ToArray(), cancellationToken);
    }

    /// <summary>SetDataValues: writes <paramref name="value"/>; a DataAccessError throws.</summary>
    public async Task SetDataValuesAsync(string reference, FunctionalConstraint fc, MmsValue value, CancellationToken cancellationToken = default)
    {
        var error = await Mms.WriteAsync(Iec61850MmsMapping.ToObjectName(reference, fc), value, cancellationToken).ConfigureAwait(false);
        if (error is { } e) throw new Iec61850DataAccessException(reference, fc, e);
    }

    private static ObjectName DataSetName(string dataSetReference)
    {
        var slash = dataSetReference.IndexOf('/', StringComparison.Ordinal);
        var dot = dataSetReference.LastIndexOf('.');
        if (slash <= 0 || dot < slash) throw new ArgumentException($"'{dataSetReference}' is not a data set reference LD/LN.DataSet", nameof(dataSetReference));
        return ObjectName.Domain(dataSetReference[..slash], dataSetReference[(slash + 1)..dot] + "$" + dataSetReference[(dot + 1)..]);
    }

    /// <summary>GetDataSetDirectory: the members (reference and FC) of a data set <c>LD/LN.DataSet</c>.</summary>
    public async Task<IReadOnlyList<DataSetMemberReference>> GetDataSetDirectoryAsync(string dataSetReference, CancellationToken cancellationToken = default)
    {
        var attrs = await Mms.GetNamedVariableListAttributesAsync(DataSetName(dataSetReference), cancellationToken).ConfigureAwait(false);
        return attrs.Variables.Select(v => Iec61850MmsMapping.FromObjectName(v) is { } r
            ? new DataSetMemberReference(r.Reference, r.Fc)
            : throw new MmsProtocolException($"data set member '{v}' is not an IEC 61850 name")).ToArray();
    }

    /// <summary>GetDataSetValues: the values of the members in order (failed members are errors).</summary>
    public Task<IReadOnlyList<AccessResult>> GetDataSetValuesAsync(string dataSetReference, CancellationToken cancellationToken = default) =>
        Mms.ReadNamedVariableListAsync(DataSetName(dataSetReference), cancellationToken);

    /// <summary>CreateDataSet: a persistent (domain) data set <c>LD/LN.Name</c> of the given members.</summary>
    public Task CreateDataSetAsync(string dataSetReference, IReadOnlyList<DataSetMemberReference> members, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(members);
        return Mms.DefineNamedVariableListAsync(DataSetName(dataSetReference), members.Select(m => Iec61850MmsMapping.ToObjectName(m.Reference, m.Fc)).ToArray(), cancellationToken);
    }

    /// <summary>DeleteDataSet; false when the server did not delete it (not deletable or absent).</summary>
    public async Task<bool> DeleteDataSetAsync(string dataSetReference, CancellationToken cancellationToken = default)
    {
        var result = await Mms.DeleteNamedVariableListAsync([DataSetName(dataSetReference)], cancellationToken).ConfigureAwait(false);
        return result.NumberDeleted == 1;
    }

    /// <summary>Enables (or disables) a report control block <c>LD/LN.rcbName</c> of FC BR or RP; reports then arrive in <see cref="ReadReportAsync"/>.</summary>
    public Task EnableReportingAsync(string rcbReference, FunctionalConstraint fc, bool enable = true, CancellationToken cancellationToken = default) =>
        SetDataValuesAsync(rcbReference + ".RptEna", fc, new MmsBoolean(enable), cancellationToken);

    /// <summary>Asks an enabled report control block for a general interrogation (a report of every data set member).</summary>
    public Task GeneralInterrogationAsync(string rcbReference, FunctionalConstraint fc, CancellationToken cancellationToken = default) =>
        SetDataValuesAsync(rcbReference + ".GI", fc, new MmsBoolean(true), cancellationToken);

    private readonly Iec61850ReportAssembler _segments = new();

    /// <summary>
    /// The next report received (informationReports that are not reports are skipped); a segmented report
    /// is returned once all its segments have arrived, as one report.
    /// </summary>
    public async Task<Iec61850Report> ReadReportAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            InformationReportPdu pdu;
            try
            {
                pdu = await Mms.InformationReports.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (System.Threading.Channels.ChannelClosedException ex)
            {
                throw new MmsProtocolException("the association ended before a report arrived", ex);
            }
            if (Iec61850Report.Parse(pdu) is { } segment && _segments.Add(segment) is { } report) return report;
        }
    }

    /// <summary>Ends the association (conclude and ACSE release).</summary>
    public Task ReleaseAsync(CancellationToken cancellationToken = default) => Mms.ReleaseAsync(cancellationToken);

    public Task AbortAsync(CancellationToken cancellationToken = default) => Mms.AbortAsync(cancellationToken);

    public ValueTask DisposeAsync() => Mms.DisposeAsync();
}

/// <summary>A GetDataValues or SetDataValues element failed with a DataAccessError.</summary>
public sealed class Iec61850DataAccessException : MmsException
{
    public Iec61850DataAccessException(string reference, FunctionalConstraint fc, DataAccessError error)
        : base($"{reference} [{fc}]: {error}")
    {
        Reference = reference;
        Fc = fc;
        Error = error;
    }

    public string Reference { get; }
    public FunctionalConstraint Fc { get; }
    public DataAccessError Error { get; }
}
