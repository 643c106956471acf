using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Vtn.Storage;

namespace FlexCoop.OpenAdr.Engine.Tests.EndToEnd;

/// <summary>Event drafts for tests.</summary>
internal static class Events
{
    public static VtnEvent Simple(DateTimeOffset start, string id = "", int level = 1, TimeSpan? startAfter = null, bool responseRequired = true, VtnTargets? targets = null, string signal = "SIMPLE") => new()
    {
        EventId = id,
        MarketContext = VtnHarness.Program,
        Priority = 1,
        DtStart = start,
        Duration = TimeSpan.FromHours(1),
        StartAfter = startAfter,
        ResponseRequired = responseRequired,
        Targets = targets ?? VtnTargets.Everyone,
        Signals =
        [
            new VtnEventSignal
            {
                SignalName = signal,
                SignalType = SignalType.Level,
                SignalId = "s0",
                Intervals = [new VtnInterval(TimeSpan.FromMinutes(30), level), new VtnInterval(TimeSpan.FromMinutes(30), level)],
            },
        ],
    };
}
