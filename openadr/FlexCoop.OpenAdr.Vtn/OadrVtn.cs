using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Schema;
using FlexCoop.OpenAdr.Vtn.Internal;
using FlexCoop.OpenAdr.Vtn.Storage;
using FlexCoop.OpenAdr.Xml;
using Microsoft.Extensions.Logging;

namespace FlexCoop.OpenAdr.Vtn;

/// <summary>
/// The VTN engine: receives every VEN payload, applies the 2.0b profile's rules, keeps state in
/// an <see cref="IVtnStore"/> and queues what each VEN is due. Operators act on it through its
/// methods (<see cref="CreateEventAsync"/>, <see cref="RequestReportAsync"/>, ...). Obtain it from
/// <see cref="VtnServer.Vtn"/>.
/// </summary>
public sealed partial class OadrVtn : IOadrRequestHandler
{
    private static readonly OadrSerializerOptions Wire = OadrSerializerOptions.Default with { Indent = false };

    private readonly IVtnStore _store;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly OadrSchemaValidator? _validator;
    private readonly OadrXmlLimits _limits;
    private readonly VenDirectory _vens = new();
    private readonly EmptyPollResponse _emptyPoll = new(Wire);
    private readonly VtnPayloadSecurity? _security;
    private PushDispatcher? _push;

    private OadrVtn(VtnOptions options, IVtnStore store, TimeProvider clock, ILogger logger, OadrSchemaValidator? validator)
    {
        Options = options;
        _store = store;
        _clock = clock;
        _logger = logger;
        _validator = validator;
        _limits = OadrXmlLimits.Default with { MaxCharacters = options.MaxRequestBodyBytes };
        _security = options.Security == Security.OadrSecurityLevel.High ? new VtnPayloadSecurity(options, clock) : null;
    }

    /// <summary>The options the VTN runs with.</summary>
    public VtnOptions Options { get; }

    /// <summary>The VTN's durable state.</summary>
    public IVtnStore Store => _store;

    /// <summary>Raised after each thing that happened has been committed (registrations, responses, readings, opts, deliveries, refusals).</summary>
    public event EventHandler<VtnActivityEventArgs>? Activity;

    internal static async Task<OadrVtn> CreateAsync(VtnOptions options, IVtnStore store, TimeProvider clock, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        OadrSchemaValidator? validator = null;
        if (options.SchemaDirectory is { } dir)
        {
            try
            {
                validator = new OadrSchemaValidator(OadrSchemaSet.Load(dir));
            }
            catch (OpenAdrException ex)
            {
                throw new VtnConfigurationException($"cannot load the OpenADR schemas from {dir}: {ex.Message}", ex);
            }
        }
        var vtn = new OadrVtn(options, store, clock, loggerFactory.CreateLogger<OadrVtn>(), validator);
        foreach (var ven in await store.ListVensAsync(cancellationToken))
        {
            vtn.Remember(ven);
        }
        await vtn.LoadEventsAsync(cancellationToken);
        return vtn;
    }

    internal void AttachPush(PushDispatcher push) => _push = push;

    /// <summary>The VENs known, from memory.</summary>
    public IReadOnlyList<VenRecord> Vens => _vens.All.OrderBy(v => v.VenId, StringComparer.Ordinal).ToList();

    /// <summary>A VEN by venID, from memory.</summary>
    public VenRecord? FindVen(string venId) => _vens.Find(venId);

    // The record as the directory keeps it (strings it need not hold twice shared).
    private VenRecord Remember(VenRecord ven) => _vens.Remember(ven);

    private void Raise(VtnActivityKind kind, string? venId, string detail) =>
        Activity?.Invoke(this, new VtnActivityEventArgs(new VtnActivity(kind, venId, detail)));

    // ---- request handling ----

    async ValueTask<byte[]> IOadrRequestHandler.HandleAsync(OadrEndpoint endpoint, ReadOnlyMemory<byte> body, ClientIdentity identity, CancellationToken cancellationToken)
    {
        var reply = await HandleAsync(endpoint, body, identity, pushedTo: null, cancellationToken);
        return Seal(VtnFaults.OnWire(Options, reply.Raw ?? OadrCodec.SerializeToUtf8Bytes(VtnFaults.OnAnswer(Options, reply.Message!), Wire)));
    }

    /// <summary>A payload as it goes on the wire: signed at high security, as it is otherwise.</summary>
    internal byte[] Seal(byte[] payload) => _security is null || VtnFaults.LeavesUnsigned(Options, payload) ? payload : _security.Sign(payload);

    /// <summary>
    /// Handles one payload from a VEN: received on an endpoint, or (with <paramref name="pushedTo"/>)
    /// as the answer to a push to that VEN.
    /// </summary>
    internal async Task<VtnReply> HandleAsync(OadrEndpoint endpoint, ReadOnlyMemory<byte> body, ClientIdentity identity, VenRecord? pushedTo, CancellationToken cancellationToken)
    {
        if (_security is null && pushedTo is null && endpoint == OadrEndpoint.OadrPoll && RecognisePoll(body.Span, identity) is { } known)
        {
            // The same bytes this VEN's certificate had accepted before: validated and parsed then.
            return await PollAsync(known, cancellationToken);
        }
        if (_security is not null)
        {
            // A push answer must be signed by the VEN's own certificate; an XMPP VEN is known by its JID
            // (the XMPP server authenticated it), so there the signer need only be trusted.
            var expected = pushedTo?.Fingerprint is { Length: > 0 } f && !f.StartsWith("xmpp:", StringComparison.Ordinal) ? f : null;
            var signature = _security.Verify(body.Span, identity.Certificate, expected);
            if (!signature.IsValid)
            {
                return RefuseUnsigned(body.Span, signature, pushedTo?.VenId);
            }
            if (identity.Fingerprint is null && signature.SignerCertificate is { } signer)
            {
                // Plain HTTP: the signing certificate is the VEN's identity.
                identity = new ClientIdentity(CertificateIdentity.Fingerprint(signer), signer);
            }
        }
        if (_validator is not null)
        {
            var result = _validator.Validate(body.Span, _limits);
            if (!result.IsValid)
            {
                var first = result.Violations[0];
                var code = first.Rule == "xsd" ? ResponseCode.ComplianceError : ResponseCode.InvalidData;
                return Refuse(code, $"schema: {first}", "", null, "(unreadable)");
            }
        }
        OadrMessage message;
        try
        {
            message = OadrCodec.ParseMessage(body.Span, _limits);
        }
        catch (OadrFormatException ex)
        {
            var code = ex.Rule == "xsd" ? ResponseCode.ComplianceError : ResponseCode.InvalidData;
            return Refuse(code, ex.Message, "", null, "(unreadable)");
        }
        if (!BelongsTo(endpoint, message))
        {
            return Refuse(ResponseCode.NotRecognized, $"{message.ElementName} is not a {endpoint} payload", RequestIdOf(message), null, message.ElementName);
        }

        // Registration queries and requests come from VENs not (yet) registered.
        switch (message)
        {
            case OadrQueryRegistration query:
                return Reply(await QueryRegistrationAsync(query, identity, cancellationToken));
            case OadrCreatePartyRegistration create:
                return Reply(await CreatePartyRegistrationAsync(create, identity, cancellationToken));
        }

        var claimed = VenIdOf(message);
        VenRecord? ven = pushedTo ?? (identity.Fingerprint is { } fp
            ? await FindByFingerprintAsync(fp, cancellationToken)
            : claimed is null ? null : _vens.Find(claimed));
        if (ven is null)
        {
            return Refuse(ResponseCode.NotRegisteredOrAuthorized, identity.Fingerprint is null ? "unknown venID" : "no VEN registered with this certificate", RequestIdOf(message), claimed, message.ElementName);
        }
        if (claimed is not null && !string.Equals(claimed, ven.VenId, StringComparison.Ordinal))
        {
            return Refuse(ResponseCode.NotRegisteredOrAuthorized, $"venID {claimed} does not belong to this certificate", RequestIdOf(message), ven.VenId, message.ElementName);
        }
        // A VEN whose registration just ended may still confirm that, or acknowledge something.
        if (message is OadrCanceledPartyRegistration or OadrResponse)
        {
            return Reply(Ok(RequestIdOf(message), ven.VenId));
        }
        if (!ven.IsRegistered)
        {
            return Refuse(ResponseCode.NotRegisteredOrAuthorized, "the VEN is not registered", RequestIdOf(message), ven.VenId, message.ElementName);
        }

        return message switch
        {
            OadrPoll => await FirstPollAsync(ven, body.Span, identity, cancellationToken),
            OadrCancelPartyRegistration cancel => Reply(await CancelPartyRegistrationAsync(ven, cancel, cancellationToken)),
            OadrRequestEvent request => Reply(await BuildDistributeAsync(ven, request.ReplyLimit, cancellationToken)),
            OadrCreatedEvent created => Reply(await CreatedEventAsync(ven, created, cancellationToken)),
            OadrRegisterReport register => Reply(await RegisterReportAsync(ven, register, cancellationToken)),
            OadrRegisteredReport registered => Reply(RegisteredReport(ven, registered)),
            OadrCreateReport createReport => Reply(await CreateReportFromVenAsync(ven, createReport, cancellationToken)),
            OadrCreatedReport createdReport => Reply(await CreatedReportAsync(ven, createdReport, cancellationToken)),
            OadrUpdateReport update => Reply(await UpdateReportAsync(ven, update, cancellationToken)),
            OadrCancelReport cancelReport => Reply(await CancelReportFromVenAsync(ven, cancelReport, cancellationToken)),
            OadrUpdatedReport updatedReport => Reply(await UpdatedReportAsync(ven, updatedReport, cancellationToken)),
            OadrCanceledReport canceled => Reply(CanceledReport(ven, canceled)),
            OadrCreateOpt createOpt => Reply(await CreateOptAsync(ven, createOpt, cancellationToken)),
            OadrCancelOpt cancelOpt => Reply(await CancelOptAsync(ven, cancelOpt, cancellationToken)),
            _ => Refuse(ResponseCode.NotRecognized, $"{message.ElementName} is not something a VEN sends", RequestIdOf(message), ven.VenId, message.ElementName),
        };
    }

    /// <summary>
    /// The registered VEN whose poll this is when <paramref name="identity"/> sent exactly these
    /// bytes before and they were accepted (validated, parsed, venID its own); null otherwise, and
    /// the payload takes the full path.
    /// </summary>
    private VenRecord? RecognisePoll(ReadOnlySpan<byte> body, ClientIdentity identity)
    {
        // Without a certificate (plain HTTP) the venID sent is the identity, as on the full path.
        return identity.Fingerprint is { } sender ? _vens.RecognisePoll(sender, body) : _vens.RecogniseAnonymousPoll(body);
    }

    private Task<VtnReply> FirstPollAsync(VenRecord ven, ReadOnlySpan<byte> body, ClientIdentity identity, CancellationToken cancellationToken)
    {
        // Only an unsigned poll is remembered: a signed poll is never the same twice, and each one's
        // signature and nonce must be checked (see VenDirectory, PollShape). Without a certificate
        // (plain HTTP) the memo is the venID's, as the VEN was found by it.
        if (_security is null)
        {
            if (identity.Fingerprint is { } sender) _vens.RememberPoll(sender, body, ven.VenId);
            else _vens.RememberAnonymousPoll(body, ven.VenId);
        }
        return PollAsync(ven, cancellationToken);
    }

    private static bool BelongsTo(OadrEndpoint endpoint, OadrMessage message) => message switch
    {
        OadrResponse => true,
        OadrQueryRegistration or OadrCreatePartyRegistration or OadrCancelPartyRegistration or OadrCanceledPartyRegistration => endpoint == OadrEndpoint.EiRegisterParty,
        OadrRequestEvent or OadrCreatedEvent => endpoint == OadrEndpoint.EiEvent,
        OadrRegisterReport or OadrRegisteredReport or OadrCreateReport or OadrCreatedReport or OadrUpdateReport or OadrUpdatedReport or OadrCancelReport or OadrCanceledReport => endpoint == OadrEndpoint.EiReport,
        OadrCreateOpt or OadrCancelOpt => endpoint == OadrEndpoint.EiOpt,
        OadrPoll => endpoint == OadrEndpoint.OadrPoll,
        _ => false,
    };

    // The venID a VEN claims in what it sends; a registration request (which may carry none yet)
    // and the VTN's own messages claim nothing.
    private static string? VenIdOf(OadrMessage message) =>
        message is OadrCreatePartyRegistration or OadrCreatedPartyRegistration or OadrRequestReregistration
            ? null
            : OadrMessageIds.VenId(message);

    private static string RequestIdOf(OadrMessage message) => message switch
    {
        OadrQueryRegistration m => m.RequestId,
        OadrCreatePartyRegistration m => m.RequestId,
        OadrCancelPartyRegistration m => m.RequestId,
        OadrRequestEvent m => m.RequestId,
        OadrCreatedEvent m => m.EiResponse.RequestId,
        OadrRegisterReport m => m.RequestId,
        OadrRegisteredReport m => m.EiResponse.RequestId,
        OadrCreateReport m => m.RequestId,
        OadrCreatedReport m => m.EiResponse.RequestId,
        OadrUpdateReport m => m.RequestId,
        OadrCancelReport m => m.RequestId,
        OadrCanceledReport m => m.EiResponse.RequestId,
        OadrUpdatedReport m => m.EiResponse.RequestId,
        OadrCreateOpt m => m.RequestId,
        OadrCancelOpt m => m.RequestId,
        OadrResponse m => m.EiResponse.RequestId,
        _ => "",
    };

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    // ---- replies ----

    /// <summary>A reply: a message to serialise, or bytes already serialised (a queued message).</summary>
    internal readonly record struct VtnReply(OadrMessage? Message, byte[]? Raw);

    private static VtnReply Reply(OadrMessage message) => new(message, null);

    private static EiResponse Response(ResponseCode code, string requestId, string? description = null) =>
        new() { ResponseCode = code, RequestId = requestId, ResponseDescription = description };

    private static OadrResponse Ok(string requestId, string? venId) =>
        new() { EiResponse = Response(ResponseCode.Ok, requestId, "OK"), VenId = venId };

    private VtnReply Refuse(ResponseCode code, string reason, string requestId, string? venId, string payload)
    {
        VtnLog.PayloadRefused(_logger, payload, venId ?? "(unknown)", code.Value, reason);
        Raise(VtnActivityKind.Refused, venId, $"{code.Value} {payload}: {reason}");
        return Reply(new OadrResponse { EiResponse = Response(code, requestId, Truncate(reason)), VenId = venId });
    }

    // A payload whose signature fails is answered 463 (not authenticated) and never acted on.
    private VtnReply RefuseUnsigned(ReadOnlySpan<byte> body, Security.OadrSignatureVerification signature, string? venId)
    {
        string requestId = "", payload = "(unreadable)";
        try
        {
            var message = OadrCodec.ParseMessage(body, _limits);
            (requestId, payload, venId) = (RequestIdOf(message), message.ElementName, venId ?? VenIdOf(message));
        }
        catch (OadrFormatException)
        {
            // Only used to name the payload in the answer.
        }
        return Refuse(ResponseCode.NotRegisteredOrAuthorized, $"high security: signature {signature.Status}: {signature.Message}", requestId, venId, payload);
    }

    private static string Truncate(string s) => s.Length <= 250 ? s : s[..250];

    private static string NewId(string prefix) => prefix + Guid.NewGuid().ToString("N")[..20];

    private DateTimeOffset Now => _clock.GetUtcNow();

    /// <summary>Serialises a message the VTN sends (queued or pushed).</summary>
    internal static byte[] Serialize(OadrMessage message) => OadrCodec.SerializeToUtf8Bytes(message, Wire);

    private static string SerializeToString(OadrMessage message) => OadrCodec.SerializeToString(message, Wire);
}
