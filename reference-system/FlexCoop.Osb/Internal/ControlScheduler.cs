using System.Collections.Concurrent;
using FlexCoop.Osb.Agent;

namespace FlexCoop.Osb.Internal;

/// <summary>
/// One loop that runs local control for many boxes: every interval it ticks each box in turn, so a
/// process with thousands of homes has one timer rather than one per home.
/// </summary>
internal sealed class ControlScheduler : IAsyncDisposable
{
    private readonly ConcurrentDictionary<OpenSmartBox, byte> _boxes = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ControlScheduler(TimeSpan interval, TimeProvider clock)
    {
        _loop = Task.Run(() => LoopAsync(interval, clock));
    }

    public void Add(OpenSmartBox box) => _boxes[box] = 0;

    public void Remove(OpenSmartBox box) => _boxes.TryRemove(box, out _);

    private async Task LoopAsync(TimeSpan interval, TimeProvider clock)
    {
        using var timer = new PeriodicTimer(interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                foreach (var box in _boxes.Keys)
                {
                    await box.TickAsync(_stop.Token);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
