using FlexCoop.ReferenceSystem.Bus;

namespace FlexCoop.ReferenceSystem.Tests.Units;

public sealed class InProcessBusTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_subscriber_of_a_topic_gets_each_message_in_order_and_others_none()
    {
        await using var bus = new InProcessComponentBus("n1");
        var a = new List<string>();
        var allIn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var other = 0;
        await using var s1 = await bus.SubscribeAsync<EventChanged>("vtn/event", (m, _) =>
        {
            lock (a) a.Add(m.Body.EventId + "@" + m.Origin);
            if (a.Count == 3) allIn.TrySetResult();
            return ValueTask.CompletedTask;
        }, Ct);
        await using var s2 = await bus.SubscribeAsync<EventChanged>("vtn/other", (_, _) =>
        {
            Interlocked.Increment(ref other);
            return ValueTask.CompletedTask;
        }, Ct);
        foreach (var id in new[] { "e1", "e2", "e3" }) await bus.PublishAsync("vtn/event", new EventChanged(id), Ct);
        await allIn.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(["e1@n1", "e2@n1", "e3@n1"], a);
        Assert.Equal(0, other);
    }

    [Fact]
    public async Task A_failing_handler_does_not_stop_later_messages()
    {
        await using var bus = new InProcessComponentBus();
        var second = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var s = await bus.SubscribeAsync<EventChanged>("t", (m, _) =>
        {
            if (m.Body.EventId == "bad") throw new InvalidOperationException("boom");
            second.TrySetResult(m.Body.EventId);
            return ValueTask.CompletedTask;
        }, Ct);
        await bus.PublishAsync("t", new EventChanged("bad"), Ct);
        await bus.PublishAsync("t", new EventChanged("good"), Ct);
        Assert.Equal("good", await second.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/lead")]
    [InlineData("trail/")]
    [InlineData("wild/+")]
    [InlineData("wild/#")]
    public async Task Topic_with_wildcards_or_empty_names_is_refused(string topic)
    {
        await using var bus = new InProcessComponentBus();
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await bus.PublishAsync(topic, new EventChanged("x"), Ct));
    }
}
