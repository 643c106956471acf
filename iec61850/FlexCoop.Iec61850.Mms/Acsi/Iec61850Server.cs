using System.Net;
using FlexCoop.Iec61850.Mms.Goose;
using FlexCoop.Iec61850.Mms.Server;
using FlexCoop.Iec61850.Model;

namespace FlexCoop.Iec61850.Mms.Acsi;

/// <summary>
/// Serves an <see cref="IedModel"/> over MMS with the 8-1 mapping. The host updates values with
/// <see cref="SetDataValue"/> (e.g. a measurement with its quality and timestamp); enabled report
/// control blocks report those changes (dchg, qchg) and answer general interrogations.
/// </summary>
public sealed class Iec61850Server : IAsyncDisposable
{
    /// <param name="model">The IED to serve.</param>
    /// <param name="options">MMS server settings (associations, password, file store...).</param>
    /// <param name="controlHandler">Checks and executes control operations; by default <see cref="MirrorControlHandler"/>.</param>
    /// <param name="faults">Deliberate defects for testing conformance suites; none by default.</param>
    public Iec61850Server(IedModel model, MmsServerOptions? options = null, IIec61850ControlHandler? controlHandler = null, Iec61850ServerFaults faults = Iec61850ServerFaults.None)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        Faults = faults;
        options ??= new MmsServerOptions();
        if (options.ModelName == new MmsServerOptions().ModelName) options = options with { ModelName = model.Ied.Type ?? model.Name };
        // SQLite is opened only for a model with logs, or when the host names a database file: a server without
        // logs does not load it (the VMD still opens an in-memory store should the host append to a journal).
        var hasLogs = model.LogicalDevices.Any(ld => ld.LogicalNodes.Any(ln => ln.Logs.Count > 0));
        _journalStore = hasLogs || options.JournalDatabase is not null ? new MmsJournalStore(options.JournalDatabase, options.JournalCapacity) : null;
        var vmd = Iec61850MmsMapping.BuildVmd(model, faults, _journalStore);
        _reports = new Iec61850ReportEngine(model, vmd, faults);
        _logs = new Iec61850LogEngine(model, vmd);
        _settingGroups = new Iec61850SettingGroupEngine(model, vmd, faults);
        Mms = new MmsServer(vmd, options)
        {
            WriteHandler = OnWrite,
            Written = OnWritten,
            MalformedPdu = faults.HasFlag(Iec61850ServerFaults.CrashOnBadPdu) ? (_, _) => Mms!.Crash() : null,
            IgnoreEntryToStartAfter = faults.HasFlag(Iec61850ServerFaults.LogQueryAfterIgnored),
            CrashOnUnresolvedListMember = faults.HasFlag(Iec61850ServerFaults.CrashOnUnresolvedFcda) ? DataSetsWithUnresolvedFcdas(model).Contains : null,
        };
        _controls = new Iec61850ControlEngine(this, vmd, controlHandler ?? new MirrorControlHandler(), faults);
    }

    /// <summary>The MMS names of the data sets of which some SCL FCDA designated nothing (served with the members that resolved).</summary>
    private static HashSet<ObjectName> DataSetsWithUnresolvedFcdas(IedModel model) =>
        model.DataSets.Where(d => d.Members.Count < d.Source.Members.Count)
            .Select(d => ObjectName.Domain(d.LogicalNode.LogicalDevice.MmsDomainName, d.MmsItemId)).ToHashSet();

    private readonly MmsJournalStore? _journalStore;
    private readonly Iec61850ReportEngine _reports;
    private readonly Iec61850LogEngine _logs;
    private readonly Iec61850SettingGroupEngine _settingGroups;
    private readonly Iec61850ControlEngine _controls;

    /// <summary>The deliberate defects this server was started with.</summary>
    public Iec61850ServerFaults Faults { get; }

    /// <summary>Reports a buffered report control block keeps while disabled; one more and the next report says BufOvfl.</summary>
    public const int ReportBufferCapacity = Iec61850ReportEngine.BufferCapacity;

    /// <summary>The controllable data objects (<c>LD/LN.DO</c> with CO attributes).</summary>
    public IEnumerable<string> ControlObjects => _controls.ControlObjects;

    private DataAccessError? OnWrite(MmsWriteContext context)
    {
        var error = _controls.OnWrite(context, out var handled);
        if (handled) return error;
        error = _settingGroups.OnWrite(context, out handled);
        if (handled) return error;
        error = _logs.OnWrite(context, out handled);
        if (handled) return error;
        return _reports.OnWrite(context, out _);
    }

    private void OnWritten(MmsWriteContext context)
    {
        _reports.OnWritten(context);
        _settingGroups.OnWritten(context);
        _logs.OnWritten(context);
        Volatile.Read(ref _goose)?.OnWritten(context);
    }

    public IedModel Model { get; }

    /// <summary>The MMS server underneath (associations, raw value store).</summary>
    public MmsServer Mms { get; }

    public IPEndPoint LocalEndPoint => Mms.LocalEndPoint;

    public void Start(IPEndPoint endPoint) => Mms.Start(endPoint);

    /// <summary>Sets the value of <paramref name="reference"/> (<c>LD/LN.DO.DA</c>) with functional constraint <paramref name="fc"/>.</summary>
    public void SetDataValue(string reference, FunctionalConstraint fc, MmsValue value)
    {
        var name = Iec61850MmsMapping.ToObjectName(reference, fc);
        var before = Mms.Vmd.GetValue(name.DomainId!, name.ItemId);
        Mms.Vmd.SetValue(name.DomainId!, name.ItemId, value);
        var reason = before.Equals(value) ? ReasonDupd : name.ItemId.EndsWith("$q", StringComparison.Ordinal) ? ReasonQchg : ReasonDchg;
        HostUpdated(name.DomainId!, name.ItemId, reason);
    }

    /// <summary>Reason-for-inclusion bits of a host update: data change, quality change, data update (same value written again).</summary>
    private const int ReasonDchg = 1, ReasonQchg = 2, ReasonDupd = 3;

    private void HostUpdated(string domain, string itemId, int reason)
    {
        _reports.OnHostUpdate(domain, itemId, reason);
        _logs.OnHostUpdate(domain, itemId, reason);
        Volatile.Read(ref _goose)?.OnValueChanged(domain, itemId);
    }

    private Iec61850GooseEngine? _goose;

    /// <summary>
    /// Turns on GOOSE for the model's GOOSE control blocks (those with a data set): creates one
    /// <see cref="GoosePublisher"/> per control block, in model order, and with <paramref name="enable"/> sets every
    /// <c>GoEna</c> true so each publishes its first state at once (else only those a client or the SCL enabled).
    /// From then on a change of a value in an enabled control block's data set, through
    /// <see cref="SetDataValue"/>, <see cref="UpdateDataObject"/>, a control operation or a client's write, publishes a
    /// new state (stNum + 1, sqNum 0, retransmissions from MinTime); a client's write of <c>GoEna</c> starts or
    /// stops its publisher. Send the frames with <see cref="RunGooseAsync"/>, or poll each publisher.
    /// </summary>
    /// <param name="source">The source MAC address of the frames (the sending interface's).</param>
    /// <param name="enable">Set every control block's GoEna true now.</param>
    /// <param name="timeProvider">The publishers' clock (the system clock by default).</param>
    /// <exception cref="InvalidOperationException">GOOSE was already started on this server.</exception>
    public IReadOnlyList<GoosePublisher> StartGoose(MacAddress source, bool enable = true, TimeProvider? timeProvider = null)
    {
        var engine = new Iec61850GooseEngine(Model, Mms.Vmd, source, timeProvider ?? TimeProvider.System);
        if (Interlocked.CompareExchange(ref _goose, engine, null) is not null) throw new InvalidOperationException("GOOSE is already started on this server");
        if (enable) engine.EnableAll(true);
        else engine.StartEnabled();
        return engine.Publishers;
    }

    /// <summary>The GOOSE publishers after <see cref="StartGoose"/>, else empty.</summary>
    public IReadOnlyList<GoosePublisher> GoosePublishers => Volatile.Read(ref _goose)?.Publishers ?? [];

    /// <summary>
    /// Sends the frames of every GOOSE publisher on <paramref name="transport"/> as they fall due, until cancelled
    /// (<see cref="StartGoose"/> first). Returns when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public Task RunGooseAsync(IGooseTransport transport, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transport);
        var engine = Volatile.Read(ref _goose) ?? throw new InvalidOperationException("call StartGoose first");
        return engine.RunAsync(transport, cancellationToken);
    }

    /// <summary>The journal of a log (<c>LD/LN$LogName</c> or <c>LD/LN.LogName</c>), for the host to read or append to; null when there is none.</summary>
    public MmsJournal? FindLog(string logReference)
    {
        ArgumentNullException.ThrowIfNull(logReference);
        var slash = logReference.IndexOf('/', StringComparison.Ordinal);
        return slash <= 0 ? null : Mms.Vmd.FindDomain(logReference[..slash])?.FindJournal(logReference[(slash + 1)..].Replace('.', '$'));
    }

    /// <summary>The current value of <paramref name="reference"/> with <paramref name="fc"/>.</summary>
    public MmsValue GetDataValue(string reference, FunctionalConstraint fc)
    {
        var name = Iec61850MmsMapping.ToObjectName(reference, fc);
        return Mms.Vmd.GetValue(name.DomainId!, name.ItemId);
    }

    /// <summary>
    /// Updates a measured or status value with its quality and timestamp in one go: <c>DO.mag.f</c>
    /// (or <c>DO.stVal</c>), <c>DO.q</c> and <c>DO.t</c> of the data object <paramref name="dataObject"/>.
    /// </summary>
    public void UpdateDataObject(string dataObject, FunctionalConstraint fc, string valuePath, MmsValue value, Iec61850Quality quality, DateTimeOffset timestamp)
    {
        var name = Iec61850MmsMapping.ToObjectName(dataObject + "." + valuePath, fc);
        var q = Iec61850MmsMapping.ToObjectName(dataObject + ".q", fc);
        var t = Iec61850MmsMapping.ToObjectName(dataObject + ".t", fc);
        var valueBefore = Mms.Vmd.GetValue(name.DomainId!, name.ItemId);
        var qualityBefore = Mms.Vmd.GetValue(q.DomainId!, q.ItemId);
        var bits = quality.ToBitString();
        Mms.Vmd.SetValue(name.DomainId!, name.ItemId, value);
        Mms.Vmd.SetValue(q.DomainId!, q.ItemId, bits);
        Mms.Vmd.SetValue(t.DomainId!, t.ItemId, MmsUtcTime.From(timestamp, 0x0A));
        if (!valueBefore.Equals(value)) HostUpdated(name.DomainId!, name.ItemId, ReasonDchg);
        else if (!qualityBefore.Equals(bits)) HostUpdated(q.DomainId!, q.ItemId, ReasonQchg);
        else HostUpdated(name.DomainId!, name.ItemId, ReasonDupd);
    }

    public async ValueTask DisposeAsync()
    {
        _logs.Dispose();
        _reports.Dispose();
        await Mms.DisposeAsync().ConfigureAwait(false);
        (_journalStore ?? Mms.Vmd.CreatedJournalStore)?.Dispose();
    }
}
