namespace FlexCoop.Iec61850.Mms;

/// <summary>Where an MMS object is defined (ObjectName choice, ObjectScope of GetNameList).</summary>
public enum MmsScope
{
    VmdSpecific = 0,
    DomainSpecific = 1,
    AaSpecific = 2,
}

/// <summary>An MMS ObjectName: vmd-specific, domain-specific (domainId/itemId) or aa-specific.</summary>
public readonly record struct ObjectName(MmsScope Scope, string? DomainId, string ItemId)
{
    public static ObjectName Vmd(string itemId) => new(MmsScope.VmdSpecific, null, itemId);
    public static ObjectName Domain(string domainId, string itemId) => new(MmsScope.DomainSpecific, domainId, itemId);
    public static ObjectName Association(string itemId) => new(MmsScope.AaSpecific, null, itemId);

    public override string ToString() => Scope switch
    {
        MmsScope.DomainSpecific => $"{DomainId}/{ItemId}",
        MmsScope.AaSpecific => $"@{ItemId}",
        _ => ItemId,
    };
}

/// <summary>The basic object classes of GetNameList (ISO 9506-2 ObjectClass).</summary>
public enum MmsObjectClass
{
    NamedVariable = 0,
    ScatteredAccess = 1,
    NamedVariableList = 2,
    NamedType = 3,
    Semaphore = 4,
    EventCondition = 5,
    EventAction = 6,
    EventEnrollment = 7,
    Journal = 8,
    Domain = 9,
    ProgramInvocation = 10,
    OperatorStation = 11,
}

/// <summary>DataAccessError of a failed read/write element.</summary>
public enum DataAccessError
{
    ObjectInvalidated = 0,
    HardwareFault = 1,
    TemporarilyUnavailable = 2,
    ObjectAccessDenied = 3,
    ObjectUndefined = 4,
    InvalidAddress = 5,
    TypeUnsupported = 6,
    TypeInconsistent = 7,
    ObjectAttributeInconsistent = 8,
    ObjectAccessUnsupported = 9,
    ObjectNonExistent = 10,
    ObjectValueInvalid = 11,
}

/// <summary>The error class of a ServiceError.</summary>
public enum MmsErrorClass
{
    VmdState = 0,
    ApplicationReference = 1,
    Definition = 2,
    Resource = 3,
    Service = 4,
    ServicePreempt = 5,
    TimeResolution = 6,
    Access = 7,
    Initiate = 8,
    Conclude = 9,
    Cancel = 10,
    File = 11,
    Others = 12,
}

/// <summary>A ServiceError: class, code within the class, optional description.</summary>
public sealed record MmsServiceError(MmsErrorClass Class, int Code, string? Description = null)
{
    public static MmsServiceError ObjectUndefined(string? why = null) => new(MmsErrorClass.Definition, 1, why);
    public static MmsServiceError ObjectExists(string? why = null) => new(MmsErrorClass.Definition, 5, why);
    public static MmsServiceError TypeInconsistent(string? why = null) => new(MmsErrorClass.Definition, 4, why);
    public static MmsServiceError ObjectNonExistent(string? why = null) => new(MmsErrorClass.Access, 2, why);
    public static MmsServiceError ObjectAccessDenied(string? why = null) => new(MmsErrorClass.Access, 3, why);
    public static MmsServiceError CapabilityUnavailable(string? why = null) => new(MmsErrorClass.Resource, 4, why);
    public static MmsServiceError MemoryUnavailable(string? why = null) => new(MmsErrorClass.Resource, 1, why);
    public static MmsServiceError ContinuationInvalid(string? why = null) => new(MmsErrorClass.Service, 4, why);
    public static MmsServiceError ObjectConstraintConflict(string? why = null) => new(MmsErrorClass.Service, 5, why);
    public static MmsServiceError FileNonExistent(string? why = null) => new(MmsErrorClass.File, 7, why);
    public static MmsServiceError FileAccessDenied(string? why = null) => new(MmsErrorClass.File, 6, why);
    public static MmsServiceError FilenameSyntaxError(string? why = null) => new(MmsErrorClass.File, 3, why);
    public static MmsServiceError DuplicateFilename(string? why = null) => new(MmsErrorClass.File, 8, why);
    public static MmsServiceError OtherService(string? why = null) => new(MmsErrorClass.Service, 0, why);

    public override string ToString() => $"{Class}/{Code}" + (Description is null ? "" : $" ({Description})");
}

/// <summary>The rejectReason of a RejectPDU: which PDU kind was rejected (1 = confirmed-request ... 5 = pdu-error) and the code.</summary>
public sealed record MmsRejectReason(int PduKind, int Code)
{
    public const int ConfirmedRequest = 1;
    public const int ConfirmedResponse = 2;
    public const int ConfirmedError = 3;
    public const int Unconfirmed = 4;
    public const int PduError = 5;

    /// <summary>confirmed-requestPDU: unrecognized-service.</summary>
    public static readonly MmsRejectReason UnrecognizedService = new(ConfirmedRequest, 1);
    /// <summary>confirmed-requestPDU: invalid-argument.</summary>
    public static readonly MmsRejectReason InvalidArgument = new(ConfirmedRequest, 4);
    /// <summary>confirmed-requestPDU: max-serv-outstanding-exceeded.</summary>
    public static readonly MmsRejectReason MaxServOutstandingExceeded = new(ConfirmedRequest, 6);
    /// <summary>confirmed-requestPDU: max-recursion-exceeded.</summary>
    public static readonly MmsRejectReason MaxRecursionExceeded = new(ConfirmedRequest, 8);
    /// <summary>pdu-error: unknown-pdu-type.</summary>
    public static readonly MmsRejectReason UnknownPduType = new(PduError, 0);
    /// <summary>pdu-error: invalid-pdu.</summary>
    public static readonly MmsRejectReason InvalidPdu = new(PduError, 1);

    public override string ToString() => $"reject kind {PduKind} code {Code}";
}

/// <summary>One element of a read result or report: a value, or the reason there is none.</summary>
public readonly record struct AccessResult(MmsValue? Value, DataAccessError? Error)
{
    public static AccessResult Success(MmsValue value) => new(value, null);
    public static AccessResult Failure(DataAccessError error) => new(null, error);
    public bool IsSuccess => Value is not null;
    public override string ToString() => Value?.Format() ?? $"error {Error}";
}

/// <summary>VariableAccessSpecification: a list of named variables, or the name of a named variable list.</summary>
public sealed record VariableAccessSpecification(IReadOnlyList<ObjectName>? Variables, ObjectName? VariableListName)
{
    public static VariableAccessSpecification Of(params ObjectName[] names) => new(names, null);
    public static VariableAccessSpecification OfList(ObjectName listName) => new(null, listName);

    public bool Equals(VariableAccessSpecification? other) =>
        other is not null && VariableListName == other.VariableListName &&
        (Variables is null ? other.Variables is null : other.Variables is not null && Variables.SequenceEqual(other.Variables));

    public override int GetHashCode() => HashCode.Combine(VariableListName, Variables?.Count);
}

/// <summary>Attributes of a file (sizeOfFile, lastModified).</summary>
public sealed record MmsFileAttributes(uint Size, DateTimeOffset? LastModified);

/// <summary>One entry of a FileDirectory response.</summary>
public sealed record MmsDirectoryEntry(string FileName, MmsFileAttributes Attributes);

/// <summary>One journal entry of ReadJournal: identifier, time and the variables recorded.</summary>
public sealed record MmsJournalEntry(byte[] EntryId, MmsBinaryTime OccurrenceTime, IReadOnlyList<(string Tag, MmsValue Value)> Variables)
{
    public bool Equals(MmsJournalEntry? other) =>
        other is not null && EntryId.AsSpan().SequenceEqual(other.EntryId) && OccurrenceTime == other.OccurrenceTime && Variables.SequenceEqual(other.Variables);
    public override int GetHashCode() => HashCode.Combine(EntryId.Length, OccurrenceTime);
}

/// <summary>Parameters of initiate-Request/Response (PDU size, outstanding requests, nesting, services).</summary>
public sealed record MmsInitiateParameters
{
    /// <summary>localDetailCalling/Called: the largest MMS PDU, in octets.</summary>
    public int LocalDetail { get; init; } = 65000;
    public int MaxServOutstandingCalling { get; init; } = 5;
    public int MaxServOutstandingCalled { get; init; } = 5;
    public int DataStructureNestingLevel { get; init; } = 10;
    public int VersionNumber { get; init; } = 1;
    /// <summary>ParameterSupportOptions (11 bits): str1, str2, vnam, valt and vlis, as IEC 61850-8-1 requires.</summary>
    public MmsBitString ParameterCbb { get; init; } = MmsBitString.FromBits(11, 0, 1, 2, 3, 7);
    /// <summary>ServiceSupportOptions (85 bits), bit numbers as in ISO 9506-2.</summary>
    public MmsBitString ServicesSupported { get; init; } = MmsServices.Supported;

    public bool Equals(MmsInitiateParameters? other) =>
        other is not null && LocalDetail == other.LocalDetail && MaxServOutstandingCalling == other.MaxServOutstandingCalling &&
        MaxServOutstandingCalled == other.MaxServOutstandingCalled && DataStructureNestingLevel == other.DataStructureNestingLevel &&
        VersionNumber == other.VersionNumber && ParameterCbb.Equals(other.ParameterCbb) && ServicesSupported.Equals(other.ServicesSupported);

    public override int GetHashCode() => HashCode.Combine(LocalDetail, MaxServOutstandingCalling, MaxServOutstandingCalled);
}

/// <summary>Bit numbers of ServiceSupportOptions and the set this stack supports.</summary>
public static class MmsServices
{
    public const int Status = 0, GetNameList = 1, Identify = 2, Rename = 3, Read = 4, Write = 5, GetVariableAccessAttributes = 6,
        DefineNamedVariableList = 11, GetNamedVariableListAttributes = 12, DeleteNamedVariableList = 13, ObtainFile = 46,
        ReadJournal = 65, InitializeJournal = 67, FileOpen = 72, FileRead = 73, FileClose = 74, FileRename = 75, FileDelete = 76, FileDirectory = 77,
        InformationReport = 79, Conclude = 83;

    /// <summary>Everything the server implements.</summary>
    public static readonly MmsBitString Supported = MmsBitString.FromBits(85,
        GetNameList, Identify, Read, Write, GetVariableAccessAttributes, DefineNamedVariableList,
        GetNamedVariableListAttributes, DeleteNamedVariableList, ObtainFile, ReadJournal, InitializeJournal, FileOpen, FileRead, FileClose,
        FileRename, FileDelete, FileDirectory, InformationReport, Conclude);
}

// ---------------------------------------------------------------- PDUs

/// <summary>An MMSpdu.</summary>
public abstract record MmsPdu
{
    private protected MmsPdu() { }
}

public sealed record InitiateRequestPdu(MmsInitiateParameters Parameters) : MmsPdu;
public sealed record InitiateResponsePdu(MmsInitiateParameters Parameters) : MmsPdu;
public sealed record InitiateErrorPdu(MmsServiceError Error) : MmsPdu;
public sealed record ConcludeRequestPdu : MmsPdu;
public sealed record ConcludeResponsePdu : MmsPdu;
public sealed record ConfirmedRequestPdu(uint InvokeId, MmsRequest Request) : MmsPdu;
public sealed record ConfirmedResponsePdu(uint InvokeId, MmsResponse Response) : MmsPdu;
public sealed record ConfirmedErrorPdu(uint InvokeId, MmsServiceError Error) : MmsPdu;
public sealed record RejectPdu(uint? OriginalInvokeId, MmsRejectReason Reason) : MmsPdu;

/// <summary>Unconfirmed informationReport (IEC 61850 reports, command termination).</summary>
public sealed record InformationReportPdu(VariableAccessSpecification Specification, IReadOnlyList<AccessResult> Results) : MmsPdu
{
    public bool Equals(InformationReportPdu? other) => other is not null && Specification.Equals(other.Specification) && Results.SequenceEqual(other.Results);
    public override int GetHashCode() => Results.Count;
}

// ---------------------------------------------------------------- requests

/// <summary>A ConfirmedServiceRequest.</summary>
public abstract record MmsRequest
{
    private protected MmsRequest() { }
}

public sealed record IdentifyRequest : MmsRequest;

/// <summary>GetNameList: objects of a class in the VMD, a domain or the association, after <paramref name="ContinueAfter"/>.</summary>
public sealed record GetNameListRequest(MmsObjectClass ObjectClass, MmsScope Scope, string? DomainId, string? ContinueAfter) : MmsRequest;

public sealed record ReadRequest(VariableAccessSpecification Specification, bool SpecificationWithResult = false) : MmsRequest;

public sealed record WriteRequest(VariableAccessSpecification Specification, IReadOnlyList<MmsValue> Data) : MmsRequest
{
    public bool Equals(WriteRequest? other) => other is not null && Specification.Equals(other.Specification) && Data.SequenceEqual(other.Data);
    public override int GetHashCode() => Data.Count;
}

public sealed record GetVariableAccessAttributesRequest(ObjectName Name) : MmsRequest;

public sealed record DefineNamedVariableListRequest(ObjectName ListName, IReadOnlyList<ObjectName> Variables) : MmsRequest
{
    public bool Equals(DefineNamedVariableListRequest? other) => other is not null && ListName == other.ListName && Variables.SequenceEqual(other.Variables);
    public override int GetHashCode() => ListName.GetHashCode();
}

public sealed record GetNamedVariableListAttributesRequest(ObjectName ListName) : MmsRequest;

/// <summary>DeleteNamedVariableList: scope 0 specific (the names listed), 1 aa-specific, 2 domain, 3 vmd.</summary>
public sealed record DeleteNamedVariableListRequest(int ScopeOfDelete, IReadOnlyList<ObjectName>? ListNames, string? DomainName) : MmsRequest
{
    public bool Equals(DeleteNamedVariableListRequest? other) =>
        other is not null && ScopeOfDelete == other.ScopeOfDelete && DomainName == other.DomainName &&
        (ListNames is null ? other.ListNames is null : other.ListNames is not null && ListNames.SequenceEqual(other.ListNames));
    public override int GetHashCode() => ScopeOfDelete;
}

public sealed record FileOpenRequest(string FileName, uint InitialPosition) : MmsRequest;
public sealed record FileReadRequest(int FrsmId) : MmsRequest;
public sealed record FileCloseRequest(int FrsmId) : MmsRequest;
public sealed record FileDirectoryRequest(string? FileSpecification, string? ContinueAfter) : MmsRequest;
public sealed record FileDeleteRequest(string FileName) : MmsRequest;
public sealed record FileRenameRequest(string CurrentFileName, string NewFileName) : MmsRequest;

/// <summary>ObtainFile: the server copies <paramref name="SourceFile"/> to <paramref name="DestinationFile"/> in its file store.</summary>
public sealed record ObtainFileRequest(string SourceFile, string DestinationFile) : MmsRequest;

/// <summary>ReadJournal: entries of a journal between two times, optionally after an entry.</summary>
public sealed record ReadJournalRequest(ObjectName JournalName, MmsBinaryTime? StartingTime, MmsBinaryTime? EndingTime, byte[]? EntryToStartAfter) : MmsRequest
{
    public bool Equals(ReadJournalRequest? other) =>
        other is not null && JournalName == other.JournalName && StartingTime == other.StartingTime && EndingTime == other.EndingTime &&
        (EntryToStartAfter is null ? other.EntryToStartAfter is null : other.EntryToStartAfter is not null && EntryToStartAfter.AsSpan().SequenceEqual(other.EntryToStartAfter));
    public override int GetHashCode() => JournalName.GetHashCode();
}

/// <summary>InitializeJournal: deletes the entries of a journal up to a time and, optionally, an entry (all entries when no limit is given).</summary>
public sealed record InitializeJournalRequest(ObjectName JournalName, MmsBinaryTime? LimitingTime, byte[]? LimitingEntry) : MmsRequest
{
    public bool Equals(InitializeJournalRequest? other) =>
        other is not null && JournalName == other.JournalName && LimitingTime == other.LimitingTime &&
        (LimitingEntry is null ? other.LimitingEntry is null : other.LimitingEntry is not null && LimitingEntry.AsSpan().SequenceEqual(other.LimitingEntry));
    public override int GetHashCode() => JournalName.GetHashCode();
}

// ---------------------------------------------------------------- responses

/// <summary>A ConfirmedServiceResponse.</summary>
public abstract record MmsResponse
{
    private protected MmsResponse() { }
}

public sealed record IdentifyResponse(string VendorName, string ModelName, string Revision) : MmsResponse;

public sealed record GetNameListResponse(IReadOnlyList<string> Identifiers, bool MoreFollows) : MmsResponse
{
    public bool Equals(GetNameListResponse? other) => other is not null && MoreFollows == other.MoreFollows && Identifiers.SequenceEqual(other.Identifiers);
    public override int GetHashCode() => Identifiers.Count;
}

public sealed record ReadResponse(IReadOnlyList<AccessResult> Results, VariableAccessSpecification? Specification = null) : MmsResponse
{
    public bool Equals(ReadResponse? other) => other is not null && Results.SequenceEqual(other.Results) && Equals(Specification, other.Specification);
    public override int GetHashCode() => Results.Count;
}

/// <summary>Write-Response: per element, null for success or the error.</summary>
public sealed record WriteResponse(IReadOnlyList<DataAccessError?> Results) : MmsResponse
{
    public bool Equals(WriteResponse? other) => other is not null && Results.SequenceEqual(other.Results);
    public override int GetHashCode() => Results.Count;
}

public sealed record GetVariableAccessAttributesResponse(bool MmsDeletable, MmsTypeDescription Type) : MmsResponse;

/// <summary>
/// A GetNameList response whose identifiers are already encoded (each a BER VisibleString, in order): the server writes a
/// page straight from its walk of the names, without a string per name. On the wire it is a <see cref="GetNameListResponse"/>.
/// The octets belong to the server association that made it and are valid until its next response.
/// </summary>
internal sealed record EncodedGetNameListResponse(ReadOnlyMemory<byte> EncodedIdentifiers, bool MoreFollows) : MmsResponse;

/// <summary>
/// A GetVariableAccessAttributes response whose TypeSpecification is already encoded (the server keeps the encoding of
/// the types it shares between variables). On the wire it is a <see cref="GetVariableAccessAttributesResponse"/>.
/// </summary>
internal sealed record EncodedGetVariableAccessAttributesResponse(bool MmsDeletable, ReadOnlyMemory<byte> EncodedType) : MmsResponse;
public sealed record DefineNamedVariableListResponse : MmsResponse;

public sealed record GetNamedVariableListAttributesResponse(bool MmsDeletable, IReadOnlyList<ObjectName> Variables) : MmsResponse
{
    public bool Equals(GetNamedVariableListAttributesResponse? other) => other is not null && MmsDeletable == other.MmsDeletable && Variables.SequenceEqual(other.Variables);
    public override int GetHashCode() => Variables.Count;
}

public sealed record DeleteNamedVariableListResponse(uint NumberMatched, uint NumberDeleted) : MmsResponse;
public sealed record FileOpenResponse(int FrsmId, MmsFileAttributes Attributes) : MmsResponse;

public sealed record FileReadResponse(byte[] FileData, bool MoreFollows) : MmsResponse
{
    public bool Equals(FileReadResponse? other) => other is not null && MoreFollows == other.MoreFollows && FileData.AsSpan().SequenceEqual(other.FileData);
    public override int GetHashCode() => FileData.Length;
}

public sealed record FileCloseResponse : MmsResponse;

public sealed record FileDirectoryResponse(IReadOnlyList<MmsDirectoryEntry> Entries, bool MoreFollows) : MmsResponse
{
    public bool Equals(FileDirectoryResponse? other) => other is not null && MoreFollows == other.MoreFollows && Entries.SequenceEqual(other.Entries);
    public override int GetHashCode() => Entries.Count;
}

public sealed record FileDeleteResponse : MmsResponse;
public sealed record FileRenameResponse : MmsResponse;
public sealed record ObtainFileResponse : MmsResponse;

/// <summary>InitializeJournal-Response: the number of entries deleted.</summary>
public sealed record InitializeJournalResponse(uint EntriesDeleted) : MmsResponse;

public sealed record ReadJournalResponse(IReadOnlyList<MmsJournalEntry> Entries, bool MoreFollows) : MmsResponse
{
    public bool Equals(ReadJournalResponse? other) => other is not null && MoreFollows == other.MoreFollows && Entries.SequenceEqual(other.Entries);
    public override int GetHashCode() => Entries.Count;
}
