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
        var receiving = ProsodyClientTests.ReceiveAsync(bob, n, TimeSpan.FromSeconds(60));
        for (var i = 0; i < n; i++)
        {
            if (i == 20)
            {
                await prosody.RestartAsync();
            }
            await alice.SendMessageAsync(new Message(MessageType.Chat) { To = bob.Jid, Body = $"m{i}" }, Ct);
        }
        var got = await receiving;
        Assert.Equal(Enumerable.Range(0, n).Select(i => $"m{i}").Order(StringComparer.Ordinal), got.Order(StringComparer.Ordinal));
        var a = await aliceBack.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var b = await bobBack.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        // The restarted server has forgotten the sessions: they are re-established, not resumed.
        Assert.False(a.Resumed);
        Assert.False(b.Resumed);
        await ProsodyClientTests.AssertNothingMoreAsync(bob);
        await alice.PingAsync(bob.Jid, cancellationToken: Ct);
    }
}
