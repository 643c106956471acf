namespace FlexCoop.Iec61850.Mms.Goose;

/// <summary>
/// A GOOSE publisher: the state machine of IEC 61850-8-1 clause 18 driven by an injectable clock.
/// <para>
/// A change of the data set (<see cref="Publish"/>) increments <c>stNum</c>, resets <c>sqNum</c> to 0,
/// stamps <c>t</c> and makes a frame due at once. Retransmissions follow after MinTime, then at
/// intervals doubling (2·MinTime, 4·MinTime, ...) up to MaxTime, and every MaxTime from then on;
/// each one increments <c>sqNum</c>. Every frame carries <c>timeAllowedtoLive</c> = twice the interval
/// to the next frame. <c>stNum</c> starts at 1 and, like <c>sqNum</c> after its first wrap, rolls over to 1.
/// </para>
/// <para>
/// <see cref="Poll"/> returns the frame due now, if any; <see cref="RunAsync"/> drives it on a
/// transport. Thread-safe: the host may call <see cref="Publish"/> while <see cref="RunAsync"/> runs.
/// </para>
/// </summary>
public sealed class GoosePublisher
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private IReadOnlyList<MmsValue> _values;
    private MmsUtcTime _t = new(0, 0, 0);
    private TimeSpan _interval;
    private DateTimeOffset? _due;
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="options">Control block identity, address and times (validated here).</param>
    /// <param name="initialValues">The data set's values when publishing starts.</param>
    /// <param name="timeProvider">The clock (the system clock by default).</param>
    public GoosePublisher(GoosePublisherOptions options, IReadOnlyList<MmsValue> initialValues, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(initialValues);
        options.Validate();
        if (initialValues.Count > GooseCodec.MaxDataEntries) throw new ArgumentException($"more than {GooseCodec.MaxDataEntries} data set entries", nameof(initialValues));
        Options = options;
        _values = initialValues.ToArray();
        _time = timeProvider ?? TimeProvider.System;
        _interval = options.MinTime;
    }

    public GoosePublisherOptions Options { get; }

    /// <summary>The stNum of the next frame (0 before <see cref="Start()"/>).</summary>
    public uint StNum { get; private set; }

    /// <summary>The sqNum of the next frame.</summary>
    public uint SqNum { get; private set; }

    /// <summary>The current data set values.</summary>
    public IReadOnlyList<MmsValue> Values
    {
        get
        {
            lock (_gate) return _values;
        }
    }

    /// <summary>When the next frame is due; null before <see cref="Start()"/>.</summary>
    public DateTimeOffset? NextTransmission
    {
        get
        {
            lock (_gate) return _due;
        }
    }

    /// <summary>True between <see cref="Start()"/> and <see cref="Stop"/>: frames are due.</summary>
    public bool IsPublishing
    {
        get
        {
            lock (_gate) return _due is not null;
        }
    }

    /// <summary>
    /// Enables the control block: the first frame (stNum 1, sqNum 0) is due now. Nothing happens when it is
    /// already publishing.
    /// </summary>
    public void Start() => Start(null);

    /// <summary>
    /// Enables the control block with <paramref name="values"/> as the data set's values (the current ones when null):
    /// the first frame (stNum 1, sqNum 0) is due now. Nothing happens when it is already publishing.
    /// </summary>
    public void Start(IReadOnlyList<MmsValue>? values)
    {
        lock (_gate)
        {
            if (_due is not null) return;
            if (values is not null)
            {
                if (values.Count != _values.Count) throw new ArgumentException($"the data set has {_values.Count} members, {values.Count} values given", nameof(values));
                _values = values.ToArray();
            }
            StNum = 1;
            BeginBurst();
        }
        Wake();
    }

    /// <summary>
    /// Disables the control block (GoEna false): no frame is due until the next <see cref="Start()"/>, which
    /// begins again at stNum 1.
    /// </summary>
    public void Stop()
    {
        lock (_gate)
        {
            _due = null;
            StNum = 0;
            SqNum = 0;
        }
        Wake();
    }

    /// <summary>
    /// A change of data set values: stNum increments, sqNum restarts at 0, <c>t</c> is now and a frame is
    /// due at once; the burst of retransmissions starts again at MinTime.
    /// </summary>
    public void Publish(IReadOnlyList<MmsValue> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        lock (_gate)
        {
            if (values.Count != _values.Count) throw new ArgumentException($"the data set has {_values.Count} members, {values.Count} values given", nameof(values));
            _values = values.ToArray();
            StNum = StNum >= uint.MaxValue || StNum == 0 ? 1 : StNum + 1;
            BeginBurst();
        }
        Wake();
    }

    private void BeginBurst()
    {
        var now = _time.GetUtcNow();
        _t = MmsUtcTime.From(now, 0x0A);
        SqNum = 0;
        _interval = TimeSpan.Zero;
        _due = now;
    }

    /// <summary>The frame due now (advancing sqNum and the schedule), or null when none is due yet.</summary>
    public byte[]? Poll()
    {
        GooseFrame frame;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (_due is not { } due || now < due) return null;
            // The interval to the frame after this one: MinTime after a change, then doubling up to MaxTime.
            _interval = _interval == TimeSpan.Zero ? Options.MinTime : TimeSpan.FromTicks(Math.Min(_interval.Ticks * 2, Options.MaxTime.Ticks));
            frame = BuildFrame((uint)Math.Min(uint.MaxValue, Math.Ceiling(_interval.TotalMilliseconds * 2)));
            SqNum = SqNum == uint.MaxValue ? 1 : SqNum + 1;
            // A late poll does not compress the schedule into a burst of catch-up frames.
            _due = due + _interval < now ? now + _interval : due + _interval;
        }
        return GooseCodec.Encode(frame);
    }

    /// <summary>The frame for the current state (as the next <see cref="Poll"/> would send it).</summary>
    public GooseFrame CurrentFrame()
    {
        lock (_gate) return BuildFrame((uint)Math.Ceiling(Math.Max(_interval.TotalMilliseconds, Options.MinTime.TotalMilliseconds) * 2));
    }

    private GooseFrame BuildFrame(uint timeAllowedToLive) => new()
    {
        Destination = Options.Destination,
        Source = Options.Source,
        Vlan = Options.Vlan,
        AppId = Options.AppId,
        Reserved1 = Options.Simulation ? GooseCodec.SimulationBit : (ushort)0,
        Pdu = new GoosePdu
        {
            GocbRef = Options.GocbRef,
            TimeAllowedToLive = timeAllowedToLive,
            DatSet = Options.DatSet,
            GoId = Options.GoId,
            T = _t,
            StNum = StNum,
            SqNum = SqNum,
            Simulation = Options.Simulation,
            ConfRev = Options.ConfRev,
            NdsCom = Options.NdsCom,
            AllData = _values,
        },
    };

    private void Wake()
    {
        TaskCompletionSource wake;
        lock (_gate)
        {
            wake = _wake;
            _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        wake.TrySetResult();
    }

    /// <summary>
    /// Starts the publisher if needed and sends every due frame on <paramref name="transport"/> until
    /// cancelled (or, with <paramref name="maxFrames"/>, after that many frames). Returns the number sent.
    /// </summary>
    public Task<long> RunAsync(IGooseTransport transport, long? maxFrames = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transport);
        Start();
        return SendDueFramesAsync(transport, maxFrames, cancellationToken);
    }

    /// <summary>
    /// Sends every due frame on <paramref name="transport"/> until cancelled (or after <paramref name="maxFrames"/>),
    /// without starting the publisher: while it is stopped nothing is sent and the loop waits for the next
    /// <see cref="Start()"/> or <see cref="Publish"/>. Returns the number of frames sent.
    /// </summary>
    public async Task<long> SendDueFramesAsync(IGooseTransport transport, long? maxFrames = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transport);
        long sent = 0;
        while (!cancellationToken.IsCancellationRequested && (maxFrames is null || sent < maxFrames))
        {
            Task wake;
            lock (_gate) wake = _wake.Task;
            if (Poll() is { } frame)
            {
                await transport.SendAsync(frame, cancellationToken).ConfigureAwait(false);
                sent++;
                continue;
            }
            if (NextTransmission is not { } next)
            {
                // Stopped: wait for a Start or Publish.
                try
                {
                    await wake.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                continue;
            }
            var delay = next - _time.GetUtcNow();
            if (delay <= TimeSpan.Zero) continue;
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var timer = Task.Delay(delay, _time, cts.Token);
            await Task.WhenAny(timer, wake).ConfigureAwait(false);
            await cts.CancelAsync().ConfigureAwait(false);
        }
        return sent;
    }
}
