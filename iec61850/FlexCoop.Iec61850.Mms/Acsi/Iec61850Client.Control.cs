using System.Collections.Concurrent;
using System.Threading.Channels;
using FlexCoop.Iec61850.Model;

namespace FlexCoop.Iec61850.Mms.Acsi;

/// <summary>A CommandTermination (8-1): the end of an enhanced-security operate, positive or with its LastApplError.</summary>
/// <param name="ControlObject">The MMS reference of the Oper attribute, <c>LD/LN$CO$DO$Oper</c>.</param>
/// <param name="Success">True for CommandTermination+, false for CommandTermination-.</param>
/// <param name="Error">The LastApplError of a negative termination.</param>
/// <param name="Oper">The Oper value the server terminated.</param>
public sealed record CommandTermination(string ControlObject, bool Success, LastApplError? Error, MmsValue? Oper);

/// <summary>
/// The outcome of a control service: success, or the LastApplError (with AddCause) and DataAccessError
/// the server gave; for an operate that waited, the CommandTermination.
/// </summary>
public sealed record ControlResult(bool Success, LastApplError? Error = null, DataAccessError? AccessError = null)
{
    /// <summary>The CommandTermination, when the operate waited for it.</summary>
    public CommandTermination? Termination { get; init; }

    /// <summary>The AddCause of the failure (from LastApplError, or of a negative termination); <see cref="AddCause.None"/> on success.</summary>
    public AddCause AddCause => Termination is { Success: false, Error: { } t } ? t.AddCause : Error?.AddCause ?? (Success ? AddCause.None : AddCause.Unknown);
}

public sealed partial class Iec61850Client
{
    private readonly ConcurrentDictionary<string, LastApplError> _lastApplErrors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<CommandTermination>> _terminationWaiters = new(StringComparer.Ordinal);
    private readonly Channel<CommandTermination> _terminations = Channel.CreateBounded<CommandTermination>(new BoundedChannelOptions(100) { FullMode = BoundedChannelFullMode.DropOldest });

    /// <summary>CommandTerminations no operate was waiting for (e.g. after <c>waitForTermination: false</c>).</summary>
    public ChannelReader<CommandTermination> CommandTerminations => _terminations.Reader;

    /// <summary>The last LastApplError the server sent for a control object (<c>LD/LN.DO</c>), or null.</summary>
    public LastApplError? GetLastApplError(string objectReference) =>
        _lastApplErrors.GetValueOrDefault(ControlKey(objectReference));

    private static string ControlKey(string objectReference)
    {
        var name = Iec61850MmsMapping.ToObjectName(objectReference, FunctionalConstraint.CO);
        return name.DomainId + "/" + name.ItemId;
    }

    /// <summary>Strips <c>$Oper</c>/<c>$SBOw</c>/<c>$Cancel</c> from an MMS control reference <c>LD/LN$CO$DO$Oper</c>.</summary>
    private static string KeyOfMmsReference(string reference)
    {
        var cut = reference.LastIndexOf('$');
        return cut > 0 && reference[(cut + 1)..] is "Oper" or "SBOw" or "Cancel" or "SBO" ? reference[..cut] : reference;
    }

    /// <summary>Takes LastApplError and CommandTermination reports out of the report stream (on the receive path).</summary>
    private bool OnInformationReport(InformationReportPdu pdu)
    {
        var variables = pdu.Specification.Variables;
        if (variables is null || variables.Count is 0 or > 2 || pdu.Results.Count != variables.Count) return false;
        LastApplError? error = null;
        var index = 0;
        if (variables[0] is { Scope: MmsScope.VmdSpecific, ItemId: LastApplError.VariableName })
        {
            error = LastApplError.FromMms(pdu.Results[0].Value);
            if (error is null) return false;
            index = 1;
        }
        if (index == variables.Count)
        {
            _lastApplErrors[KeyOfMmsReference(error!.ControlObject)] = error;
            return true;
        }
        var oper = variables[index];
        if (oper.Scope != MmsScope.DomainSpecific || !oper.ItemId.EndsWith("$Oper", StringComparison.Ordinal) || !oper.ItemId.Contains("$CO$", StringComparison.Ordinal)) return false;
        var reference = oper.DomainId + "/" + oper.ItemId;
        var termination = new CommandTermination(reference, error is null, error, pdu.Results[index].Value);
        var key = KeyOfMmsReference(reference);
        if (error is not null) _lastApplErrors[key] = error;
        if (_terminationWaiters.TryRemove(key, out var waiter)) waiter.TrySetResult(termination);
        else _terminations.Writer.TryWrite(termination);
        return true;
    }

    /// <summary>The control model of a controllable data object (its CF <c>ctlModel</c>).</summary>
    public async Task<ControlModel> GetControlModelAsync(string objectReference, CancellationToken cancellationToken = default)
    {
        var value = await GetDataValuesAsync(objectReference + ".ctlModel", FunctionalConstraint.CF, cancellationToken).ConfigureAwait(false);
        return value is MmsInteger { Value: >= 0 and <= 4 } i
            ? (ControlModel)i.Value
            : throw new MmsProtocolException($"{objectReference}.ctlModel is {value.Format()}, not a control model");
    }

    /// <summary>
    /// Select (SBO with normal security): reads <c>SBO</c>; the server answers with the object's reference
    /// when it is now selected for this association, with an empty string when not.
    /// </summary>
    public async Task<ControlResult> SelectAsync(string objectReference, CancellationToken cancellationToken = default)
    {
        var result = await Mms.ReadAsync(Iec61850MmsMapping.ToObjectName(objectReference + ".SBO", FunctionalConstraint.CO), cancellationToken).ConfigureAwait(false);
        return result.Value switch
        {
            MmsVisibleString { Value.Length: > 0 } => new ControlResult(true),
            MmsVisibleString => new ControlResult(false, new LastApplError(ControlKey(objectReference) + "$SBO", ControlError.Unknown, new Originator(OriginatorCategory.NotSupported, ReadOnlyMemory<byte>.Empty), 0, AddCause.SelectFailed)),
            null => new ControlResult(false, AccessError: result.Error),
            _ => throw new MmsProtocolException($"{objectReference}.SBO answered with {result.Value.Format()}, not a visible string"),
        };
    }

    /// <summary>SelectWithValue (SBO with enhanced security): writes <c>SBOw</c>.</summary>
    public Task<ControlResult> SelectWithValueAsync(string objectReference, ControlParameters parameters, CancellationToken cancellationToken = default) =>
        WriteControlAsync(objectReference, "SBOw", parameters, false, null, cancellationToken);

    /// <summary>
    /// Operate: writes <c>Oper</c>. With <paramref name="waitForTermination"/> (enhanced security) the
    /// result also carries the CommandTermination, awaited up to <paramref name="terminationTimeout"/>
    /// (default 30 s; a <see cref="TimeoutException"/> when none arrives).
    /// </summary>
    public Task<ControlResult> OperateAsync(string objectReference, ControlParameters parameters, bool waitForTermination = false, TimeSpan? terminationTimeout = null, CancellationToken cancellationToken = default) =>
        WriteControlAsync(objectReference, "Oper", parameters, waitForTermination, terminationTimeout, cancellationToken);

    /// <summary>Cancel: writes <c>Cancel</c> (ends a selection, or an enhanced operate still in execution).</summary>
    public Task<ControlResult> CancelAsync(string objectReference, ControlParameters parameters, CancellationToken cancellationToken = default) =>
        WriteControlAsync(objectReference, "Cancel", parameters, false, null, cancellationToken);

    private async Task<ControlResult> WriteControlAsync(string objectReference, string service, ControlParameters parameters, bool waitForTermination, TimeSpan? terminationTimeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var key = ControlKey(objectReference);
        var type = await GetDataDefinitionAsync(objectReference + "." + service, FunctionalConstraint.CO, cancellationToken).ConfigureAwait(false) as MmsStructureType
            ?? throw new MmsProtocolException($"{objectReference}.{service} is not a structure");
        var value = parameters.ToMms(type);
        TaskCompletionSource<CommandTermination>? waiter = null;
        if (waitForTermination)
        {
            waiter = new TaskCompletionSource<CommandTermination>(TaskCreationOptions.RunContinuationsAsynchronously);
            _terminationWaiters[key] = waiter;
        }
        _lastApplErrors.TryRemove(key, out _);
        try
        {
            var error = await Mms.WriteAsync(Iec61850MmsMapping.ToObjectName(objectReference + "." + service, FunctionalConstraint.CO), value, cancellationToken).ConfigureAwait(false);
            if (error is { } e) return new ControlResult(false, _lastApplErrors.GetValueOrDefault(key), e);
            if (waiter is null) return new ControlResult(true);
            var termination = await waiter.Task.WaitAsync(terminationTimeout ?? TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            return new ControlResult(termination.Success, termination.Error) { Termination = termination };
        }
        finally
        {
            if (waiter is not null) _terminationWaiters.TryRemove(new KeyValuePair<string, TaskCompletionSource<CommandTermination>>(key, waiter));
        }
    }
}
