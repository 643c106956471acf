using Microsoft.Extensions.Logging;

namespace FlexCoop.ReferenceSystem.Tests.Middleware;

/// <summary>Sends logs to the test's output (warnings and above from the frameworks, information from FlexCoop).</summary>
internal sealed class TestOutputLoggerProvider(ITestOutputHelper? output, string prefix) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(output, prefix, categoryName);

    public void Dispose()
    {
    }

    public static ILoggerFactory Factory(string prefix) =>
        LoggerFactory.Create(b => b.AddProvider(new TestOutputLoggerProvider(TestContext.Current.TestOutputHelper, prefix))
            .SetMinimumLevel(LogLevel.Information).AddFilter("Microsoft", LogLevel.Warning).AddFilter("OpenIddict", LogLevel.Warning));

    private sealed class Logger(ITestOutputHelper? output, string prefix, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => output is not null;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            try
            {
                output?.WriteLine($"{prefix} {logLevel} {category[(category.LastIndexOf('.') + 1)..]}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
            }
            catch (InvalidOperationException)
            {
                // The test has finished; its output is closed.
            }
        }
    }
}
