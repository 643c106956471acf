using System.Runtime.CompilerServices;

namespace FlexCoop.Conformance.Tests;

/// <summary>
/// Makes every TLS session of this test process write its secrets to a key log (NSS format), the way
/// a tester runs a VEN or VTN with <c>SSLKEYLOGFILE</c>: .NET reads the variable and the switch once,
/// at the first TLS handshake, so they are set when the test assembly loads.
/// </summary>
internal static class TlsKeyLogging
{
    /// <summary>The key log file of this process.</summary>
    public static string KeyLogPath { get; private set; } = "";

#pragma warning disable CA2255 // A test executable, not a library: the initializer must run before any TLS handshake.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Enable()
    {
        if (Environment.GetEnvironmentVariable("SSLKEYLOGFILE") is { Length: > 0 } given)
        {
            KeyLogPath = given;
        }
        else
        {
            KeyLogPath = Path.Combine(Path.GetTempPath(), $"flexcoop-conformance-tests-{Environment.ProcessId}.keylog");
            Environment.SetEnvironmentVariable("SSLKEYLOGFILE", KeyLogPath);
            // Ours alone: the secrets of this run's test sessions go when the run ends.
            AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(KeyLogPath);
        }
        AppContext.SetSwitch("System.Net.EnableSslKeyLogging", true);
    }
}
