using FlexCoop.Iec61850.Mms.Server;

namespace FlexCoop.Iec61850.Mms.Acsi;

/// <summary>The control model of a controllable data object (<c>ctlModel</c>, IEC 61850-7-2 §20, CtlModelKind).</summary>
public enum ControlModel
{
    StatusOnly = 0,
    DirectWithNormalSecurity = 1,
    SboWithNormalSecurity = 2,
    DirectWithEnhancedSecurity = 3,
    SboWithEnhancedSecurity = 4,
}

/// <summary>The control services of IEC 61850-7-2 §20 as 8-1 maps them.</summary>
public enum ControlService
{
    /// <summary>Select (normal security): a read of <c>...$CO$DO$SBO</c>.</summary>
    Select,

    /// <summary>SelectWithValue (enhanced security): a write of <c>...$CO$DO$SBOw</c>.</summary>
    SelectWithValue,

    /// <summary>Operate: a write of <c>...$CO$DO$Oper</c>.</summary>
    Operate,

    /// <summary>Cancel: a write of <c>...$CO$DO$Cancel</c>.</summary>
    Cancel,
}

/// <summary>AddCause of LastApplError (IEC 61850-7-2, additional cause diagnosis).</summary>
public enum AddCause
{
    Unknown = 0,
    NotSupported = 1,
    BlockedBySwitchingHierarchy = 2,
    SelectFailed = 3,
    InvalidPosition = 4,
    PositionReached = 5,
    ParameterChangeInExecution = 6,
    StepLimit = 7,
    BlockedByMode = 8,
    BlockedByProcess = 9,
    BlockedByInterlocking = 10,
    BlockedBySynchrocheck = 11,
    CommandAlreadyInExecution = 12,
    BlockedByHealth = 13,
    OneOfNControl = 14,
    AbortionByCancel = 15,
    TimeLimitOver = 16,
    AbortionByTrip = 17,
    ObjectNotSelected = 18,
    ObjectAlreadySelected = 19,
    NoAccessAuthority = 20,
    EndedWithOvershoot = 21,
    AbortionDueToDeviation = 22,
    AbortionByCommunicationLoss = 23,
    BlockedByCommand = 24,
    None = 25,
    InconsistentParameters = 26,
    LockedByOtherClient = 27,
}

/// <summary>The <c>Error</c> of LastApplError (8-1 ControlError).</summary>
public enum ControlError
{
    NoError = 0,
    Unknown = 1,
    TimeoutTestNotOk = 2,
    OperatorTestNotOk = 3,
}

/// <summary>orCat of an originator (OriginatorCategoryKind).</summary>
public enum OriginatorCategory
{
    NotSupported = 0,
    BayControl = 1,
    StationControl = 2,
    RemoteControl = 3,
    AutomaticBay = 4,
    AutomaticStation = 5,
    AutomaticRemote = 6,
    Maintenance = 7,
    Process = 8,
}

/// <summary>Who issued a command: category and identity (<c>origin</c>, at most 64 octets).</summary>
public sealed record Originator(OriginatorCategory Category, ReadOnlyMemory<byte> Identity)
{
    /// <summary>A remote control originator identified by <paramref name="identity"/> (UTF-8).</summary>
    public static Originator Remote(string identity) => new(OriginatorCategory.RemoteControl, System.Text.Encoding.UTF8.GetBytes(identity ?? ""));

    public bool Equals(Originator? other) => other is not null && Category == other.Category && Identity.Span.SequenceEqual(other.Identity.Span);

    public override int GetHashCode() => HashCode.Combine(Category, Identity.Length);

    internal MmsStructure ToMms() => new(new MmsInteger((long)Category), new MmsOctetString(Identity.ToArray()));

    internal static Originator FromMms(MmsValue? value) => value is MmsStructure { Components: [MmsInteger cat, MmsOctetString id, ..] }
        ? new Originator((OriginatorCategory)cat.Value, id.Value)
        : new Originator(OriginatorCategory.NotSupported, ReadOnlyMemory<byte>.Empty);
}

/// <summary>The <c>Check</c> bits of an Operate: synchrocheck (bit 0) and interlock check (bit 1).</summary>
public readonly record struct ControlChecks(bool Synchrocheck, bool Interlock)
{
    public static ControlChecks None => default;

    internal MmsBitString ToMms() => MmsBitString.FromBits(2, [.. Synchrocheck ? new[] { 0 } : [], .. Interlock ? new[] { 1 } : []]);

    internal static ControlChecks FromMms(MmsValue? value) => value is MmsBitString b ? new ControlChecks(b[0], b[1]) : default;
}

/// <summary>
/// The parameters of SelectWithValue, Operate and Cancel (the 8-1 Oper/SBOw/Cancel structure):
/// <c>ctlVal</c>, <c>operTm</c>, <c>origin</c>, <c>ctlNum</c>, <c>T</c>, <c>Test</c>, <c>Check</c>.
/// </summary>
public sealed record ControlParameters
{
    /// <summary>The control value, of the type of the object's <c>ctlVal</c> (boolean for SPC/DPC, a structure <c>{f}</c> for APC, ...).</summary>
    public required MmsValue CtlVal { get; init; }

    public Originator Origin { get; init; } = new(OriginatorCategory.RemoteControl, ReadOnlyMemory<byte>.Empty);

    /// <summary>Control sequence number (0..255) that ties select, operate, cancel and termination together.</summary>
    public byte CtlNum { get; init; }

    /// <summary>The time the client issued the command (<c>T</c>); now when null.</summary>
    public DateTimeOffset? T { get; init; }

    /// <summary>The command is a test (<c>Test</c>): the server checks it but the process is not to be operated.</summary>
    public bool Test { get; init; }

    /// <summary>Which checks the server is to make before operating (<c>Check</c>; not in Cancel).</summary>
    public ControlChecks Check { get; init; }

    /// <summary>Time activated operation (<c>operTm</c>), when the object has it.</summary>
    public DateTimeOffset? OperTm { get; init; }

    /// <summary>Builds the MMS structure for a server whose Oper/SBOw/Cancel type is <paramref name="type"/>.</summary>
    public MmsStructure ToMms(MmsStructureType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var values = new MmsValue[type.Components.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var c = type.Components[i];
            values[i] = c.Name switch
            {
                "ctlVal" => CtlVal,
                "operTm" => MmsUtcTime.From(OperTm ?? DateTimeOffset.UtcNow),
                "origin" => Origin.ToMms(),
                "ctlNum" => new MmsUnsigned(CtlNum),
                "T" => MmsUtcTime.From(T ?? DateTimeOffset.UtcNow),
                "Test" => new MmsBoolean(Test),
                "Check" => Check.ToMms(),
                _ => c.Type.DefaultValue(),
            };
        }
        return new MmsStructure(values);
    }

    /// <summary>Reads the parameters from an Oper/SBOw/Cancel structure of type <paramref name="type"/>; null when it has no ctlVal.</summary>
    public static ControlParameters? FromMms(MmsStructureType type, MmsStructure value)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(value);
        MmsValue? Get(string name)
        {
            for (var i = 0; i < type.Components.Count && i < value.Components.Count; i++)
            {
                if (type.Components[i].Name == name) return value.Components[i];
            }
            return null;
        }
        if (Get("ctlVal") is not { } ctlVal) return null;
        return new ControlParameters
        {
            CtlVal = ctlVal,
            Origin = Originator.FromMms(Get("origin")),
            CtlNum = Get("ctlNum") is MmsUnsigned n ? (byte)n.Value : (byte)0,
            T = Get("T") is MmsUtcTime t ? t.Timestamp : null,
            Test = Get("Test") is MmsBoolean { Value: true },
            Check = ControlChecks.FromMms(Get("Check")),
            OperTm = Get("operTm") is MmsUtcTime o && o.Seconds != 0 ? o.Timestamp : null,
        };
    }
}

/// <summary>LastApplError (8-1): why the last control service of a client failed.</summary>
public sealed record LastApplError(string ControlObject, ControlError Error, Originator Origin, byte CtlNum, AddCause AddCause)
{
    /// <summary>The name of the VMD-specific variable 8-1 reports it in.</summary>
    public const string VariableName = "LastApplError";

    public MmsStructure ToMms() => new(new MmsVisibleString(ControlObject), new MmsInteger((long)Error), Origin.ToMms(), new MmsUnsigned(CtlNum), new MmsInteger((long)AddCause));

    /// <summary>Decodes the LastApplError structure; null when it does not have its shape.</summary>
    public static LastApplError? FromMms(MmsValue? value) => value is MmsStructure { Components: [MmsVisibleString obj, MmsInteger error, var origin, MmsUnsigned ctlNum, MmsInteger cause] }
        ? new LastApplError(obj.Value, (ControlError)error.Value, Originator.FromMms(origin), (byte)ctlNum.Value, (AddCause)cause.Value)
        : null;
}

/// <summary>What a control service asks of the server's control handler.</summary>
/// <param name="ObjectReference">The controlled data object, <c>LD/LN.DO</c>.</param>
/// <param name="Service">Select, SelectWithValue, Operate or Cancel.</param>
/// <param name="Model">The object's control model when the request arrived.</param>
/// <param name="Parameters">ctlVal, origin, ctlNum, T, Test, Check; null for a Select (SBO read), which has none.</param>
/// <param name="Client">The association that sent it.</param>
/// <param name="Server">The server, to update status values (<see cref="Iec61850Server.SetDataValue"/>).</param>
public sealed record ControlRequest(string ObjectReference, ControlService Service, ControlModel Model, ControlParameters? Parameters, MmsPeer? Client, Iec61850Server Server);

/// <summary>
/// The application behind the controllable objects of an <see cref="Iec61850Server"/> (e.g. the DER
/// gateway): it checks a select or operate (interlocking, synchrocheck, mode, authority...) and
/// executes an operate. The server runs the control state machine (selection, sboTimeout, ctlNum,
/// LastApplError, CommandTermination) around it.
/// </summary>
public interface IIec61850ControlHandler
{
    /// <summary>Checks a Select, SelectWithValue or Operate; null accepts, an <see cref="AddCause"/> refuses (it goes into LastApplError).</summary>
    AddCause? Check(ControlRequest request);

    /// <summary>
    /// Executes an accepted Operate. Null is success; an <see cref="AddCause"/> is failure (for enhanced
    /// security it becomes a negative CommandTermination). Cancelled when a Cancel arrives during execution.
    /// </summary>
    ValueTask<AddCause?> ExecuteAsync(ControlRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// The control handler used when the host gives none: accepts every command whose checks it can make
/// and mirrors ctlVal into the object's status (<c>stVal</c>, or <c>mxVal</c> for APC) with good
/// quality and the current time, so clients see the effect and reports fire.
/// </summary>
public sealed class MirrorControlHandler : IIec61850ControlHandler
{
    public AddCause? Check(ControlRequest request) => null;

    public ValueTask<AddCause?> ExecuteAsync(ControlRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Parameters is not { Test: false } p) return ValueTask.FromResult<AddCause?>(null);
        var server = request.Server;
        var model = server.Model;
        foreach (var (name, fc) in new[] { ("stVal", Model.FunctionalConstraint.ST), ("mxVal", Model.FunctionalConstraint.MX) })
        {
            if (model.FindAttribute(request.ObjectReference + "." + name, fc) is not { } attribute) continue;
            var type = Iec61850MmsMapping.TypeOf(attribute.BasicType);
            MmsValue? value = (p.CtlVal, type) switch
            {
                (MmsBoolean b, MmsBitStringType { Size: 2 }) => MmsBitString.FromBits(2, b.Value ? 0 : 1),
                var (v, _) when attribute.IsStructure || type.Accepts(v) => v,
                _ => null,
            };
            if (value is null) return ValueTask.FromResult<AddCause?>(AddCause.InconsistentParameters);
            var now = DateTimeOffset.UtcNow;
            try
            {
                if (model.FindAttribute(request.ObjectReference + ".q", fc) is not null && model.FindAttribute(request.ObjectReference + ".t", fc) is not null)
                {
                    server.UpdateDataObject(request.ObjectReference, fc, name, value, Iec61850Quality.Good, now);
                }
                else
                {
                    server.SetDataValue(request.ObjectReference + "." + name, fc, value);
                }
            }
            catch (ArgumentException)
            {
                return ValueTask.FromResult<AddCause?>(AddCause.InconsistentParameters);
            }
            return ValueTask.FromResult<AddCause?>(null);
        }
        return ValueTask.FromResult<AddCause?>(null);
    }
}
