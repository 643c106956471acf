using FlexCoop.OpenAdr.Engine.Tests.EndToEnd;
using FlexCoop.Osb.Agent;
using FlexCoop.Osb.Home;
using Microsoft.Extensions.Logging;

namespace FlexCoop.Osb.Tests.Agent;

/// <summary>OSB options against the test VTN: certificate mode, the VTN's fake clock, explicit polls.</summary>
internal static class OsbFixture
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static HomeDefinition ExampleHome() => HomeFile.Load(Path.Combine(AppContext.BaseDirectory, "vectors", "home.json"));

    public static ILoggerFactory Logs() => LoggerFactory.Create(b => b.AddProvider(new TestOutputLoggerProvider(TestContext.Current.TestOutputHelper, "OSB")));

    public static OsbOptions Options(VtnHarness vtn, HomeDefinition home) => new()
    {
        MiddlewareUrl = vtn.Server.Url,
        Home = home,
        ClientCertificate = TestPki.NewVen(),
        CertificateAuthorities = [TestPki.CaPublic],
        Clock = vtn.Clock,
        PollFrequency = TimeSpan.FromDays(1), // tests poll with PollNowAsync
        ControlInterval = TimeSpan.FromDays(1), // and run control through events
        LoggerFactory = Logs(),
    };

    public static Task<VtnHarness> StartVtnAsync() => VtnHarness.StartAsync(o => o with { TelemetryGranularity = TimeSpan.FromMinutes(1) });

    public static Task<T> Next<T>(Action<Action<T>> subscribe)
    {
        var tcs = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        subscribe(v => tcs.TrySetResult(v));
        return tcs.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
    }
}
