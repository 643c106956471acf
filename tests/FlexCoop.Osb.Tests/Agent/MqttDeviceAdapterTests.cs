using System.Text;
using FlexCoop.Osb.Devices;
using FlexCoop.Osb.Home;
using FlexCoop.ReferenceSystem.Contracts;
using FlexCoop.Testing;
using MQTTnet;
using static FlexCoop.Osb.Tests.Agent.OsbFixture;

namespace FlexCoop.Osb.Tests.Agent;

/// <summary>The MQTT adapter against the real Mosquitto named by FLEXCOOP_TEST_MQTT (skipped locally without it, required under CI).</summary>
public sealed class MqttDeviceAdapterTests
{
    private static string Broker()
    {
        var url = Environment.GetEnvironmentVariable("FLEXCOOP_TEST_MQTT");
        if (string.IsNullOrEmpty(url)) TestEnvironment.SkipOrFail("FLEXCOOP_TEST_MQTT is not set (mqtt://HOST:PORT of a Mosquitto broker)");
        return url!;
    }

    private static HomeDefinition Home(string broker, string prefix) => HomeFile.Validate(new HomeDefinition
    {
        HomeId = "mqtt-home",
        Mqtt = new MqttSettings { Broker = broker, Prefix = prefix },
        Devices =
        [
            new HeatPumpDefinition { Items = new MqttItems { Power = "HP_Power", Temperature = "Living_Temp", Setpoint = "HP_Setpoint", ManualOverride = "HP_Override" } },
            new EvChargerDefinition { Name = "garage", Items = new MqttItems { Power = "EV_Power", PowerLimit = "EV_Limit", Online = "EV_Online" } },
            new LightDefinition { Name = "living", Items = new MqttItems { Power = "Light_Power", Level = "Light_Dimmer" } },
        ],
    });

    private static async Task<IMqttClient> ConnectAsync(string broker)
    {
        var uri = new Uri(broker);
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(uri.Host, uri.Port).WithClientId("test-" + Guid.NewGuid().ToString("N")).Build(), Ct);
        return client;
    }

    [Fact]
    public async Task Reads_item_states_with_units_and_reports_overrides_and_offline_devices()
    {
        var broker = Broker();
        var prefix = "flexcoop-test-" + Guid.NewGuid().ToString("N")[..8];
        await using var adapter = await MqttDeviceAdapter.ConnectAsync(Home(broker, prefix), cancellationToken: Ct);
        using var openhab = await ConnectAsync(broker);
        var hp = new DerResourceId(DerKind.HeatPump, "main");
        var ev = new DerResourceId(DerKind.EvCharger, "garage");
        var received = 0;
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        adapter.StateReceived += (_, _) =>
        {
            if (Interlocked.Increment(ref received) == 5) all.TrySetResult();
        };

        foreach (var (item, state) in new[] { ("HP_Power", "1850 W"), ("Living_Temp", "20.5 °C"), ("HP_Override", "ON"), ("EV_Power", "3700"), ("EV_Online", "OFF") })
        {
            await openhab.PublishStringAsync($"{prefix}/{item}/state", state, cancellationToken: Ct);
        }
        await all.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        var heatPump = adapter.Read(hp);
        Assert.Equal(1850, heatPump.PowerW);
        Assert.Equal(20.5, heatPump.TemperatureC);
        Assert.True(heatPump.ManualOverride);
        Assert.True(heatPump.Online);
        var charger = adapter.Read(ev);
        Assert.Equal(3700, charger.PowerW);
        Assert.False(charger.Online); // its online item says OFF
        Assert.False(adapter.Read(new DerResourceId(DerKind.Light, "living")).Online); // never heard from
    }

    [Fact]
    public async Task Commands_are_published_on_the_items_command_topics()
    {
        var broker = Broker();
        var prefix = "flexcoop-test-" + Guid.NewGuid().ToString("N")[..8];
        await using var adapter = await MqttDeviceAdapter.ConnectAsync(Home(broker, prefix), cancellationToken: Ct);
        using var openhab = await ConnectAsync(broker);
        var commands = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        var three = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        openhab.ApplicationMessageReceivedAsync += e =>
        {
            commands[e.ApplicationMessage.Topic] = e.ApplicationMessage.ConvertPayloadToString();
            if (commands.Count == 3) three.TrySetResult();
            return Task.CompletedTask;
        };
        await openhab.SubscribeAsync(new MqttClientFactory().CreateSubscribeOptionsBuilder().WithTopicFilter($"{prefix}/+/command").Build(), Ct);

        await adapter.ApplyAsync(new DerResourceId(DerKind.HeatPump, "main"), new DeviceControl(SetpointC: 20), Ct);
        await adapter.ApplyAsync(new DerResourceId(DerKind.EvCharger, "garage"), new DeviceControl(PowerLimitW: 0), Ct);
        await adapter.ApplyAsync(new DerResourceId(DerKind.Light, "living"), new DeviceControl(Level: 0.5), Ct);
        await three.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.Equal("20", commands[$"{prefix}/HP_Setpoint/command"]);
        Assert.Equal("0", commands[$"{prefix}/EV_Limit/command"]);
        Assert.Equal("50", commands[$"{prefix}/Light_Dimmer/command"]);
    }

    [Fact]
    public async Task An_unreachable_broker_is_a_device_error()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now

        await Assert.ThrowsAsync<OsbDeviceException>(() => MqttDeviceAdapter.ConnectAsync(Home($"mqtt://127.0.0.1:{port}", "x"), cancellationToken: Ct));
    }

    [Theory]
    [InlineData("21.5 °C", 21.5)]
    [InlineData("ON", 1.0)]
    [InlineData("OFF", 0.0)]
    [InlineData("-300 W", -300.0)]
    [InlineData("NULL", null)]
    [InlineData("UNDEF", null)]
    [InlineData("", null)]
    [InlineData("abc", null)]
    public void Parse_state_reads_openhab_states(string text, double? expected)
    {
        Assert.Equal(expected, MqttDeviceAdapter.ParseState(text));
    }
}
