using FlexCoop.Testing;

namespace FlexCoop.Xmpp.Tests;

[CollectionDefinition(nameof(ProsodyRestartTests), DisableParallelization = true)]
public sealed class ProsodyRestartCollection;

/// <summary>Restarts the shared Prosody, so it runs alone (no other test in parallel).</summary>
[Collection(nameof(ProsodyRestartTests))]
public sealed class ProsodyRestartTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Prosody_restarted_mid_session_both_clients_reestablish_and_every_message_arrives_once()
    {
        var prosody = Prosody.Require();
        await using var alice = await prosody.ConnectAsync(1, "restart-a");
        await using var bob = await prosody.ConnectAsync(2, "restart-b");
        var aliceBack = new TaskCompletionSource<XmppReconnectedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        var bobBack = new TaskCompletionSource<XmppReconnectedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        alice.Reconnected += (_, e) => aliceBack.TrySetResult(e);
        bob.Reconnected += (_, e) => bobBack.TrySetResult(e);
        const int n = 40;
        var run = ProsodyClientTests.RunPrefix();
        var receiving = ProsodyClientTests.ReceiveAsync(bob, n, TimeSpan.FromSeconds(60), run);
        for (var i = 0; i < n; i++)
        {
            if (i == 20)
            {
                await prosody.RestartAsync();
            }
            await alice.SendMessageAsync(new Message(MessageType.Chat) { To = bob.Jid, Body = $"{run}m{i}" }, Ct);
        }
        var got = await receiving;
        Assert.Equal(Enumerable.Range(0, n).Select(i => $"m{i}").Order(StringComparer.Ordinal), got.Order(StringComparer.Ordinal));
        var a = await aliceBack.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var b = await bobBack.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        // The restarted server has forgotten the sessions: they are re-established, not resumed.
        Assert.False(a.Resumed);
        Assert.False(b.Resumed);
        await ProsodyClientTests.AssertNothingMoreAsync(bob, run);
        await alice.PingAsync(bob.Jid, cancellationToken: Ct);
    }

    [Fact]
    public async Task Frozen_server_is_detected_by_keepalive_and_the_session_resumes_when_it_thaws()
    {
        var prosody = Prosody.Require();
        var pid = int.Parse((await File.ReadAllTextAsync(prosody.Value("FLEXCOOP_TEST_XMPP_PID_FILE"), Ct)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await using var bob = await prosody.ConnectAsync(2, "frozen-b", o => o with
        {
            KeepAliveInterval = TimeSpan.FromMilliseconds(400),
            ConnectTimeout = TimeSpan.FromSeconds(5),
        });
        await using var alice = await prosody.ConnectAsync(1, "frozen-a");
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var back = new TaskCompletionSource<XmppReconnectedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        bob.Disconnected += (_, _) => lost.TrySetResult();
        bob.Reconnected += (_, e) => back.TrySetResult(e);
        Assert.Equal(0, (await TestEnvironment.RunAsync("kill", ["-STOP", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])).ExitCode);
        try
        {
            // Nothing arrives from a frozen server and TCP reports nothing: only the keep-alive notices.
            await lost.Task.WaitAsync(TimeSpan.FromSeconds(20), Ct);
        }
        finally
        {
            await TestEnvironment.RunAsync("kill", ["-CONT", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }
        var e = await back.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.True(e.Resumed);
        var run = ProsodyClientTests.RunPrefix();
        await alice.SendMessageAsync(new Message(MessageType.Chat) { To = bob.Jid, Body = run + "after thaw" }, Ct);
        Assert.Equal(["after thaw"], await ProsodyClientTests.ReceiveAsync(bob, 1, TimeSpan.FromSeconds(20), run));
    }
}
