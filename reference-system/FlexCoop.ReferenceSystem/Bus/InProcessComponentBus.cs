using System.Collections.Concurrent;
using FlexCoop.ReferenceSystem.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlexCoop.ReferenceSystem.Bus;

/// <summary>
/// The bus of a single node: messages go to the subscribers in this process, each subscriber's
/// handler called in order on a queue of its own, so a slow subscriber delays only itself.
/// </summary>
public sealed class InProcessComponentBus : IComponentBus
{
    private readonly ConcurrentDictionary<string, ImmutableSubscribers> _topics = new(StringComparer.Ordinal);
    private readonly ILogger _logger;
    private int _disposed;

    public InProcessComponentBus(string? nodeId = null, ILogger<InProcessComponentBus>? logger = null)
    {
        NodeId = nodeId ?? "node-" + Guid.NewGuid().ToString("N")[..8];
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    public string NodeId { get; }

    public ValueTask PublishAsync<T>(string topic, T message, CancellationToken cancellationToken = default)
    {
        BusTopics.Check(topic);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_topics.TryGetValue(topic, out var subscribers))
        {
            foreach (var s in subscribers.Items) s.Post(message);
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Delivers a message that arrived from elsewhere (the MQTT bus) to this process's subscribers.</summary>
    internal void Deliver(string topic, Func<Type, object?> decode, string origin)
    {
        if (!_topics.TryGetValue(topic, out var subscribers)) return;
        foreach (var s in subscribers.Items) s.PostDecoded(decode, origin);
    }

    public ValueTask<IAsyncDisposable> SubscribeAsync<T>(string topic, Func<BusMessage<T>, CancellationToken, ValueTask> handler, CancellationToken cancellationToken = default)
    {
        BusTopics.Check(topic);
        ArgumentNullException.ThrowIfNull(handler);
        var subscriber = new Subscriber<T>(this, topic, handler, _logger);
        _topics.AddOrUpdate(topic, _ => new ImmutableSubscribers([subscriber]), (_, s) => new ImmutableSubscribers([.. s.Items, subscriber]));
        return ValueTask.FromResult<IAsyncDisposable>(subscriber);
    }

    private void Remove(ISubscriber subscriber, string topic)
    {
        while (_topics.TryGetValue(topic, out var current))
        {
            var next = new ImmutableSubscribers(current.Items.Where(s => !ReferenceEquals(s, subscriber)).ToArray());
            if (_topics.TryUpdate(topic, next, current)) return;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        foreach (var subscribers in _topics.Values)
        {
            foreach (var s in subscribers.Items) await s.DisposeAsync();
        }
        _topics.Clear();
    }

    private sealed record ImmutableSubscribers(ISubscriber[] Items);

    private interface ISubscriber : IAsyncDisposable
    {
        void Post(object? message);

        void PostDecoded(Func<Type, object?> decode, string origin);
    }

    private sealed class Subscriber<T> : ISubscriber
    {
        private readonly InProcessComponentBus _bus;
        private readonly string _topic;
        private readonly Func<BusMessage<T>, CancellationToken, ValueTask> _handler;
        private readonly ILogger _logger;
        private readonly System.Threading.Channels.Channel<BusMessage<T>> _queue =
            System.Threading.Channels.Channel.CreateUnbounded<BusMessage<T>>(new() { SingleReader = true });
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public Subscriber(InProcessComponentBus bus, string topic, Func<BusMessage<T>, CancellationToken, ValueTask> handler, ILogger logger)
        {
            _bus = bus;
            _topic = topic;
            _handler = handler;
            _logger = logger;
            _loop = Task.Run(RunAsync);
        }

        public void Post(object? message)
        {
            if (message is T typed) _queue.Writer.TryWrite(new BusMessage<T>(_topic, _bus.NodeId, typed));
        }

        public void PostDecoded(Func<Type, object?> decode, string origin)
        {
            if (decode(typeof(T)) is T typed) _queue.Writer.TryWrite(new BusMessage<T>(_topic, origin, typed));
        }

        private async Task RunAsync()
        {
            try
            {
                await foreach (var message in _queue.Reader.ReadAllAsync(_stop.Token))
                {
                    try
                    {
                        await _handler(message, _stop.Token);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !_stop.IsCancellationRequested)
                    {
                        // One failing handler must not stop the others or later messages.
                        ReferenceLog.BusHandlerFailed(_logger, ex, _topic);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        }

        public async ValueTask DisposeAsync()
        {
            _bus.Remove(this, _topic);
            _queue.Writer.TryComplete();
            await _stop.CancelAsync();
            await _loop;
            _stop.Dispose();
        }
    }
}
