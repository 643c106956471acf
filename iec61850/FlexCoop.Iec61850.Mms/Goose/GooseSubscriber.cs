namespace FlexCoop.Iec61850.Mms.Goose;

/// <summary>What a subscriber accepts: frames with this APPID and/or this gocbRef (null accepts any).</summary>
public sealed record GooseSubscriberOptions
{
    public ushort? AppId { get; init; }
    public string? GocbRef { get; init; }

    /// <summary>Most publishers tracked at once; frames of further publishers are reported but not tracked.</summary>
    public int MaxStreams { get; init; } = 1024;
}

/// <summary>How a received frame relates to what the subscriber saw before from the same publisher.</summary>
public enum GooseReceptionStatus
{
    /// <summary>Not GOOSE, or another APPID/gocbRef than subscribed to.</summary>
    Filtered,

    /// <summary>A GOOSE frame for us that does not decode (see <see cref="GooseReception.Error"/>).</summary>
    Malformed,

    /// <summary>The first frame of this publisher, or the first new one after its time allowed to live expired.</summary>
    First,

    /// <summary>stNum moved on: the data set changed.</summary>
    StateChange,

    /// <summary>Same stNum, higher sqNum: a retransmission.</summary>
    Retransmission,

    /// <summary>Same stNum and sqNum as the last accepted frame (also after expiry: a stale copy does not revive the publisher).</summary>
    Duplicate,

    /// <summary>An older stNum, or an older sqNum of the current stNum; the state is not updated.</summary>
    OutOfOrder,

    /// <summary>Too many publishers are already tracked; decoded but not tracked.</summary>
    Untracked,
}

/// <summary>The outcome of one received frame.</summary>
/// <param name="Status">How the frame relates to the publisher's previous frames.</param>
/// <param name="Frame">The decoded frame (null when filtered or malformed).</param>
/// <param name="Error">Why the frame did not decode (for <see cref="GooseReceptionStatus.Malformed"/>).</param>
/// <param name="MissedFrames">True when stNum or sqNum skipped values: frames were lost in between.</param>
public sealed record GooseReception(GooseReceptionStatus Status, GooseFrame? Frame, MmsDecodeException? Error = null, bool MissedFrames = false)
{
    /// <summary>True when the frame updated the subscriber's view (first, state change, retransmission).</summary>
    public bool Accepted => Status is GooseReceptionStatus.First or GooseReceptionStatus.StateChange or GooseReceptionStatus.Retransmission;
}

/// <summary>What the subscriber knows of one publisher (APPID + gocbRef).</summary>
public sealed record GooseStreamState
{
    public required ushort AppId { get; init; }
    public required string GocbRef { get; init; }
    public required GoosePdu LastPdu { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary><see cref="ReceivedAt"/> plus the last frame's timeAllowedtoLive.</summary>
    public DateTimeOffset ExpiresAt => ReceivedAt.AddMilliseconds(LastPdu.TimeAllowedToLive);

    /// <summary>True once no frame came within the time allowed to live.</summary>
    public bool Expired { get; init; }
}

/// <summary>
/// A GOOSE subscriber: filters frames by APPID and gocbRef, follows each publisher's stNum/sqNum
/// (state changes, retransmissions, duplicates, out-of-order and lost frames) and detects the
/// expiry of the time allowed to live with an injectable clock. Pure state: frames go in through
/// <see cref="Receive"/>, <see cref="CheckTimeAllowedToLive"/> reports expiries; <see cref="ListenAsync"/>
/// runs both on a transport. Malformed frames are results, never exceptions.
/// </summary>
public sealed class GooseSubscriber
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly Dictionary<(ushort, string), GooseStreamState> _streams = [];

    public GooseSubscriber(GooseSubscriberOptions? options = null, TimeProvider? timeProvider = null)
    {
        Options = options ?? new GooseSubscriberOptions();
        _time = timeProvider ?? TimeProvider.System;
    }

    public GooseSubscriberOptions Options { get; }

    /// <summary>The publishers seen so far.</summary>
    public IReadOnlyList<GooseStreamState> Streams
    {
        get
        {
            lock (_gate) return _streams.Values.ToArray();
        }
    }

    /// <summary>Processes one received Ethernet frame.</summary>
    public GooseReception Receive(ReadOnlySpan<byte> frame)
    {
        if (GooseCodec.PeekAppId(frame) is not { } appId) return new GooseReception(GooseReceptionStatus.Filtered, null);
        if (Options.AppId is { } wanted && wanted != appId) return new GooseReception(GooseReceptionStatus.Filtered, null);
        GooseFrame decoded;
        try
        {
            decoded = GooseCodec.Decode(frame);
        }
        catch (MmsDecodeException e)
        {
            return new GooseReception(GooseReceptionStatus.Malformed, null, e);
        }
        var pdu = decoded.Pdu;
        if (Options.GocbRef is { } gocb && !string.Equals(gocb, pdu.GocbRef, StringComparison.Ordinal)) return new GooseReception(GooseReceptionStatus.Filtered, null);

        var now = _time.GetUtcNow();
        var key = (appId, pdu.GocbRef);
        lock (_gate)
        {
            var fresh = new GooseStreamState { AppId = appId, GocbRef = pdu.GocbRef, LastPdu = pdu, ReceivedAt = now };
            var known = _streams.TryGetValue(key, out var last);
            if (known && last!.LastPdu.StNum == pdu.StNum && last.LastPdu.SqNum == pdu.SqNum)
            {
                // The same message again (e.g. the second copy loopback delivers) stays a duplicate, even late.
                return new GooseReception(GooseReceptionStatus.Duplicate, decoded);
            }
            if (!known || last!.Expired || last.ExpiresAt < now)
            {
                if (last is null && _streams.Count >= Options.MaxStreams) return new GooseReception(GooseReceptionStatus.Untracked, decoded);
                _streams[key] = fresh;
                return new GooseReception(GooseReceptionStatus.First, decoded);
            }
            var (status, missed) = Classify(last.LastPdu, pdu);
            if (status is GooseReceptionStatus.StateChange or GooseReceptionStatus.Retransmission) _streams[key] = fresh;
            return new GooseReception(status, decoded, MissedFrames: missed);
        }
    }

    private static (GooseReceptionStatus, bool) Classify(GoosePdu last, GoosePdu pdu)
    {
        if (pdu.StNum == last.StNum)
        {
            if (pdu.SqNum == last.SqNum) return (GooseReceptionStatus.Duplicate, false);
            if (After(pdu.SqNum, last.SqNum)) return (GooseReceptionStatus.Retransmission, pdu.SqNum != Next(last.SqNum));
            return (GooseReceptionStatus.OutOfOrder, false);
        }
        if (After(pdu.StNum, last.StNum)) return (GooseReceptionStatus.StateChange, pdu.StNum != Next(last.StNum) || pdu.SqNum != 0);
        return (GooseReceptionStatus.OutOfOrder, false);
    }

    // Counters roll over from 2^32-1 to 1 (0 is never reused): "after" is modular within half the range.
    private static uint Next(uint n) => n == uint.MaxValue ? 1 : n + 1;

    private static bool After(uint candidate, uint last)
    {
        var distance = candidate - last;
        if (last > candidate && candidate >= 1) distance--; // the wrap skips 0
        return distance is > 0 and < 0x8000_0000;
    }

    /// <summary>Marks and returns the publishers whose time allowed to live has run out since the last check.</summary>
    public IReadOnlyList<GooseStreamState> CheckTimeAllowedToLive()
    {
        var now = _time.GetUtcNow();
        List<GooseStreamState>? expired = null;
        lock (_gate)
        {
            foreach (var (key, state) in _streams.ToArray())
            {
                if (state.Expired || state.ExpiresAt >= now) continue;
                var marked = state with { Expired = true };
                _streams[key] = marked;
                (expired ??= []).Add(marked);
            }
        }
        return expired ?? (IReadOnlyList<GooseStreamState>)[];
    }

    /// <summary>When the earliest tracked publisher expires, or null.</summary>
    public DateTimeOffset? NextExpiry
    {
        get
        {
            lock (_gate)
            {
                return _streams.Values.Where(s => !s.Expired).Select(s => (DateTimeOffset?)s.ExpiresAt).Min();
            }
        }
    }

    /// <summary>
    /// Receives frames from <paramref name="transport"/> until cancelled, yielding every frame not filtered
    /// out and an expiry event whenever a publisher's time allowed to live runs out.
    /// </summary>
    public async IAsyncEnumerable<GooseEvent> ListenAsync(IGooseTransport transport, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transport);
        var buffer = new byte[GooseCodec.MaxFrameLength];
        var receive = transport.ReceiveAsync(buffer, cancellationToken).AsTask();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var expiry = NextExpiry;
                if (expiry is not null && !receive.IsCompleted)
                {
                    var delay = expiry.Value - _time.GetUtcNow() + TimeSpan.FromMilliseconds(1);
                    if (delay > TimeSpan.Zero)
                    {
                        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                        await Task.WhenAny(receive, Task.Delay(delay, _time, cts.Token)).ConfigureAwait(false);
                        await cts.CancelAsync().ConfigureAwait(false);
                    }
                    foreach (var state in CheckTimeAllowedToLive()) yield return new GooseEvent(null, state);
                    if (!receive.IsCompleted) continue;
                }
                var length = await receive.ConfigureAwait(false);
                var reception = Receive(buffer.AsSpan(0, length));
                receive = transport.ReceiveAsync(buffer.AsMemory(), cancellationToken).AsTask();
                if (reception.Status != GooseReceptionStatus.Filtered) yield return new GooseEvent(reception, null);
            }
        }
        finally
        {
            // A receive still pending when the caller stops fails once the transport closes: observe that failure.
            _ = receive.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }
}

/// <summary>One event of <see cref="GooseSubscriber.ListenAsync"/>: a received frame, or a publisher whose time allowed to live expired.</summary>
public sealed record GooseEvent(GooseReception? Reception, GooseStreamState? Expired);
