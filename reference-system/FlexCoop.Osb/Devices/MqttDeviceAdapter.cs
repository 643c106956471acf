using System.Collections.Concurrent;
using System.Globalization;
using FlexCoop.OpenAdr.Model;
using FlexCoop.Osb.Home;
using FlexCoop.ReferenceSystem.Contracts;
using MQTTnet;
using MQTTnet.Protocol;

namespace FlexCoop.Osb.Devices;

/// <summary>
/// Real devices behind an MQTT broker, openHAB style: each device's items (named in the home file)
/// publish their state on <c>PREFIX/ITEM/state</c> and take commands on <c>PREFIX/ITEM/command</c>.
/// States may carry a unit (<c>21.5 °C</c>); <c>ON</c>/<c>OFF</c> read as 1/0; <c>NULL</c> and
/// <c>UNDEF</c> as unknown. A device is online while its <c>online</c> item is ON, or, without one,
/// while any of its items reported within <see cref="MqttSettings.StaleAfter"/>.
/// </summary>
public sealed class MqttDeviceAdapter : IDeviceAdapter
{
    private const int MaxPayloadBytes = 256;

    private readonly IMqttClient _client;
    private readonly HomeDefinition _home;
    private readonly MqttSettings _settings;
    private readonly TimeProvider _clock;
    private readonly Dictionary<string, (DerResourceId Device, string Role)> _byTopic = new(StringComparer.Ordinal);
    private readonly Dictionary<DerResourceId, DeviceDefinition> _devices = [];
    private readonly ConcurrentDictionary<(DerResourceId, string), (double? Value, DateTimeOffset At)> _states = new();
    private readonly ConcurrentDictionary<(DerResourceId, string), string> _sent = new();

    private MqttDeviceAdapter(HomeDefinition home, MqttSettings settings, IMqttClient client, TimeProvider clock)
    {
        Devices = home.Devices;
        _home = home;
        _settings = settings;
        _client = client;
        _clock = clock;
        foreach (var d in home.Devices)
        {
            _devices[d.ResourceId] = d;
            foreach (var (role, item) in d.Items?.All ?? [])
            {
                _byTopic[$"{settings.Prefix}/{item}/state"] = (d.ResourceId, role);
            }
        }
    }

    public IReadOnlyList<DeviceDefinition> Devices { get; }

    public DateTimeOffset Now => _clock.GetUtcNow();

    /// <summary>Raised after a state message was applied (for logs and tests).</summary>
    public event EventHandler<DerResourceId>? StateReceived;

    /// <summary>Connects to the home's broker and subscribes to its items' state topics.</summary>
    /// <exception cref="OsbConfigurationException">The home has no <c>mqtt</c> section.</exception>
    /// <exception cref="OsbDeviceException">The broker cannot be reached or refuses the connection.</exception>
    public static async Task<MqttDeviceAdapter> ConnectAsync(HomeDefinition home, TimeProvider? clock = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(home);
        var settings = home.Mqtt ?? throw new OsbConfigurationException($"home {home.HomeId} has no mqtt section");
        var broker = new Uri(settings.Broker);
        var client = new MqttClientFactory().CreateMqttClient();
        var adapter = new MqttDeviceAdapter(home, settings, client, clock ?? TimeProvider.System);
        client.ApplicationMessageReceivedAsync += e =>
        {
            adapter.OnMessage(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload);
            return Task.CompletedTask;
        };
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(broker.Host, broker.IsDefaultPort || broker.Port <= 0 ? 1883 : broker.Port)
            .WithClientId($"flexcoop-osb-{home.HomeId}-{Guid.NewGuid():N}"[..Math.Min(64, 24 + home.HomeId.Length)])
            .WithCleanSession()
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (settings.Username is not null) options = options.WithCredentials(settings.Username, settings.Password);
        try
        {
            var connected = await client.ConnectAsync(options.Build(), cancellationToken);
            if (connected.ResultCode != MqttClientConnectResultCode.Success)
            {
                throw new OsbDeviceException($"the MQTT broker {settings.Broker} refused the connection: {connected.ResultCode}");
            }
            var subscribe = new MqttClientFactory().CreateSubscribeOptionsBuilder()
                .WithTopicFilter(f => f.WithTopic($"{settings.Prefix}/+/state").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
                .Build();
            await client.SubscribeAsync(subscribe, cancellationToken);
        }
        catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            client.Dispose();
            throw new OsbDeviceException($"cannot reach the MQTT broker {settings.Broker}: {ex.Message}", ex);
        }
        catch
        {
            client.Dispose();
            throw;
        }
        return adapter;
    }

    private void OnMessage(string topic, System.Buffers.ReadOnlySequence<byte> payload)
    {
        if (!_byTopic.TryGetValue(topic, out var target) || payload.Length > MaxPayloadBytes) return;
        var text = System.Text.Encoding.UTF8.GetString(System.Buffers.BuffersExtensions.ToArray(payload));
        _states[(target.Device, target.Role)] = (ParseState(text), _clock.GetUtcNow());
        StateReceived?.Invoke(this, target.Device);
    }

    /// <summary>Reads an openHAB state: a number with an optional unit, ON/OFF, OPEN/CLOSED; null for NULL, UNDEF or anything else.</summary>
    public static double? ParseState(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        switch (t.ToUpperInvariant())
        {
            case "ON" or "OPEN" or "TRUE":
                return 1;
            case "OFF" or "CLOSED" or "FALSE":
                return 0;
        }
        var end = 0;
        while (end < t.Length && (char.IsAsciiDigit(t[end]) || t[end] is '-' or '+' or '.' or 'e' or 'E')) end++;
        return end > 0 && double.TryParse(t.AsSpan(0, end), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null;
    }

    private double? Value(DerResourceId device, string role) => _states.TryGetValue((device, role), out var s) ? s.Value : null;

    public DeviceReading Read(DerResourceId resourceId)
    {
        if (!_devices.TryGetValue(resourceId, out var d)) throw new ArgumentException($"no device {resourceId}", nameof(resourceId));
        var now = _clock.GetUtcNow();
        var latest = _states.Where(kv => kv.Key.Item1 == resourceId).Select(kv => kv.Value.At).DefaultIfEmpty(DateTimeOffset.MinValue).Max();
        var online = d.Items?.Online is not null ? Value(resourceId, "online") is > 0.5 : now - latest <= _settings.StaleAfter;
        var reading = new DeviceReading
        {
            ResourceId = resourceId,
            PowerW = Value(resourceId, "power") ?? 0,
            Online = online,
            ManualOverride = Value(resourceId, "manualOverride") is > 0.5,
            TemperatureC = Value(resourceId, "temperature"),
            StateOfCharge = Value(resourceId, "stateOfCharge") / 100,
        };
        if (Value(resourceId, "setpoint") is { } setpoint)
        {
            reading = reading with { LoadControl = new OadrLoadControlState { SetPoint = new LoadControlStateValue { Current = (float)setpoint } } };
        }
        return reading;
    }

    public async ValueTask ApplyAsync(DerResourceId resourceId, DeviceControl control, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(control);
        if (!_devices.TryGetValue(resourceId, out var d)) throw new ArgumentException($"no device {resourceId}", nameof(resourceId));
        var items = d.Items;
        if (items is null) return;
        var normalSetpoint = d switch
        {
            HotWaterTankDefinition t => t.SetpointC,
            HeatPumpDefinition => _home.Comfort.SetpointC,
            _ => (double?)null,
        };
        if (items.Setpoint is { } sp && (control.SetpointC ?? normalSetpoint) is { } setpoint) await SendAsync(resourceId, "setpoint", sp, Number(setpoint), cancellationToken);
        if (items.PowerLimit is { } pl) await SendAsync(resourceId, "powerLimit", pl, Number(control.PowerLimitW ?? d.RatedW), cancellationToken);
        if (items.Discharge is { } dc) await SendAsync(resourceId, "discharge", dc, Number(control.DischargeW ?? 0), cancellationToken);
        if (items.Level is { } lv) await SendAsync(resourceId, "level", lv, Number(Math.Round(Math.Clamp(control.Level ?? 1, 0, 1) * 100)), cancellationToken);
    }

    /// <summary>Publishes a command unless the same one was the last sent to that item.</summary>
    private async Task SendAsync(DerResourceId device, string role, string item, string value, CancellationToken cancellationToken)
    {
        if (_sent.TryGetValue((device, role), out var last) && last == value) return;
        var message = new MqttApplicationMessageBuilder()
            .WithTopic($"{_settings.Prefix}/{item}/command")
            .WithPayload(value)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        try
        {
            await _client.PublishAsync(message, cancellationToken);
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException ex)
        {
            throw new OsbDeviceException($"cannot send {item} a command: {ex.Message}", ex);
        }
        _sent[(device, role)] = value;
    }

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_client.IsConnected) await _client.DisconnectAsync(new MqttClientDisconnectOptions());
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException)
        {
            // The broker went away first; nothing to close.
        }
        _client.Dispose();
    }
}
