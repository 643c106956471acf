using System.Diagnostics;
using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Iec61850.Mms.Client;
using FlexCoop.Iec61850.Model;

namespace FlexCoop.Conformance.Iec61850;

/// <summary>
/// What a case script works with: the server's address, the SCL model it claims to serve, the PIXIT,
/// associations (closed when the case ends), and the case's checks and timeline.
/// </summary>
public sealed class Iec61850TestContext : IAsyncDisposable
{
    private readonly List<Iec61850Check> _checks = [];
    private readonly List<Iec61850TimelineEntry> _timeline = [];
    private readonly List<IAsyncDisposable> _open = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public Iec61850TestContext(string host, int port, IedModel model, Iec61850Pixit pixit)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(pixit);
        Host = host;
        Port = port;
        Model = model;
        Pixit = pixit;
    }

    public string Host { get; }
    public int Port { get; }
    public IedModel Model { get; }
    public Iec61850Pixit Pixit { get; }

    public IReadOnlyList<Iec61850Check> Checks => _checks;
    public IReadOnlyList<Iec61850TimelineEntry> Timeline => _timeline;

    /// <summary>How long to wait for a report or a CommandTermination (PIXIT <c>reportTimeoutMs</c>).</summary>
    public TimeSpan ReportTimeout => TimeSpan.FromMilliseconds(Pixit.ReportTimeoutMs);

    /// <summary>Options for an association: the PIXIT password unless <paramref name="password"/> is given.</summary>
    public MmsClientOptions ClientOptions(string? password = null, bool usePixitPassword = true) => new()
    {
        Password = password ?? (usePixitPassword ? Pixit.Password : null),
        ConnectTimeout = ReportTimeout,
        RequestTimeout = ReportTimeout,
        PacketInspector = null,
    };

    /// <summary>Associates (with the PIXIT password); the association is released or aborted when the case ends.</summary>
    public async Task<Iec61850Client> ConnectAsync(MmsClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        Log("associate");
        var client = await Iec61850Client.ConnectAsync(Host, Port, options ?? ClientOptions(), cancellationToken).ConfigureAwait(false);
        lock (_open) _open.Add(client);
        return client;
    }

    /// <summary>Adds a check; returns whether it held.</summary>
    public bool Check(bool condition, string description, string? detail = null)
    {
        lock (_checks) _checks.Add(new Iec61850Check(description, condition, detail));
        Log((condition ? "ok: " : "FAILED: ") + description + (detail is null ? "" : " (" + detail + ")"));
        return condition;
    }

    /// <summary>A check the rest of the case depends on: when it fails, the case ends with Fail.</summary>
    public void Require(bool condition, string description, string? detail = null)
    {
        if (!Check(condition, description, detail)) throw new CaseAbortedException(description);
    }

    /// <summary>Ends the case as not applicable (the server does not claim the feature, or the model has no such object).</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void NotApplicable(string why) => throw new CaseNotApplicableException(why);

    public void Log(string text)
    {
        lock (_timeline) _timeline.Add(new Iec61850TimelineEntry(_clock.Elapsed, text));
    }

    /// <summary>Runs a SetDataValues and returns the DataAccessError (null on success).</summary>
    public async Task<DataAccessError?> TryWriteAsync(Iec61850Client client, string reference, FunctionalConstraint fc, MmsValue value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        Log($"write {reference} [{fc}] = {value.Format()}");
        try
        {
            await client.SetDataValuesAsync(reference, fc, value, cancellationToken).ConfigureAwait(false);
            Log("write: success");
            return null;
        }
        catch (Iec61850DataAccessException ex)
        {
            Log($"write: {ex.Error}");
            return ex.Error;
        }
    }

    /// <summary>The next report within the report timeout, or null.</summary>
    public async Task<Iec61850Report?> NextReportAsync(Iec61850Client client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReportTimeout);
        try
        {
            var report = await client.ReadReportAsync(timeout.Token).ConfigureAwait(false);
            Log($"report {report.RptId} SqNum={report.SqNum} entries={report.Entries.Count}");
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

/// <summary>A required check failed: the case ends with Fail.</summary>
internal sealed class CaseAbortedException(string message) : Exception(message);

/// <summary>The case does not apply to this server.</summary>
internal sealed class CaseNotApplicableException(string message) : Exception(message);
