using Microsoft.Extensions.Logging;

namespace FlexCoop.OpenAdr.Engine.Tests.EndToEnd;

/// <summary>Sends engine logs (warnings and up) to the running test's output.</summary>
internal sealed class TestOutputLoggerProvider(ITestOutputHelper? output, string prefix) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(output, prefix);

    public void Dispose()
    {
    }

    private sealed class Logger(ITestOutputHelper? output, string prefix) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            try
            {
                output?.WriteLine($"{prefix} {logLevel}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
            }
            catch (InvalidOperationException)
            {
                // The test has finished; its output is closed.
            }
        }
    }
}
