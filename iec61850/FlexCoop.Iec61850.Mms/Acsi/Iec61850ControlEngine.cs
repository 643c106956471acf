using FlexCoop.Iec61850.Mms.Server;
using FlexCoop.Iec61850.Model;

namespace FlexCoop.Iec61850.Mms.Acsi;

/// <summary>
/// The control state machine of IEC 61850-7-2 §20 over 8-1: for each data object with CO
/// attributes, Select (read of <c>SBO</c>), SelectWithValue (write of <c>SBOw</c>), Operate (write of
/// <c>Oper</c>) and Cancel (write of <c>Cancel</c>) per its <c>ctlModel</c>, with the selection owned
/// by one association until <c>sboTimeout</c>, LastApplError sent before a negative response and
/// CommandTermination after an enhanced-security operate. Checks and execution are the handler's.
/// </summary>
internal sealed class Iec61850ControlEngine
{
    private const uint DefaultSboTimeoutMs = 30_000;

    private sealed class ControlObject(DataObject dataObject, string domain, string coItem)
    {
        public DataObject DataObject { get; } = dataObject;
        public string Domain { get; } = domain;

        /// <summary><c>LN$CO$DO</c>.</summary>
        public string CoItem { get; } = coItem;

        public string LnName => DataObject.LogicalNode!.Name;
        public string DoPath => CoItem[(LnName.Length + 4)..];
        public object Gate { get; } = new();
        public MmsPeer? SelectedBy { get; set; }
        public ControlParameters? SelectedWith { get; set; }
        public long SelectionId { get; set; }
        public Timer? SelectTimer { get; set; }
        public CancellationTokenSource? Execution { get; set; }
    }

    private readonly Iec61850Server _server;
    private readonly MmsVmd _vmd;
    private readonly IIec61850ControlHandler _handler;
    private readonly Iec61850ServerFaults _faults;
    private readonly Dictionary<string, ControlObject> _objects = new(StringComparer.Ordinal);
    private long _nextSelection;

    public Iec61850ControlEngine(Iec61850Server server, MmsVmd vmd, IIec61850ControlHandler handler, Iec61850ServerFaults faults)
    {
        _server = server;
        _vmd = vmd;
        _handler = handler;
        _faults = faults;
        foreach (var ld in server.Model.LogicalDevices)
        {
            foreach (var ln in ld.LogicalNodes)
            {
                foreach (var d in ln.DataObjects) Register(ld.MmsDomainName, d);
            }
        }
    }

    private void Register(string domain, DataObject d)
    {
        if (!d.HasFc(FunctionalConstraint.CO)) return;
        if (d.Attributes.Any(a => a.Fc == FunctionalConstraint.CO))
        {
            var item = FcNode.MmsName(d, FunctionalConstraint.CO);
            var co = new ControlObject(d, domain, item);
            _objects[domain + "/" + item] = co;
            if (_vmd.Find(domain, item + "$SBO") is { } sbo) sbo.ReadHandler = peer => Select(co, peer);
        }
        foreach (var sdo in d.SubDataObjects) Register(domain, sdo);
    }

    /// <summary>The control objects' data object references (<c>LD/LN.DO</c>).</summary>
    public IEnumerable<string> ControlObjects => _objects.Values.Select(o => o.DataObject.Reference);

    private ControlModel ModelOf(ControlObject co) =>
        _vmd.Find(co.Domain, co.LnName + "$CF$" + co.DoPath + "$ctlModel")?.Read() is MmsInteger i && i.Value is >= 0 and <= 4
            ? (ControlModel)i.Value
            : ControlModel.StatusOnly;

    private uint SboTimeoutOf(ControlObject co) =>
        _vmd.Find(co.Domain, co.LnName + "$CF$" + co.DoPath + "$sboTimeout")?.Read() is MmsUnsigned { Value: > 0 } u ? (uint)Math.Min(u.Value, int.MaxValue) : DefaultSboTimeoutMs;

    /// <summary>The write handler's part: refuses or accepts a write of <c>Oper</c>, <c>SBOw</c> or <c>Cancel</c>; null for writes that are not controls.</summary>
    public DataAccessError? OnWrite(MmsWriteContext context, out bool handled)
    {
        handled = false;
        var itemId = context.ItemId;
        var co = itemId.IndexOf("$CO$", StringComparison.Ordinal);
        if (co < 0) return null;
        handled = true;
        var cut = itemId.LastIndexOf('$');
        if (!_objects.TryGetValue(context.Domain + "/" + itemId[..cut], out var obj))
        {
            // a component of Oper/SBOw/Cancel, or a CO attribute that is not a service: not writable on its own
            return DataAccessError.ObjectAccessDenied;
        }
        var service = itemId[(cut + 1)..] switch
        {
            "Oper" => ControlService.Operate,
            "SBOw" => ControlService.SelectWithValue,
            "Cancel" => ControlService.Cancel,
            _ => (ControlService?)null,
        };
        if (service is not { } s || context.Peer is not { } peer) return DataAccessError.ObjectAccessDenied;
        var node = _vmd.Find(context.Domain, itemId)!;
        if (node.Type is not MmsStructureType type || context.Value is not MmsStructure value || ControlParameters.FromMms(type, value) is not { } parameters)
        {
            return DataAccessError.TypeInconsistent;
        }
        return s switch
        {
            ControlService.Operate => Operate(obj, peer, parameters, value),
            ControlService.SelectWithValue => SelectWithValue(obj, peer, parameters),
            _ => Cancel(obj, peer, parameters),
        };
    }

    private ControlRequest Request(ControlObject co, ControlService service, ControlModel model, ControlParameters? parameters, MmsPeer peer) =>
        new(co.DataObject.Reference, service, model, parameters, peer, _server);

    // ------------------------------------------------------------------ select

    private bool SelectedByOther(ControlObject co, MmsPeer peer) => co.SelectedBy is { IsAssociated: true } owner && !ReferenceEquals(owner, peer);

    private bool IsSelectedBy(ControlObject co, MmsPeer peer) => co.SelectedBy is { IsAssociated: true } owner && ReferenceEquals(owner, peer);

    private AccessResult Select(ControlObject co, MmsPeer peer)
    {
        var model = ModelOf(co);
        var refused = new MmsVisibleString("");
        if (model != ControlModel.SboWithNormalSecurity) return AccessResult.Success(refused);
        lock (co.Gate)
        {
            if (SelectedByOther(co, peer) || co.Execution is not null) return AccessResult.Success(refused);
            if (IsSelectedBy(co, peer)) return AccessResult.Success(new MmsVisibleString(co.Domain + "/" + co.CoItem));
            if (_handler.Check(Request(co, ControlService.Select, model, null, peer)) is not null) return AccessResult.Success(refused);
            MarkSelected(co, peer, null);
        }
        return AccessResult.Success(new MmsVisibleString(co.Domain + "/" + co.CoItem));
    }

    private DataAccessError? SelectWithValue(ControlObject co, MmsPeer peer, ControlParameters parameters)
    {
        var model = ModelOf(co);
        AddCause? cause = null;
        lock (co.Gate)
        {
            if (model != ControlModel.SboWithEnhancedSecurity) cause = AddCause.NotSupported;
            else if (co.Execution is not null) cause = AddCause.CommandAlreadyInExecution;
            else if (SelectedByOther(co, peer)) cause = AddCause.LockedByOtherClient;
            else if (IsSelectedBy(co, peer)) cause = AddCause.ObjectAlreadySelected;
            else cause = _handler.Check(Request(co, ControlService.SelectWithValue, model, parameters, peer));
            if (cause is null) MarkSelected(co, peer, parameters);
        }
        return cause is { } c ? Refuse(co, peer, parameters, "SBOw", c) : null;
    }

    private void MarkSelected(ControlObject co, MmsPeer peer, ControlParameters? parameters)
    {
        co.SelectedBy = peer;
        co.SelectedWith = parameters;
        var id = co.SelectionId = Interlocked.Increment(ref _nextSelection);
        co.SelectTimer?.Dispose();
        co.SelectTimer = new Timer(_ => Deselect(co, id), null, SboTimeoutOf(co), Timeout.Infinite);
        SetStSeld(co, true);
    }

    private void Deselect(ControlObject co, long selectionId)
    {
        lock (co.Gate)
        {
            if (co.SelectionId != selectionId || co.SelectedBy is null) return;
            ClearSelection(co);
        }
    }

    private void ClearSelection(ControlObject co)
    {
        co.SelectedBy = null;
        co.SelectedWith = null;
        co.SelectionId = 0;
        co.SelectTimer?.Dispose();
        co.SelectTimer = null;
        SetStSeld(co, false);
    }

    private void SetStSeld(ControlObject co, bool selected)
    {
        var item = co.LnName + "$ST$" + co.DoPath + "$stSeld";
        if (_vmd.Find(co.Domain, item) is null) return;
        if (_vmd.GetValue(co.Domain, item) is MmsBoolean b && b.Value == selected) return;
        _server.SetDataValue(co.DataObject.Reference + ".stSeld", FunctionalConstraint.ST, new MmsBoolean(selected));
    }

    // ------------------------------------------------------------------ operate

    private DataAccessError? Operate(ControlObject co, MmsPeer peer, ControlParameters parameters, MmsStructure operValue)
    {
        var model = ModelOf(co);
        AddCause? cause = null;
        CancellationTokenSource? execution = null;
        lock (co.Gate)
        {
            if (model == ControlModel.StatusOnly) cause = AddCause.NotSupported;
            else if (co.Execution is not null) cause = AddCause.CommandAlreadyInExecution;
            else if (model is ControlModel.SboWithNormalSecurity or ControlModel.SboWithEnhancedSecurity && !IsSelectedBy(co, peer))
            {
                cause = SelectedByOther(co, peer) ? AddCause.LockedByOtherClient : AddCause.ObjectNotSelected;
            }
            else if (model == ControlModel.SboWithEnhancedSecurity && co.SelectedWith is { } selected
                && (selected.CtlVal != parameters.CtlVal || selected.CtlNum != parameters.CtlNum || !selected.Origin.Equals(parameters.Origin)))
            {
                cause = AddCause.InconsistentParameters;
            }
            else
            {
                cause = _handler.Check(Request(co, ControlService.Operate, model, parameters, peer));
            }
            if (cause is null)
            {
                execution = co.Execution = new CancellationTokenSource();
                co.SelectTimer?.Dispose();
                co.SelectTimer = null;
            }
            else if (model is ControlModel.SboWithNormalSecurity or ControlModel.SboWithEnhancedSecurity && IsSelectedBy(co, peer))
            {
                ClearSelection(co);
            }
        }
        if (cause is { } c) return Refuse(co, peer, parameters, "Oper", c);
        var request = Request(co, ControlService.Operate, model, _faults.HasFlag(Iec61850ServerFaults.TestFlagOperates) ? parameters with { Test = false } : parameters, peer);
        if (model is ControlModel.DirectWithEnhancedSecurity or ControlModel.SboWithEnhancedSecurity)
        {
            // the CommandTermination must follow the Operate response
            peer.AfterResponse(() => ExecuteAsync(co, request, operValue, execution!));
        }
        else
        {
            // normal security: a handler that completes at once has done so before the response goes out
            _ = ExecuteAsync(co, request, operValue, execution!);
        }
        return null;
    }

    private async Task ExecuteAsync(ControlObject co, ControlRequest request, MmsStructure operValue, CancellationTokenSource execution)
    {
        AddCause? outcome;
        try
        {
            outcome = await _handler.ExecuteAsync(request, execution.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (execution.IsCancellationRequested)
        {
            outcome = AddCause.AbortionByCancel;
        }
#pragma warning disable CA1031 // a failing application handler must not take the association down: it is a failed operate
        catch (Exception)
        {
            outcome = AddCause.Unknown;
        }
#pragma warning restore CA1031
        finally
        {
            lock (co.Gate)
            {
                if (ReferenceEquals(co.Execution, execution)) co.Execution = null;
                if (request.Model is ControlModel.SboWithNormalSecurity or ControlModel.SboWithEnhancedSecurity) ClearSelection(co);
            }
            execution.Dispose();
        }
        if (request.Model is not (ControlModel.DirectWithEnhancedSecurity or ControlModel.SboWithEnhancedSecurity)) return;
        if (_faults.HasFlag(Iec61850ServerFaults.NoCommandTermination)) return;
        var oper = ObjectName.Domain(co.Domain, co.CoItem + "$Oper");
        InformationReportPdu termination = outcome is { } failed
            ? new InformationReportPdu(VariableAccessSpecification.Of(ObjectName.Vmd(LastApplError.VariableName), oper),
                [AccessResult.Success(LastApplErrorOf(co, "Oper", request.Parameters!, failed).ToMms()), AccessResult.Success(operValue)])
            : new InformationReportPdu(VariableAccessSpecification.Of(oper), [AccessResult.Success(operValue)]);
        if (request.Client is { IsAssociated: true } client) await client.SendInformationReportAsync(termination).ConfigureAwait(false);
    }

    // ------------------------------------------------------------------ cancel

    private DataAccessError? Cancel(ControlObject co, MmsPeer peer, ControlParameters parameters)
    {
        var model = ModelOf(co);
        AddCause? cause = null;
        lock (co.Gate)
        {
            if (model == ControlModel.StatusOnly) cause = AddCause.NotSupported;
            else if (co.Execution is { } running && model is ControlModel.DirectWithEnhancedSecurity or ControlModel.SboWithEnhancedSecurity)
            {
                running.Cancel();
            }
            else if (model is ControlModel.SboWithNormalSecurity or ControlModel.SboWithEnhancedSecurity && IsSelectedBy(co, peer))
            {
                ClearSelection(co);
            }
            else
            {
                cause = SelectedByOther(co, peer) ? AddCause.LockedByOtherClient : AddCause.ObjectNotSelected;
            }
        }
        return cause is { } c ? Refuse(co, peer, parameters, "Cancel", c) : null;
    }

    // ------------------------------------------------------------------ errors

    private LastApplError LastApplErrorOf(ControlObject co, string service, ControlParameters parameters, AddCause cause) =>
        new(co.Domain + "/" + co.CoItem + "$" + service, ControlError.Unknown, parameters.Origin, parameters.CtlNum, cause);

    /// <summary>Sends LastApplError (before the write response, which the association sends after this returns) and picks the DataAccessError.</summary>
    private DataAccessError Refuse(ControlObject co, MmsPeer peer, ControlParameters parameters, string service, AddCause cause)
    {
        var error = LastApplErrorOf(co, service, parameters, cause);
        var report = new InformationReportPdu(VariableAccessSpecification.Of(ObjectName.Vmd(LastApplError.VariableName)), [AccessResult.Success(error.ToMms())]);
        _ = peer.SendInformationReportAsync(report).AsTask();
        return cause switch
        {
            AddCause.CommandAlreadyInExecution or AddCause.LockedByOtherClient or AddCause.ObjectAlreadySelected => DataAccessError.TemporarilyUnavailable,
            AddCause.InconsistentParameters => DataAccessError.ObjectValueInvalid,
            _ => DataAccessError.ObjectAccessDenied,
        };
    }
}
