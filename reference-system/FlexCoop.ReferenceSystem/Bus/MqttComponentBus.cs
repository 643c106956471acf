using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using FlexCoop.ReferenceSystem.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Protocol;

namespace FlexCoop.ReferenceSystem.Bus;

/// <summary>
/// The bus of several nodes: every message goes through an MQTT broker (Mosquitto, QoS 1) as JSON
/// <c>{"origin":NODE,"body":MESSAGE}</c> on <c>{prefix}/{topic}</c>, and comes back to the
/// subscribers of every node, this one included. Reconnects (and subscribes again) when the
/// broker connection drops; what is published while disconnected fails with
/// <see cref="ComponentBusException"/>.
/// </summary>
public sealed class MqttComponentBus : IComponentBus
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly IMqttClient _client;
    private readonly MqttClientOptions _options;
    private readonly string _prefix;
    private readonly InProcessComponentBus _local;
    private readonly ConcurrentDictionary<string, bool> _subscribed = new(StringComparer.Ordinal);
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _reconnect = new(1, 1);
    private int _disposed;

    private MqttComponentBus(IMqttClient client, MqttClientOptions options, string prefix, string nodeId, ILogger logger)
    {
        _client = client;
        _options = options;
        _prefix = prefix;
        _logger = logger;
        _local = new InProcessComponentBus(nodeId);
        NodeId = nodeId;
    }

    public string NodeId { get; }

    /// <summary>Connects to the broker at <paramref name="brokerUrl"/> (<c>mqtt://host:port</c>).</summary>
    /// <param name="brokerUrl">The broker; port 1883 when absent.</param>
    /// <param name="topicPrefix">Prefix of every topic: nodes of one system share it.</param>
    /// <param name="nodeId">This node's ID; generated when null.</param>
    /// <param name="loggerFactory">Where logs go.</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    public static async Task<MqttComponentBus> ConnectAsync(Uri brokerUrl, string topicPrefix = "flexcoop", string? nodeId = null,
        ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(brokerUrl);
        if (brokerUrl.Scheme != "mqtt") throw new ReferenceConfigurationException($"'{brokerUrl}': the MQTT bus takes mqtt://HOST:PORT");
        BusTopics.Check(topicPrefix);
        nodeId ??= "node-" + Guid.NewGuid().ToString("N")[..8];
        var logger = loggerFactory?.CreateLogger<MqttComponentBus>() ?? (ILogger)NullLogger.Instance;
        var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(brokerUrl.Host, brokerUrl.IsDefaultPort || brokerUrl.Port <= 0 ? 1883 : brokerUrl.Port)
            .WithClientId($"{topicPrefix.Replace('/', '-')}-{nodeId}-{Guid.NewGuid().ToString("N")[..6]}")
            .WithCleanSession()
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithTimeout(TimeSpan.FromSeconds(10))
            .Build();
        var bus = new MqttComponentBus(client, options, topicPrefix, nodeId, logger);
        client.ApplicationMessageReceivedAsync += bus.OnMessageAsync;
        client.DisconnectedAsync += bus.OnDisconnectedAsync;
        try
        {
            await client.ConnectAsync(options, cancellationToken);
        }
        catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            client.Dispose();
            throw new ComponentBusException($"cannot connect to the MQTT broker at {brokerUrl}: {ex.Message}", ex);
        }
        return bus;
    }

    public async ValueTask PublishAsync<T>(string topic, T message, CancellationToken cancellationToken = default)
    {
        BusTopics.Check(topic);
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Envelope<T>(NodeId, message), Json);
        var mqtt = new MqttApplicationMessageBuilder()
            .WithTopic(_prefix + "/" + topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        try
        {
            await _client.PublishAsync(mqtt, cancellationToken);
        }
        catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or MQTTnet.Exceptions.MqttClientNotConnectedException)
        {
            throw new ComponentBusException($"cannot publish on {topic}: {ex.Message}", ex);
        }
    }

    public async ValueTask<IAsyncDisposable> SubscribeAsync<T>(string topic, Func<BusMessage<T>, CancellationToken, ValueTask> handler, CancellationToken cancellationToken = default)
    {
        var handle = await _local.SubscribeAsync(topic, handler, cancellationToken);
        if (_subscribed.TryAdd(topic, true))
        {
            await SubscribeAtBrokerAsync(topic, cancellationToken);
        }
        return handle;
    }

    private async Task SubscribeAtBrokerAsync(string topic, CancellationToken cancellationToken)
    {
        var options = new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(_prefix + "/" + topic, MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        try
        {
            await _client.SubscribeAsync(options, cancellationToken);
        }
        catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or MQTTnet.Exceptions.MqttClientNotConnectedException)
        {
            throw new ComponentBusException($"cannot subscribe to {topic}: {ex.Message}", ex);
        }
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var topic = e.ApplicationMessage.Topic;
        if (!topic.StartsWith(_prefix + "/", StringComparison.Ordinal)) return Task.CompletedTask;
        var local = topic[(_prefix.Length + 1)..];
        JsonElement envelope;
        try
        {
            using var doc = JsonDocument.Parse(e.ApplicationMessage.Payload.ToArray(), new JsonDocumentOptions { MaxDepth = 32 });
            envelope = doc.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            ReferenceLog.BusMessageUnreadable(_logger, local, ex.Message);
            return Task.CompletedTask;
        }
        if (envelope.ValueKind != JsonValueKind.Object || !envelope.TryGetProperty("origin", out var origin) || origin.ValueKind != JsonValueKind.String
            || !envelope.TryGetProperty("body", out var body))
        {
            ReferenceLog.BusMessageUnreadable(_logger, local, "not an envelope {origin, body}");
            return Task.CompletedTask;
        }
        _local.Deliver(local, type =>
        {
            try
            {
                return body.Deserialize(type, Json);
            }
            catch (JsonException ex)
            {
                ReferenceLog.BusMessageUnreadable(_logger, local, ex.Message);
                return null;
            }
        }, origin.GetString()!);
        return Task.CompletedTask;
    }

    private async Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs e)
    {
        if (Volatile.Read(ref _disposed) != 0 || !await _reconnect.WaitAsync(0)) return;
        try
        {
            ReferenceLog.BusDisconnected(_logger, e.Reason.ToString());
            var delay = TimeSpan.FromMilliseconds(250);
            while (!_stop.IsCancellationRequested && !_client.IsConnected)
            {
                try
                {
                    await Task.Delay(delay, _stop.Token);
                    await _client.ConnectAsync(_options, _stop.Token);
                    foreach (var topic in _subscribed.Keys) await SubscribeAtBrokerAsync(topic, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or ComponentBusException or InvalidOperationException)
                {
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
                }
            }
        }
        finally
        {
            _reconnect.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _stop.CancelAsync();
        try
        {
            if (_client.IsConnected) await _client.DisconnectAsync();
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException)
        {
            // The broker is gone already.
        }
        _client.Dispose();
        await _local.DisposeAsync();
        _stop.Dispose();
    }

    private sealed record Envelope<T>(string Origin, T Body);
}
