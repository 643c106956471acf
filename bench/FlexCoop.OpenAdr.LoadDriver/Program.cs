using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Vtn;
using FlexCoop.OpenAdr.Vtn.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;

// Load driver for the VTN: N simulated VENs, each with its own TLS session (own certificate,
// one keep-alive connection), register, then poll: paced at a period, then back to back for the
// peak. A bare Kestrel endpoint with the same TLS setup that answers a fixed 200 is measured in
// the same run as the baseline. By default VTN and driver share this process (CPU figures include
// both); with --driver-processes K the VTN and the baseline run alone in a child process and the
// VENs in K other child processes (see Distributed.cs), so the VTN's memory and CPU are its own and
// each process needs only its share of file descriptors.
//
//   dotnet run -c Release --project bench/FlexCoop.OpenAdr.LoadDriver -- --vens 1000 --period 10 --seconds 30
//   dotnet run -c Release --project bench/FlexCoop.OpenAdr.LoadDriver -- --vens 10000 --driver-processes 2
//   ... --vens 10000 --push            push VENs, one event to all of them (see README.md)
//   ... --vens 10000 --transport xmpp  VEN sessions through Prosody (see README.md)

switch (Distributed.Role(args))
{
    case "server":
        return await Distributed.ServeAsync(args);
    case "driver":
        return await Distributed.DriveAsync(args);
}
if (Distributed.Arg(args, "--driver-processes", 0) > 0 || args.Contains("--push") || args.Contains("--transport"))
{
    return await Distributed.CoordinateAsync(args);
}

var vens = Arg("--vens", 1000);
var period = TimeSpan.FromSeconds(Arg("--period", 10));
var seconds = Arg("--seconds", 30);
var peakSeconds = Arg("--peak-seconds", 10);
Console.WriteLine($"load driver: {vens} VENs, poll period {period.TotalSeconds} s, paced run {seconds} s, peak run {peakSeconds} s, {Environment.ProcessorCount} cores");

var (ca, server) = Pki.Create();
var dir = Directory.CreateTempSubdirectory("flexcoop-load-").FullName;
await using var store = new SqliteVtnStore(Path.Combine(dir, "vtn.db"));
var options = new VtnOptions
{
    VtnId = "load-vtn",
    ServerCertificates = [server],
    ClientCertificateAuthorities = [ca],
    RequestedPollFrequency = period,
    TelemetryGranularity = TimeSpan.Zero,
};
await using var vtn = await VtnServer.StartAsync(options, store);
await using var baseline = await Baseline.StartAsync(server, ca);

// Each VEN holds a client and a server socket in this one process.
if (OpenFileLimit() is { } fdLimit && 2L * vens + 512 > fdLimit)
{
    Console.Error.WriteLine($"{vens} VENs need about {2L * vens + 512} file descriptors in this process; the limit is {fdLimit} (ulimit -n). Use fewer VENs or raise the limit.");
    return 2;
}

Console.WriteLine($"issuing {vens} VEN certificates ...");
var certificates = Enumerable.Range(0, vens).Select(i => Pki.Issue(ca, $"ven-{i}")).ToArray();

GC.Collect();
GC.WaitForPendingFinalizers();
GC.Collect();
var heapBefore = GC.GetTotalMemory(forceFullCollection: true);

Console.WriteLine("registering ...");
var clients = certificates.Select(c => Client(c)).ToArray();
var venIds = new string[vens];
var sw = Stopwatch.StartNew();
await Parallel.ForEachAsync(Enumerable.Range(0, vens), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
{
    var reply = await PostAsync(clients[i], vtn.Url, "EiRegisterParty", new OadrCreatePartyRegistration
    {
        RequestId = "r",
        ProfileName = OadrProfileName.Profile20b,
        TransportName = OadrTransportName.SimpleHttp,
        ReportOnly = false,
        XmlSignature = false,
        VenName = $"load-{i}",
        HttpPullModel = true,
    }, ct);
    venIds[i] = ((OadrCreatedPartyRegistration)reply).VenId!;
    // Drain what registration queued so the measured polls find an empty queue, as most polls do.
    while (await PostAsync(clients[i], vtn.Url, "OadrPoll", new OadrPoll { VenId = venIds[i] }, ct) is not OadrResponse)
    {
    }
});
Console.WriteLine($"registered {vens} VENs in {sw.Elapsed.TotalSeconds:F1} s");
GC.Collect();
GC.WaitForPendingFinalizers();
GC.Collect();
var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
Console.WriteLine($"managed heap growth per registered VEN (VTN state + driver's client and TLS session): {(heapAfter - heapBefore) / (double)vens / 1024:F2} KiB");

var polls = venIds.Select(id => OadrCodec.SerializeToUtf8Bytes(new OadrPoll { VenId = id }, OadrSerializerOptions.Default with { Indent = false })).ToArray();

var paced = await RunAsync("VTN paced", vtn.Url, "/OpenADR2/Simple/2.0b/OadrPoll", paced: true, TimeSpan.FromSeconds(seconds));
var peak = await RunAsync("VTN peak", vtn.Url, "/OpenADR2/Simple/2.0b/OadrPoll", paced: false, TimeSpan.FromSeconds(peakSeconds));
// The VTN's connections close before the baseline's open: driver and servers share one process,
// and a sandbox's descriptor limit may not hold both sets at once.
for (var i = 0; i < vens; i++)
{
    clients[i].Dispose();
    clients[i] = Client(certificates[i]);
}
// Open every VEN's TLS session to the baseline first, as registration did for the VTN.
await Parallel.ForEachAsync(Enumerable.Range(0, vens), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
{
    using var content = new ByteArrayContent(polls[i]);
    content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
    using var response = await clients[i].PostAsync(new Uri(baseline.Url, "/OpenADR2/Simple/2.0b/OadrPoll"), content, ct);
});
var bare = await RunAsync("bare Kestrel peak", baseline.Url, "/OpenADR2/Simple/2.0b/OadrPoll", paced: false, TimeSpan.FromSeconds(peakSeconds));
Console.WriteLine($"peak VTN / bare Kestrel: {peak.PollsPerSecond / bare.PollsPerSecond:P0}");

foreach (var c in clients) c.Dispose();
Directory.Delete(dir, recursive: true);
return 0;

// The soft limit on open files of this process (Linux), or null where it cannot be read.
static long? OpenFileLimit()
{
    try
    {
        foreach (var line in File.ReadLines("/proc/self/limits"))
        {
            if (!line.StartsWith("Max open files", StringComparison.Ordinal)) continue;
            var parts = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return parts.Length > 0 && long.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var soft) ? soft : null;
        }
    }
    catch (IOException)
    {
    }
    catch (UnauthorizedAccessException)
    {
    }
    return null;
}

async Task<Result> RunAsync(string name, Uri target, string path, bool paced, TimeSpan length)
{
    var process = Process.GetCurrentProcess();
    var cpuBefore = process.TotalProcessorTime;
    var run = await PollRunner.RunAsync(clients, polls, new Uri(target, path), paced, period, length);
    process.Refresh();
    var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds / run.Wall.TotalSeconds / Environment.ProcessorCount;
    var all = run.Latencies.Order().ToArray();
    var result = new Result(all.Length / run.Wall.TotalSeconds, Percentile(all, 0.50), Percentile(all, 0.99));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-18} {result.PollsPerSecond,8:F0} polls/s  p50 {result.P50,7:F2} ms  p99 {result.P99,7:F2} ms  CPU {cpu,4:P0} of {Environment.ProcessorCount} cores  working set {process.WorkingSet64 / 1048576} MiB  errors {run.Errors}"));
    return result;
}

static double Percentile(double[] sorted, double p) => Wire.Percentile(sorted, p);

static HttpClient Client(X509Certificate2 certificate) => Wire.Client(certificate);

static Task<OadrMessage> PostAsync(HttpClient client, Uri vtn, string service, OadrMessage message, CancellationToken ct) => Wire.PostAsync(client, vtn, service, message, ct);

int Arg(string name, int fallback) => Distributed.Arg(args, name, fallback);

internal sealed record Result(double PollsPerSecond, double P50, double P99);

/// <summary>Kestrel with the VTN's TLS setup and a handler that answers a fixed 200: the ceiling to compare with.</summary>
internal sealed class Baseline(WebApplication app, Uri url) : IAsyncDisposable
{
    private static readonly byte[] Body = OadrCodec.SerializeToUtf8Bytes(new OadrResponse
    {
        EiResponse = new EiResponse { ResponseCode = ResponseCode.Ok, RequestId = "", ResponseDescription = "OK" },
        VenId = "00:00:00:00:00:00:00:00:00:00",
    }, OadrSerializerOptions.Default with { Indent = false });

    public Uri Url { get; } = url;

    /// <summary>The bare endpoint of every baseline (TLS or plain): reads the request, answers a fixed oadrResponse 200.</summary>
    public static void MapFixedAnswer(WebApplication app) =>
        app.MapPost("/OpenADR2/Simple/2.0b/{service}", async (HttpContext http) =>
        {
            await http.Request.Body.CopyToAsync(Stream.Null);
            http.Response.ContentType = "application/xml";
            http.Response.ContentLength = Body.Length;
            await http.Response.Body.WriteAsync(Body);
        });

    public static async Task<Baseline> StartAsync(X509Certificate2 server, X509Certificate2 ca)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddRoutingCore();
        ListenOptions? bound = null;
        var context = SslStreamCertificateContext.Create(server, null, offline: true);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l =>
        {
            l.Protocols = HttpProtocols.Http1;
            l.UseHttps(new TlsHandshakeCallbackOptions
            {
                OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = context,
                    ClientCertificateRequired = true,
                    EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls12,
                    CipherSuitesPolicy = OperatingSystem.IsWindows() ? null : new CipherSuitesPolicy(VtnOptions.Rule67CipherSuites),
                    RemoteCertificateValidationCallback = (_, c, _, _) => c is not null,
                }),
            });
            bound = l;
        }));
        var app = builder.Build();
        MapFixedAnswer(app);
        await app.StartAsync();
        _ = ca;
        return new Baseline(app, new Uri($"https://127.0.0.1:{bound!.IPEndPoint!.Port}/"));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>An in-memory PKI: an ECC CA, an ECC server certificate, ECC VEN certificates (cheap to issue by the ten thousand).</summary>
internal static class Pki
{
    public static (X509Certificate2 Ca, X509Certificate2 Server) Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Load CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var reloaded = X509CertificateLoader.LoadPkcs12(ca.Export(X509ContentType.Pkcs12), null);
        return (reloaded, Issue(reloaded, "localhost"));
    }

    public static X509Certificate2 Issue(X509Certificate2 ca, string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var caKey = ca.GetECDsaPrivateKey()!;
        using var issued = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey),
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), RandomNumberGenerator.GetBytes(12));
        var withKey = issued.CopyWithPrivateKey(key);
        if (!OperatingSystem.IsWindows()) return withKey; // OpenSSL uses the in-memory key as it is
        using (withKey)
        {
            return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        }
    }
}
