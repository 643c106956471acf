namespace FlexCoop.OpenAdr.Vtn.Storage;

/// <summary>
/// The VTN's durable state. Every method that writes commits before it returns, so a VTN that
/// answers a VEN after awaiting the store has made what it acknowledged durable. Methods that
/// take several records apply all or nothing. Failures surface as <see cref="VtnStoreException"/>.
/// </summary>
public interface IVtnStore : IAsyncDisposable
{
    /// <summary>Creates the tables when missing. Called once before use; safe to call again.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    // ---- VENs and registrations ----

    /// <summary>Creates or replaces the VEN with the same venID.</summary>
    Task SaveVenAsync(VenRecord ven, CancellationToken cancellationToken = default);

    Task<VenRecord?> GetVenAsync(string venId, CancellationToken cancellationToken = default);

    Task<VenRecord?> GetVenByFingerprintAsync(string fingerprint, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<VenRecord>> ListVensAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Ends the VEN's registration (its identity stays) and drops its pending queued messages,
    /// its report requests and its opts; true when it was registered with <paramref name="registrationId"/>.
    /// </summary>
    Task<bool> CancelRegistrationAsync(string venId, string registrationId, DateTimeOffset now, CancellationToken cancellationToken = default);

    // ---- events ----

    /// <summary>
    /// Stores a new version of an event (a new event has modificationNumber 0, every change one
    /// more: rules 4, 5) and enqueues <paramref name="notify"/> in the same transaction. Fails when
    /// the modificationNumber is not exactly one above the stored one (or 0 for a new event).
    /// </summary>
    Task SaveEventAsync(VtnEvent vtnEvent, IReadOnlyList<OutboundRequest> notify, CancellationToken cancellationToken = default);

    Task<VtnEvent?> GetEventAsync(string eventId, CancellationToken cancellationToken = default);

    /// <summary>Every stored version of an event, oldest first.</summary>
    Task<IReadOnlyList<VtnEvent>> GetEventHistoryAsync(string eventId, CancellationToken cancellationToken = default);

    /// <summary>The latest version of each event that is not cancelled-and-over or over before <paramref name="since"/>.</summary>
    Task<IReadOnlyList<VtnEvent>> ListEventsAsync(DateTimeOffset? since = null, CancellationToken cancellationToken = default);

    /// <summary>Records a VEN's answer to an event (replacing its earlier answer).</summary>
    Task SaveEventResponseAsync(EventResponseRecord response, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<EventResponseRecord>> GetEventResponsesAsync(string eventId, CancellationToken cancellationToken = default);

    /// <summary>One VEN's answer to an event, or null (the engine asks this once per answer: a store should not read every VEN's).</summary>
    async Task<EventResponseRecord?> GetEventResponseAsync(string eventId, string venId, CancellationToken cancellationToken = default) =>
        (await GetEventResponsesAsync(eventId, cancellationToken).ConfigureAwait(false)).FirstOrDefault(r => string.Equals(r.VenId, venId, StringComparison.Ordinal));

    // ---- opts ----

    /// <summary>Creates or replaces the opt with the same optID (for the same VEN), with the event response it implies, at once.</summary>
    Task SaveOptAsync(OptRecord opt, EventResponseRecord? eventResponse = null, CancellationToken cancellationToken = default);

    Task<OptRecord?> GetOptAsync(string venId, string optId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<OptRecord>> ListOptsAsync(string? venId = null, CancellationToken cancellationToken = default);

    /// <summary>Marks the VEN's opt cancelled; false when it has none with that optID.</summary>
    Task<bool> CancelOptAsync(string venId, string optId, CancellationToken cancellationToken = default);

    // ---- reports ----

    /// <summary>Replaces every report the VEN had registered by <paramref name="reports"/> and stores the requests made in answer, at once.</summary>
    Task RegisterVenReportsAsync(string venId, IReadOnlyList<VenReportRecord> reports, IReadOnlyList<ReportRequestRecord> requests, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<VenReportRecord>> GetVenReportsAsync(string venId, CancellationToken cancellationToken = default);

    /// <summary>Stores report requests and enqueues <paramref name="notify"/> in the same transaction.</summary>
    Task SaveReportRequestsAsync(IReadOnlyList<ReportRequestRecord> requests, IReadOnlyList<OutboundRequest> notify, CancellationToken cancellationToken = default);

    Task<ReportRequestRecord?> GetReportRequestAsync(string reportRequestId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ReportRequestRecord>> ListReportRequestsAsync(string? venId = null, CancellationToken cancellationToken = default);

    /// <summary>Sets the state of the VEN's report requests; returns how many were found.</summary>
    Task<int> SetReportRequestStateAsync(string venId, IReadOnlyList<string> reportRequestIds, ReportRequestState state, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Appends readings (all or none).</summary>
    Task AddReadingsAsync(IReadOnlyList<ReportReadingRecord> readings, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes readings received before <paramref name="receivedBefore"/> (when given) and, of each
    /// VEN's rID, all but the newest <paramref name="keepPerRId"/> (when given), in transactions of
    /// at most <paramref name="batch"/> rows; returns how many were deleted.
    /// </summary>
    Task<long> PurgeReadingsAsync(DateTimeOffset? receivedBefore, int? keepPerRId, int batch = 5000, CancellationToken cancellationToken = default);

    /// <summary>Readings of a VEN, oldest first, optionally of one request, at most <paramref name="limit"/> of the newest.</summary>
    Task<IReadOnlyList<ReportReadingRecord>> GetReadingsAsync(string venId, string? reportRequestId = null, int limit = 1000, CancellationToken cancellationToken = default);

    // ---- outbound queue ----

    /// <summary>Queues messages (all or none); returns the ids of those added (coalesced ones are left out).</summary>
    Task<IReadOnlyList<long>> EnqueueAsync(IReadOnlyList<OutboundRequest> messages, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>The VEN's oldest pending poll message, marked delivered in the same transaction; null when none.</summary>
    Task<OutboundMessage?> TakeNextForPollAsync(string venId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>True when the VEN has a pending poll message.</summary>
    Task<bool> HasPendingForPollAsync(string venId, CancellationToken cancellationToken = default);

    /// <summary>Pending push messages whose next attempt is due, oldest first.</summary>
    Task<IReadOnlyList<OutboundMessage>> ListDuePushAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims a pending message for a delivery attempt until <paramref name="until"/>: it is not due
    /// before then, and a coalescing enqueue no longer counts on it (its content may already be built).
    /// </summary>
    Task LeaseAsync(long id, DateTimeOffset until, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims, in one transaction, those of <paramref name="ids"/> that are still pending and due at
    /// <paramref name="now"/> until <paramref name="until"/>, and returns them: of several VTNs sharing
    /// the store, exactly one claims a given message and delivers it (the push dispatcher claims what
    /// it takes from the queue at once rather than one write per message).
    /// </summary>
    Task<IReadOnlyList<long>> LeaseManyAsync(IReadOnlyList<long> ids, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken = default);

    /// <summary>Marks a message delivered.</summary>
    Task MarkDeliveredAsync(long id, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Records a failed attempt: pending again at <paramref name="nextAttemptAt"/>, or failed for good when null.</summary>
    Task MarkAttemptFailedAsync(long id, DateTimeOffset? nextAttemptAt, string error, CancellationToken cancellationToken = default);

    /// <summary>Messages of a VEN in any state, oldest first (for operators and tests).</summary>
    Task<IReadOnlyList<OutboundMessage>> ListOutboundAsync(string venId, CancellationToken cancellationToken = default);
}
