namespace FlexCoop.ReferenceSystem.Bus;

/// <summary>
/// How the reference system's components tell each other what happened: typed messages published
/// on a topic, delivered to every subscriber of that topic on every node (including the publishing
/// node). In-process by default (<see cref="InProcessComponentBus"/>); through an MQTT broker when
/// several nodes run (<see cref="MqttComponentBus"/>). Delivery is at least once and unordered
/// across topics; a message is a notification, the store holds the truth.
/// </summary>
public interface IComponentBus : IAsyncDisposable
{
    /// <summary>This node's ID, carried by every message it publishes.</summary>
    string NodeId { get; }

    /// <summary>Publishes <paramref name="message"/> on <paramref name="topic"/> (letters, digits, '-', '_', '/').</summary>
    ValueTask PublishAsync<T>(string topic, T message, CancellationToken cancellationToken = default);

    /// <summary>Calls <paramref name="handler"/> for every message on <paramref name="topic"/> until the returned handle is disposed.</summary>
    ValueTask<IAsyncDisposable> SubscribeAsync<T>(string topic, Func<BusMessage<T>, CancellationToken, ValueTask> handler, CancellationToken cancellationToken = default);
}

/// <summary>A message as a subscriber receives it.</summary>
/// <param name="Topic">Where it was published.</param>
/// <param name="Origin">The publishing node's <see cref="IComponentBus.NodeId"/>.</param>
/// <param name="Body">The message.</param>
public sealed record BusMessage<T>(string Topic, string Origin, T Body);

/// <summary>The topics the middleware uses.</summary>
public static class BusTopics
{
    /// <summary><see cref="VenChanged"/>: a VEN registered, ended its registration or has a message queued.</summary>
    public const string VtnVen = "vtn/ven";

    /// <summary><see cref="EventChanged"/>: an event was created, modified or cancelled.</summary>
    public const string VtnEvent = "vtn/event";

    /// <summary><see cref="Registry.RegistryEvent"/>: one entry appended to the registry log.</summary>
    public const string RegistryLog = "registry/log";

    /// <summary>Checks a topic name.</summary>
    public static string Check(string topic)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        if (topic.Length > 200 || topic[0] == '/' || topic[^1] == '/' || !topic.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '/'))
        {
            throw new ArgumentException($"'{topic}' is not a bus topic (letters, digits, '-', '_', '/' between names)", nameof(topic));
        }
        return topic;
    }
}

/// <summary>A VEN changed in the shared VTN store.</summary>
/// <param name="VenId">The VEN.</param>
public sealed record VenChanged(string VenId);

/// <summary>An event changed in the shared VTN store.</summary>
/// <param name="EventId">The event.</param>
public sealed record EventChanged(string EventId);
