using FlexCoop.Conformance.Certification;
using FlexCoop.Conformance.Iec61850.Internal;
using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Iec61850.Mms.Client;
using FlexCoop.Iec61850.Model;

namespace FlexCoop.Conformance.Iec61850;

/// <summary>
/// What a case script works with: the server's address, the SCL model it claims to serve, the PIXIT,
/// associations (closed when the case ends, every PDU of each in the case's timeline), checks and notes
/// recorded on the runner's <see cref="CaseRecorder"/>, and operator actions.
/// </summary>
public sealed class Iec61850TestContext : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _open = [];
    private int _checks;
    private int _associations;

    public Iec61850TestContext(string host, int port, IedModel model, Iec61850Pixit pixit, CaseRecorder recorder)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(pixit);
        ArgumentNullException.ThrowIfNull(recorder);
        Host = host;
        Port = port;
        Model = model;
        Pixit = pixit;
        Recorder = recorder;
    }

    public string Host { get; }
    public int Port { get; }
    public IedModel Model { get; }
    public Iec61850Pixit Pixit { get; }

    /// <summary>The runner's recorder of this case (timeline, failures, verdict).</summary>
    public CaseRecorder Recorder { get; }

    /// <summary>How many checks the case made so far (a case that made none is inconclusive).</summary>
    public int CheckCount => Volatile.Read(ref _checks);

    /// <summary>How long to wait for a report or a CommandTermination (PIXIT <c>reportTimeoutMs</c>).</summary>
    public TimeSpan ReportTimeout => TimeSpan.FromMilliseconds(Pixit.ReportTimeoutMs);

    /// <summary>
    /// Options for an association: the PIXIT password unless <paramref name="password"/> is given. Connecting and
    /// each request may take the report timeout, and never less than 10 s: a busy server is slow, not wrong
    /// (the robustness cases time their own waits).
    /// </summary>
    public MmsClientOptions ClientOptions(string? password = null, bool usePixitPassword = true) => new()
    {
        Password = password ?? (usePixitPassword ? Pixit.Password : null),
        ConnectTimeout = RequestTimeout,
        RequestTimeout = RequestTimeout,
    };

    private TimeSpan RequestTimeout => ReportTimeout > TimeSpan.FromSeconds(10) ? ReportTimeout : TimeSpan.FromSeconds(10);

    /// <summary>Associates (with the PIXIT password); the association is released or aborted when the case ends.</summary>
    public async Task<Iec61850Client> ConnectAsync(MmsClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        var number = Interlocked.Increment(ref _associations);
        Log($"associate (association {number})");
        var timeline = new MmsPduTimeline(Recorder, number);
        var withTimeline = (options ?? ClientOptions()) with { PacketInspector = timeline.Inspect };
        var client = await Iec61850Client.ConnectAsync(Host, Port, withTimeline, cancellationToken).ConfigureAwait(false);
        lock (_open) _open.Add(client);
        return client;
    }

    /// <summary>Adds a check; a failed one is a failure of the case (which goes on). Returns whether it held.</summary>
    public bool Check(bool condition, string description, string? detail = null)
    {
        Interlocked.Increment(ref _checks);
        var index = Recorder.Record(MessageDirection.Note, (condition ? "ok: " : "FAILED: ") + description, detail ?? "");
        if (!condition) Recorder.AddFailure(new CheckFailure(Recorder.Case.Id, description + (detail is null ? "" : $" (seen: {detail})"), detail, index));
        return condition;
    }

    /// <summary>A check the rest of the case depends on: when it fails, the case stops with Fail.</summary>
    public void Require(bool condition, string description, string? detail = null)
    {
        if (!Check(condition, description, detail)) throw new CaseStoppedException(description);
    }

    /// <summary>Ends the case as not applicable (the server does not claim the feature, or the model has no such object).</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void NotApplicable(string why) => throw new CaseNotApplicableException(why);

    /// <summary>A note in the case's timeline.</summary>
    public void Log(string text) => Recorder.Record(MessageDirection.Note, text, "");

    /// <summary>Has the operator (a person, the action hook, code) do something at the server, e.g. change a value.</summary>
    /// <exception cref="OperatorActionException">No operator, or the action could not be performed (the case is then inconclusive).</exception>
    public Task ActAsync(string action, string instruction, CancellationToken cancellationToken) =>
        Recorder.ActAsync(new OperatorAction(action, instruction), cancellationToken);

    /// <summary>Runs a SetDataValues and returns the DataAccessError (null on success).</summary>
    public async Task<DataAccessError?> TryWriteAsync(Iec61850Client client, string reference, FunctionalConstraint fc, MmsValue value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        try
        {
            await client.SetDataValuesAsync(reference, fc, value, cancellationToken).ConfigureAwait(false);
            Log($"write {reference} [{fc}] = {value.Format()}: success");
            return null;
        }
        catch (Iec61850DataAccessException ex)
        {
            Log($"write {reference} [{fc}] = {value.Format()}: {ex.Error}");
            return ex.Error;
        }
    }

    /// <summary>The next report within the report timeout, or null.</summary>
    public async Task<Iec61850Report?> NextReportAsync(Iec61850Client client, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout ?? ReportTimeout);
        try
        {
            var report = await client.ReadReportAsync(limit.Token).ConfigureAwait(false);
            Log($"report {report.RptId} SqNum={report.SqNum} entries={report.Entries.Count}{(report.BufOvfl is { } o ? $" BufOvfl={o}" : "")}");
            return report;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Log("no report within the timeout");
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        IAsyncDisposable[] open;
        lock (_open) open = [.. _open];
        foreach (var o in open)
        {
            try
            {
                await o.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is MmsException or IOException or ObjectDisposedException or OperationCanceledException or TimeoutException)
            {
                // the association is gone already
            }
        }
    }
}

/// <summary>The case does not apply to this server.</summary>
internal sealed class CaseNotApplicableException(string message) : Exception(message);
