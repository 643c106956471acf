using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Vtn;
using FlexCoop.OpenAdr.Vtn.Storage;

/// <summary>
/// The multi-process mode: a coordinator starts one server process (the VTN and the bare-Kestrel
/// baseline, nothing else) and K driver processes (the VENs, split evenly), and steps them through
/// the phases over their standard input and output, one command or answer per line:
/// <list type="bullet">
/// <item>server: prints <c>READY vtnUrl baselineUrl</c> once the CA (with key) is in the work folder;
/// answers <c>STAT</c> with <c>STAT managedBytes rssBytes cpuSeconds</c> (after a full GC); exits on <c>QUIT</c>.</item>
/// <item>driver: issues its VEN certificates from that CA and prints <c>ISSUED</c>; then
/// <c>REGISTER [N]</c> (the next N VENs, or all the rest) → <c>REGISTERED</c>; <c>PLREGISTER name url N</c> → N VENs registered
/// on plain HTTP with the VTN at url (OpenLEADR's, or ours on plain HTTP) as the set <c>name</c>, <c>PLREGISTERED</c>;
/// <c>RUN vtn|baseline|name paced|peak SECONDS</c> (HttpClient) → latencies written to <c>lat-N.bin</c> and
/// <c>DONE count wallSeconds errors driverCpuSeconds wrongAnswers [first wrong answer]</c>; the lean peak driver:
/// <c>RAWOPEN tls|name url yes|no</c> → one raw connection per VEN of the set opened to url, <c>RAWOPENED n</c>;
/// <c>RAWRUN SECONDS</c> → back to back on them, <c>DONE ...</c>; <c>RAWCLOSE</c> → <c>RAWCLOSED</c>; <c>CLOSE</c> → every connection closed,
/// <c>CLOSED</c>; <c>WARM</c> → a TLS session per VEN opened to the baseline, <c>WARMED</c>; <c>QUIT</c>.</item>
/// </list>
/// </summary>
internal static class Distributed
{
    private const string ServicePath = "/OpenADR2/Simple/2.0b/";

    public static string? Role(string[] args) => Str(args, "--role");

    // An option given twice takes its last value (a script's defaults, then the caller's).
    public static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.LastIndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string? Str(string[] args, string name)
    {
        var i = Array.LastIndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    // ---- coordinator ----

    // Pull drivers (never the server, which runs as shipped): socket completions run their continuation
    // on the event thread instead of being queued to the thread pool, and idle pool threads do not
    // spin; the driver's code never blocks, so this only removes hand-offs and spinning from its CPU.
    private static readonly Dictionary<string, string> LeanDriverEnvironment = new(StringComparer.Ordinal)
    {
        ["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "1",
        ["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "0",
    };

    public static async Task<int> CoordinateAsync(string[] args)
    {
        RaiseOpenFileLimit();
        var vens = Arg(args, "--vens", 1000);
        var drivers = Arg(args, "--driver-processes", 2);
        var period = Arg(args, "--period", 10);
        var seconds = Arg(args, "--seconds", 30);
        var peakSeconds = Arg(args, "--peak-seconds", 10);
        var xmpp = Str(args, "--transport") == "xmpp";
        // XMPP: a private Prosody tuned for load (LoadProsody) unless --xmpp-env names a running one.
        var xmppEnv = Str(args, "--xmpp-env");
        var push = args.Contains("--push") || xmpp;
        var pushWait = Arg(args, "--push-wait", 60);
        // An XMPP push in flight is one pending IQ on the VTN's one session: a wider window (256) than HTTP's 64.
        var pushConcurrency = Arg(args, "--push-concurrency", xmpp ? 256 : 64);
        var venStreamManagement = Str(args, "--ven-stream-management") ?? "on";
        if (venStreamManagement is not ("on" or "off")) throw new ArgumentException("--ven-stream-management takes on or off");
        Console.WriteLine(xmpp
            ? $"load driver (multi-process, XMPP): {vens} VEN sessions through the Prosody of {xmppEnv ?? "a private load instance"} (SASL EXTERNAL, registered as push VENs) in {drivers} driver processes, VTN alone in its process with one session; {Environment.ProcessorCount} cores"
            : push
            ? $"load driver (multi-process, push): {vens} push VENs in {drivers} driver processes (one listener each, keyed by path), VTN alone in its process; {Environment.ProcessorCount} cores"
            : $"load driver (multi-process): {vens} VENs in {drivers} driver processes, VTN alone in its process; poll period {period} s, paced run {seconds} s, peak run {peakSeconds} s, {Environment.ProcessorCount} cores");
        // --work-dir puts the VTN's SQLite file (and the exchange files) elsewhere, e.g. on /dev/shm to leave the disk's fsync out.
        var dir = Str(args, "--work-dir") is { } work ? Directory.CreateDirectory(Path.Combine(work, "flexcoop-load-" + Guid.NewGuid().ToString("N")[..8])).FullName
            : Directory.CreateTempSubdirectory("flexcoop-load-").FullName;
        var children = new List<Child>();
        LoadProsody? prosody = null;
        try
        {
            if (xmpp && xmppEnv is null)
            {
                prosody = await LoadProsody.StartAsync(dir, Arg(args, "--prosody-gc-pause", 400));
                xmppEnv = prosody.EnvFile;
                Console.WriteLine($"private Prosody (pid {prosody.ProcessId}) with the load configuration: {xmppEnv}");
            }
            var server = Child.Start("server", ["--role", "server", "--dir", dir, "--period", period.ToString(CultureInfo.InvariantCulture),
                "--push-concurrency", pushConcurrency.ToString(CultureInfo.InvariantCulture), .. (xmpp ? new[] { "--xmpp-env", xmppEnv! } : []),
                .. (push ? [] : new[] { "--plain" })]);
            children.Add(server);
            var ready = (await server.ExpectAsync("READY")).Split(' ');
            var (vtnUrl, baselineUrl, vtnJid) = (ready[1], ready[2], ready[3]);
            var (plainVtnUrl, plainBareUrl) = ready.Length > 5 && ready[4] != "-" ? (ready[4], ready[5]) : (null, null);
            var share = (vens + drivers - 1) / drivers;
            var driverList = new List<Child>();
            for (var d = 0; d < drivers; d++)
            {
                var count = Math.Min(share, vens - d * share);
                if (count <= 0) break;
                var driver = Child.Start($"driver-{d}", ["--role", "driver", "--dir", dir, "--index", d.ToString(CultureInfo.InvariantCulture),
                    "--from", (d * share).ToString(CultureInfo.InvariantCulture), "--count", count.ToString(CultureInfo.InvariantCulture),
                    "--vtn", vtnUrl, "--baseline", baselineUrl, "--period", period.ToString(CultureInfo.InvariantCulture), .. (push ? new[] { "--push" } : []),
                    .. (xmpp ? new[] { "--xmpp-env", xmppEnv!, "--vtn-jid", vtnJid, "--ven-stream-management", venStreamManagement } : [])], push ? null : LeanDriverEnvironment);
                children.Add(driver);
                driverList.Add(driver);
            }
            await Task.WhenAll(driverList.Select(c => c.ExpectAsync("ISSUED")));

            var empty = await StatAsync(server);
            prosody?.Report(null, TimeSpan.Zero);
            var sw = Stopwatch.StartNew();
            // The first VENs (--warm-vens, default 1 % and at least 20) pay for what is paid once:
            // code paths, prepared statements, templates, pools. The heap with them registered and
            // their connections closed is the floor the per-VEN figure is measured from.
            var warm = xmpp ? 0 : Math.Min(vens / 2, Arg(args, "--warm-vens", Math.Max(20, vens / 100)));
            Stat? floor = null;
            if (warm > 0)
            {
                var warmShare = (warm + driverList.Count - 1) / driverList.Count;
                await Task.WhenAll(driverList.Select(c => c.CommandAsync(string.Create(CultureInfo.InvariantCulture, $"REGISTER {warmShare}"), "REGISTERED")));
                await Task.WhenAll(driverList.Select(c => c.CommandAsync("CLOSE", "CLOSED")));
                warm = driverList.Count * warmShare;
                await Task.Delay(TimeSpan.FromSeconds(2)); // let the VTN see the connections close
                floor = await StatAsync(server);
            }
            await Task.WhenAll(driverList.Select(c => c.CommandAsync("REGISTER", "REGISTERED")));
            Console.WriteLine($"registered {vens} VENs in {sw.Elapsed.TotalSeconds:F1} s");
            prosody?.Report("registration", sw.Elapsed);
            var registered = await StatAsync(server);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  server process CPU during registration: {(registered.CpuSeconds - empty.CpuSeconds) / sw.Elapsed.TotalSeconds / Environment.ProcessorCount:P0} of {Environment.ProcessorCount} cores"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"VTN process alone: {vens} registered VENs with open TLS connections: managed heap +{(registered.Managed - empty.Managed) / (double)vens / 1024:F2} KiB/VEN, RSS +{(registered.Rss - empty.Rss) / (double)vens / 1024:F2} KiB/VEN (RSS {registered.Rss / 1048576} MiB)"));

            if (push)
            {
                var pushWatch = Stopwatch.StartNew();
                prosody?.Report(null, TimeSpan.Zero);
                await PushPhaseAsync(server, driverList, dir, vens, empty, floor, warm, pushWait, xmpp ? "target over XMPP: p99 under 5,000 ms" : "target: all within 10,000 ms", measureClosed: !xmpp,
                    warmEvent: xmpp, prosodyCpu: prosody is null ? null : prosody.CpuSeconds);
                prosody?.Report(xmpp ? "the push phase (post-registration queue, both events, the cancellation, answers)" : "the push phase (post-registration queue, event, answers)", pushWatch.Elapsed);
                if (xmpp)
                {
                    await FloorRoundAsync(xmppEnv!, driverList, dir, vens, pushConcurrency, pushWait, prosody is null ? null : prosody.CpuSeconds);
                    var rates = (await driverList[0].CommandAsync("IQRATE 5", "IQRATE")).Split(' ');
                    var (pings, polls, vtnPings) = (double.Parse(rates[1], CultureInfo.InvariantCulture), double.Parse(rates[2], CultureInfo.InvariantCulture), double.Parse(rates[3], CultureInfo.InvariantCulture));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"one session, one IQ at a time, with {vens} sessions connected: ping answered by Prosody {pings:F0}/s (floor), oadrPoll answered by the VTN {polls:F0}/s ({polls / pings:P0} of the floor)"));
                    // A ping to the VTN's session crosses Prosody twice each way, as an oadrPoll does, and is answered by the
                    // client library alone: the transport's floor for an IQ the VTN answers, without OpenADR.
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  ping answered by the VTN's XMPP session (through Prosody both ways, no OpenADR) {vtnPings:F0}/s: oadrPoll is {polls / vtnPings:P0} of it"));
                }
                foreach (var c in children) await c.SendAsync("QUIT");
                foreach (var c in children) await c.WaitAsync();
                return 0;
            }

            var paced = await PhaseAsync("VTN paced", server, driverList, dir, $"RUN vtn paced {seconds}");
            // The peaks: the lean driver (RawPoller: raw sockets, prebuilt requests, a minimal response
            // reader) unless --peak-driver httpclient asks for the HttpClient one the paced phase uses.
            var lean = Str(args, "--peak-driver") != "httpclient";
            Console.WriteLine(lean
                ? "peak driver: raw sockets, one keep-alive connection per VEN opened before the phase (TLS with the VEN's certificate where the target is https), prebuilt requests, every answer checked"
                : "peak driver: HttpClient, one per VEN, as in the paced phase");
            if (lean) await Task.WhenAll(driverList.Select(c => c.CommandAsync("CLOSE", "CLOSED")));
            var peak = await PeakAsync("VTN peak", () => StatAsync(server), driverList, dir, "tls", vtnUrl, checkVenId: true, peakSeconds, lean, "vtn");
            if (!lean) await Task.WhenAll(driverList.Select(c => c.CommandAsync("CLOSE", "CLOSED")));
            await Task.Delay(TimeSpan.FromSeconds(2)); // let the VTN see the connections close
            var closed = await StatAsync(server);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"VTN process alone: {vens} registered VENs, connections closed: managed heap +{(closed.Managed - empty.Managed) / (double)vens / 1024:F2} KiB/VEN over the empty VTN, of which Kestrel's pinned buffer pool +{(closed.Pinned - empty.Pinned) / (double)vens / 1024:F2}; without it +{(closed.Managed - closed.Pinned - empty.Managed + empty.Pinned) / (double)vens / 1024:F2} KiB/VEN (fixed costs included); RSS {closed.Rss / 1048576} MiB"));
            PrintMarginal(closed, floor, vens, warm, "VENs");
            if (!lean) await Task.WhenAll(driverList.Select(c => c.CommandAsync("WARM", "WARMED")));
            var bare = await PeakAsync("bare Kestrel peak", () => StatAsync(server), driverList, dir, "tls", baselineUrl, checkVenId: false, peakSeconds, lean, "baseline");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"peak VTN / bare Kestrel: {peak.Rate / bare.Rate:P0} (target >= 50 %); CPU per poll VTN / bare Kestrel: {peak.CpuMicrosPerPoll / bare.CpuMicrosPerPoll:F2}; paced target {vens / (double)period:F0} polls/s, reached {paced.Rate:F0}"));
            var olVens = Arg(args, "--openleadr-vens", 1000);
            Phase? plainPeak = null;
            if (plainVtnUrl is not null && plainBareUrl is not null)
            {
                // Like for like with OpenLEADR: our VTN on plain HTTP with as many VENs as OpenLEADR gets.
                var plainVens = Arg(args, "--plain-vens", olVens);
                var used = await RegisterPlainAsync("plainvtn", plainVtnUrl, plainVens, driverList);
                Console.WriteLine($"VTN on plain HTTP (same process, its own SQLite file, no certificates: a VEN is known by its venID): {plainVens} VENs registered");
                plainPeak = await PeakAsync("VTN peak, plain", () => StatAsync(server), used, dir, "plainvtn", plainVtnUrl, checkVenId: true, peakSeconds, lean, "plainvtn");
                if (lean)
                {
                    // The HttpClient driver's plain clients are bound to the plain VTN; only the lean one measures the plain bare endpoint.
                    var plainBare = await PeakAsync("bare peak, plain", () => StatAsync(server), used, dir, "plainvtn", plainBareUrl, checkVenId: false, peakSeconds, lean, "plainvtn");
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"peak VTN / bare Kestrel, both plain HTTP, {plainVens} VENs: {plainPeak.Rate / plainBare.Rate:P0}; CPU per poll VTN / bare Kestrel: {plainPeak.CpuMicrosPerPoll / plainBare.CpuMicrosPerPoll:F2}"));
                }
            }
            if (OpenLeadrVtn.Locate(args) is { } openleadr)
            {
                await OpenLeadrPhaseAsync(openleadr, driverList, dir, olVens, peakSeconds, peak, vens, plainPeak, Arg(args, "--plain-vens", olVens), lean);
            }
            foreach (var c in children) await c.SendAsync("QUIT");
            foreach (var c in children) await c.WaitAsync();
            return 0;
        }
        finally
        {
            foreach (var c in children) c.Dispose();
            if (prosody is not null) await prosody.DisposeAsync();
            Directory.Delete(dir, recursive: true);
        }
    }

    // Push: what registration queued is delivered first; then one event for every VEN, timed from
    // just before the VTN creates it to each VEN's answer (its oadrCreatedEvent on the push's response).
    // With warmEvent a first event goes out and is cancelled (every VEN acknowledges the cancellation,
    // so it leaves the distribute) before the measured one: the first is timed too and printed as the
    // cold figure (the VTN's and the VENs' event paths compiled while it runs), the second is a VTN
    // that has sent events before, which is what a deployed one is.
    private static async Task PushPhaseAsync(Child server, List<Child> drivers, string dir, int vens, Stat empty, Stat? floor, int warm, int waitSeconds, string target, bool measureClosed, bool warmEvent = false, Func<double>? prosodyCpu = null)
    {
        var quiet = Stopwatch.StartNew();
        await server.CommandAsync("QUIET", "QUIETED");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"post-registration pushes delivered {quiet.Elapsed.TotalSeconds:F1} s after the last registration"));
        var idle = await StatAsync(server);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"VTN process alone: {vens} registered push VENs, queue empty (the VENs' registration connections still open): managed heap +{(idle.Managed - empty.Managed) / (double)vens / 1024:F2} KiB/VEN, without Kestrel's pinned buffer pool +{(idle.Managed - idle.Pinned - empty.Managed + empty.Pinned) / (double)vens / 1024:F2} KiB/VEN, RSS {idle.Rss / 1048576} MiB"));
        if (warmEvent)
        {
            await EventRoundAsync(server, drivers, dir, vens, waitSeconds, "load-event-0", "first event", "cold: the event paths compile while it runs", idle, prosodyCpu);
            var cancelled = Stopwatch.StartNew();
            await server.CommandAsync("CANCEL load-event-0", "CANCELLED");
            await server.CommandAsync("QUIET", "QUIETED");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"first event cancelled, every VEN's acknowledgement received in {cancelled.Elapsed.TotalSeconds:F1} s (it is no longer in their distributes)"));
            idle = await StatAsync(server);
        }
        await EventRoundAsync(server, drivers, dir, vens, waitSeconds, "load-event-1", "event", target, idle, prosodyCpu);
        if (measureClosed)
        {
            // What the VTN keeps per push VEN once its own connections are gone (the dispatcher's
            // pooled connections to the drivers' listeners are a handful, not one per VEN).
            await Task.WhenAll(drivers.Select(c => c.CommandAsync("CLOSE", "CLOSED")));
            await Task.Delay(TimeSpan.FromSeconds(2)); // let the VTN see the connections close
            var closed = await StatAsync(server);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"VTN process alone: {vens} registered push VENs after the event, their connections to the VTN closed: managed heap +{(closed.Managed - empty.Managed) / (double)vens / 1024:F2} KiB/VEN over the empty VTN; without Kestrel's pinned buffer pool +{(closed.Managed - closed.Pinned - empty.Managed + empty.Pinned) / (double)vens / 1024:F2} KiB/VEN; RSS {closed.Rss / 1048576} MiB"));
            PrintMarginal(closed, floor, vens, warm, "push VENs");
        }
    }

    // The same-run floor of the XMPP event: the distribute the VENs received, sent again to every VEN
    // by a bare XMPP session of the coordinator's (the VTN's account, another resource) with the same
    // window and no VTN behind it: no store, no queue, no answer handling, the document already
    // serialised. What is left is Prosody's routing and the VENs' own work: the least any VTN could
    // take through this Prosody on this machine.
    private static async Task FloorRoundAsync(string xmppEnv, List<Child> drivers, string dir, int vens, int window, int waitSeconds, Func<double>? prosodyCpu)
    {
        await drivers[0].CommandAsync("SAVEDOC", "SAVED");
        var document = await File.ReadAllTextAsync(Path.Combine(dir, "distribute.xml"));
        const string eventId = "load-floor-1";
        if (!document.Contains("<eventID>load-event-1</eventID>", StringComparison.Ordinal)) throw new InvalidOperationException("the saved distribute does not carry the measured event");
        var body = System.Text.Encoding.UTF8.GetBytes(document.Replace("<eventID>load-event-1</eventID>", $"<eventID>{eventId}</eventID>", StringComparison.Ordinal));
        var env = ProsodyEnv.Load(xmppEnv);
        var domain = env.Values["FLEXCOOP_TEST_XMPP_EXTERNAL_DOMAIN"];
        await using var sender = new FlexCoop.Xmpp.XmppClient(env.VtnOptions("floor"));
        await sender.ConnectAsync();
        await Task.WhenAll(drivers.Select(c => c.CommandAsync("AWAIT " + eventId, "AWAITING")));
        var prosodyBefore = prosodyCpu?.Invoke() ?? 0;
        var senderBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var t0 = PushRecorder.UnixMs(DateTime.UtcNow.Ticks);
        var failed = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, vens), new ParallelOptions { MaxDegreeOfParallelism = window }, async (i, ct) =>
        {
            try
            {
                var result = await sender.SendIqAsync(FlexCoop.Xmpp.Jid.Parse($"load-ven-{i}@{domain}/oadr"), FlexCoop.Xmpp.IqType.Set, body, TimeSpan.FromSeconds(waitSeconds), ct);
                if (result.FirstPayload?.Name.LocalName != "oadrPayload") Interlocked.Increment(ref failed);
            }
            catch (FlexCoop.Xmpp.XmppException)
            {
                Interlocked.Increment(ref failed);
            }
        });
        var done = await Task.WhenAll(drivers.Select(c => c.CommandAsync("WAIT " + waitSeconds.ToString(CultureInfo.InvariantCulture), "WAITED")));
        var prosodyAfter = prosodyCpu?.Invoke() ?? 0;
        var senderCpu = (Process.GetCurrentProcess().TotalProcessorTime - senderBefore).TotalSeconds;
        var sorted = (await ReadTimesAsync(drivers.Count, dir, t0)).Order().ToArray();
        var perVen = Math.Max(1, sorted.Length);
        var driverCpu = DriverCpu(done);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"floor (the same distribute, {body.Length} bytes, from a bare session, {window} in flight, no VTN): answered by {sorted.Length} VENs ({failed} IQs failed); p50 {Wire.Percentile(sorted, 0.50):F0} ms  p99 {Wire.Percentile(sorted, 0.99):F0} ms  last {(sorted.Length > 0 ? sorted[^1] : double.NaN):F0} ms after the first send"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  CPU per VEN: sender {senderCpu * 1000 / perVen:F2} ms{(prosodyCpu is null ? "" : $", Prosody {(prosodyAfter - prosodyBefore) * 1000 / perVen:F2} ms")}, driver processes (the VENs) {driverCpu * 1000 / perVen:F2} ms"));
    }

    // The drivers' CPU since AWAIT (the simulated VENs: their TLS, stanzas and answers), from their own process times as WAITED reports them.
    private static double DriverCpu(string[] waited) =>
        waited.Sum(x => x.Split(' ') is { Length: > 3 } w ? double.Parse(w[3], CultureInfo.InvariantCulture) : 0);

    private static async Task<List<double>> ReadTimesAsync(int drivers, string dir, double t0)
    {
        var times = new List<double>();
        for (var d = 0; d < drivers; d++)
        {
            times.AddRange(MemoryMarshal.Cast<byte, double>(await File.ReadAllBytesAsync(Path.Combine(dir, $"push-{d}.bin"))).ToArray().Select(t => t - t0));
        }
        return times;
    }

    // One event to every push VEN: AWAIT in the drivers, EVENT in the server, WAIT for every answer.
    private static async Task EventRoundAsync(Child server, List<Child> drivers, string dir, int vens, int waitSeconds, string eventId, string label, string target, Stat idle, Func<double>? prosodyCpu)
    {
        await Task.WhenAll(drivers.Select(c => c.CommandAsync("AWAIT " + eventId, "AWAITING")));
        var prosodyBefore = prosodyCpu?.Invoke() ?? 0;
        var evented = (await server.CommandAsync("EVENT " + eventId, "EVENTED")).Split(' ');
        var (t0, created) = (double.Parse(evented[1], CultureInfo.InvariantCulture), double.Parse(evented[2], CultureInfo.InvariantCulture));
        var done = await Task.WhenAll(drivers.Select(c => c.CommandAsync("WAIT " + waitSeconds.ToString(CultureInfo.InvariantCulture), "WAITED")));
        var prosodyAfter = prosodyCpu?.Invoke() ?? 0;
        var after = await StatAsync(server);
        var sorted = (await ReadTimesAsync(drivers.Count, dir, t0)).Order().ToArray();
        var wall = Math.Max(0.001, (sorted.Length > 0 ? sorted[^1] : 1) / 1000);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label} to {vens} push VENs: created (saved, {vens} distributes queued) in {created - t0:F0} ms; answered by {sorted.Length} VENs; p50 {Wire.Percentile(sorted, 0.50):F0} ms  p99 {Wire.Percentile(sorted, 0.99):F0} ms  last {(sorted.Length > 0 ? sorted[^1] : double.NaN):F0} ms after creation began ({target})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  server process CPU during distribution: {(after.CpuSeconds - idle.CpuSeconds) / wall / Environment.ProcessorCount:P0} of {Environment.ProcessorCount} cores; pushes answered per driver: {string.Join(", ", done.Select(x => x.Split(' ')[2]))}"));
        var perVen = Math.Max(1, sorted.Length);
        var driverCpu = DriverCpu(done);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  CPU per push VEN: server process (creation, push, answer handled) {(after.CpuSeconds - idle.CpuSeconds) * 1000 / perVen:F2} ms{(prosodyCpu is null ? "" : $", Prosody {(prosodyAfter - prosodyBefore) * 1000 / perVen:F2} ms")}, driver processes (the VENs) {driverCpu * 1000 / perVen:F2} ms (less sensitive to a busy machine than the times above)"));
    }

    // The per-VEN figure of issue 3: heap growth from the floor (the warm VENs registered, their
    // connections closed) to all VENs registered with their connections closed, over the VENs added.
    private static void PrintMarginal(Stat closed, Stat? floor, int vens, int warm, string what)
    {
        if (floor is null || vens <= warm) return;
        var added = vens - warm;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"VTN memory per registered VEN beyond its connection: +{(closed.Managed - closed.Pinned - floor.Managed + floor.Pinned) / (double)added:F0} bytes/VEN of managed heap (the {added} {what} after the first {warm}, connections closed, Kestrel's pinned buffer pool +{(closed.Pinned - floor.Pinned) / (double)added:F0} bytes/VEN apart; target <= 2048); RSS +{(closed.Rss - floor.Rss) / (double)added / 1024:F2} KiB/VEN"));
    }

    // The OpenLEADR VTN, same machine, same run: its VENs (plain HTTP, one keep-alive connection
    // each) register, drain what registration queued, then poll back to back as in our peak phase.
    private static async Task OpenLeadrPhaseAsync(string openleadrDir, List<Child> drivers, string dir, int olVens, int peakSeconds, Phase ourPeak, int ourVens, Phase? ourPlainPeak, int ourPlainVens, bool lean)
    {
        await using var openleadr = await OpenLeadrVtn.StartAsync(openleadrDir);
        var empty = openleadr.Stat();
        var sw = Stopwatch.StartNew();
        List<Child> used;
        try
        {
            used = await RegisterPlainAsync("openleadr", openleadr.Url.ToString(), olVens, drivers);
        }
        catch (InvalidOperationException)
        {
            Console.WriteLine("OpenLEADR VTN: registration failed; what it said last:" + Environment.NewLine + openleadr.LastErrors());
            throw;
        }
        var registered = openleadr.Stat();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"OpenLEADR VTN ({openleadrDir}, plain HTTP, one Python process): {olVens} VENs registered in {sw.Elapsed.TotalSeconds:F1} s; its RSS +{(registered.Rss - empty.Rss) / (double)olVens / 1024:F2} KiB/VEN with their connections open (RSS {registered.Rss / 1048576} MiB; it keeps nothing durable)"));
        var olPeak = await PeakAsync("OpenLEADR peak", () =>
        {
            var (rss, cpu) = openleadr.Stat();
            return Task.FromResult(new Stat(0, rss, cpu, 0));
        }, used, dir, "openleadr", openleadr.Url.ToString(), checkVenId: true, peakSeconds, lean, "openleadr");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"peak VTN (mutual TLS, {ourVens} VENs) / OpenLEADR VTN (plain HTTP, {olVens} VENs): {ourPeak.Rate / olPeak.Rate:F1}x (target >= 10x); server CPU per poll OpenLEADR / VTN: {olPeak.CpuMicrosPerPoll / ourPeak.CpuMicrosPerPoll:F1}x"));
        if (ourPlainPeak is not null)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"peak VTN (plain HTTP, {ourPlainVens} VENs) / OpenLEADR VTN (plain HTTP, {olVens} VENs), like for like: {ourPlainPeak.Rate / olPeak.Rate:F1}x (target >= 10x); server CPU per poll OpenLEADR / VTN: {olPeak.CpuMicrosPerPoll / ourPlainPeak.CpuMicrosPerPoll:F1}x"));
        }
    }

    // Registers N VENs on plain HTTP with the VTN at url, split over the drivers, as the set "name"; returns the drivers holding some.
    private static async Task<List<Child>> RegisterPlainAsync(string name, string url, int count, List<Child> drivers)
    {
        var share = (count + drivers.Count - 1) / drivers.Count;
        var counts = Enumerable.Range(0, drivers.Count).Select(d => Math.Max(0, Math.Min(share, count - d * share))).ToArray();
        var used = drivers.Where((_, d) => counts[d] > 0).ToList();
        await Task.WhenAll(used.Select((c, d) => c.CommandAsync(string.Create(CultureInfo.InvariantCulture, $"PLREGISTER {name} {url} {counts[d]}"), "PLREGISTERED")));
        return used;
    }

    // One back-to-back phase against url with the VEN set (tls: the certificate VENs; else a plain-HTTP set):
    // the lean driver opens its connections first (not timed) and closes them after; the HttpClient one
    // uses the set's clients as they are (the bare endpoint: clients warmed beforehand with WARM).
    // httpClientTarget names the target for the driver's RUN command (vtn, baseline, or a plain set's name).
    private static async Task<Phase> PeakAsync(string name, Func<Task<Stat>> stat, List<Child> drivers, string dir, string set, string url, bool checkVenId, int seconds, bool lean, string httpClientTarget)
    {
        if (!lean) return await PhaseAsync(name, stat, drivers, dir, $"RUN {httpClientTarget} peak {seconds}");
        await Task.WhenAll(drivers.Select(c => c.CommandAsync($"RAWOPEN {set} {url} {(checkVenId ? "yes" : "no")}", "RAWOPENED")));
        try
        {
            return await PhaseAsync(name, stat, drivers, dir, string.Create(CultureInfo.InvariantCulture, $"RAWRUN {seconds}"));
        }
        finally
        {
            await Task.WhenAll(drivers.Select(c => c.CommandAsync("RAWCLOSE", "RAWCLOSED")));
        }
    }

    // Thousands of sessions need thousands of descriptors: the soft limit goes up to the hard one
    // (Linux), and the child processes inherit it.
    private static void RaiseOpenFileLimit()
    {
        if (!OperatingSystem.IsLinux()) return;
        const int RlimitNofile = 7;
        if (GetRLimit(RlimitNofile, out var limit) == 0 && limit.Current < limit.Maximum)
        {
            var raised = limit with { Current = limit.Maximum };
            _ = SetRLimit(RlimitNofile, in raised);
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct RLimit(ulong Current, ulong Maximum);

    [DllImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static extern int GetRLimit(int resource, out RLimit limit);

    [DllImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static extern int SetRLimit(int resource, in RLimit limit);

    private sealed record Stat(long Managed, long Rss, double CpuSeconds, long Pinned);

    private static async Task<Stat> StatAsync(Child server)
    {
        var parts = (await server.CommandAsync("STAT", "STAT")).Split(' ');
        return new Stat(long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture), double.Parse(parts[3], CultureInfo.InvariantCulture),
            long.Parse(parts[4], CultureInfo.InvariantCulture));
    }

    private sealed record Phase(double Rate, double CpuMicrosPerPoll);

    private static Task<Phase> PhaseAsync(string name, Child server, List<Child> drivers, string dir, string command) =>
        PhaseAsync(name, () => StatAsync(server), drivers, dir, command);

    private static async Task<Phase> PhaseAsync(string name, Func<Task<Stat>> stat, List<Child> drivers, string dir, string command)
    {
        var before = await stat();
        var wall = Stopwatch.StartNew();
        var done = await Task.WhenAll(drivers.Select(c => c.CommandAsync(command, "DONE")));
        wall.Stop();
        var after = await stat();
        var latencies = new List<double>();
        long count = 0, errors = 0, wrong = 0;
        var longest = 0.0;
        var driverCpu = 0.0;
        string? firstWrong = null;
        for (var d = 0; d < drivers.Count; d++)
        {
            var parts = done[d].Split(' ');
            count += long.Parse(parts[1], CultureInfo.InvariantCulture);
            longest = Math.Max(longest, double.Parse(parts[2], CultureInfo.InvariantCulture));
            errors += long.Parse(parts[3], CultureInfo.InvariantCulture);
            if (parts.Length > 5)
            {
                driverCpu += double.Parse(parts[4], CultureInfo.InvariantCulture);
                wrong += long.Parse(parts[5], CultureInfo.InvariantCulture);
                if (parts.Length > 6 && string.Join(' ', parts[6..]).Trim() is { Length: > 0 } said) firstWrong ??= said;
            }
            latencies.AddRange(MemoryMarshal.Cast<byte, double>(await File.ReadAllBytesAsync(Path.Combine(dir, $"lat-{d}.bin"))).ToArray());
        }
        var sorted = latencies.Order().ToArray();
        var rate = count / longest;
        var cpu = (after.CpuSeconds - before.CpuSeconds) / wall.Elapsed.TotalSeconds / Environment.ProcessorCount;
        // CPU time per poll: what a busy machine disturbs least.
        var perPoll = (after.CpuSeconds - before.CpuSeconds) * 1e6 / Math.Max(1, count);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-18} {rate,8:F0} polls/s  p50 {Wire.Percentile(sorted, 0.50),7:F2} ms  p99 {Wire.Percentile(sorted, 0.99),7:F2} ms  server process CPU {cpu,4:P0} of {Environment.ProcessorCount} cores, {perPoll:F0} us per poll  drivers {driverCpu * 1e6 / Math.Max(1, count):F0} us per poll  RSS {after.Rss / 1048576} MiB  errors {errors}  wrong answers {wrong}"));
        if (firstWrong is not null) Console.WriteLine($"  first wrong answer: {firstWrong}");
        return new Phase(rate, perPoll);
    }

    /// <summary>A child process of this program, spoken to line by line.</summary>
    private sealed class Child : IDisposable
    {
        private readonly Process _process;
        private readonly string _name;

        private Child(Process process, string name)
        {
            _process = process;
            _name = name;
        }

        public static Child Start(string name, string[] args, IReadOnlyDictionary<string, string>? environment = null)
        {
            var self = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
            var psi = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var (key, value) in environment ?? new Dictionary<string, string>()) psi.Environment[key] = value;
            if (Path.GetFileNameWithoutExtension(self) == "dotnet") psi.ArgumentList.Add(typeof(Distributed).Assembly.Location);
            foreach (var a in args) psi.ArgumentList.Add(a);
            return new Child(Process.Start(psi) ?? throw new InvalidOperationException($"{name} did not start"), name);
        }

        public async Task SendAsync(string line)
        {
            await _process.StandardInput.WriteLineAsync(line);
            await _process.StandardInput.FlushAsync();
        }

        public async Task<string> CommandAsync(string command, string answer)
        {
            await SendAsync(command);
            return await ExpectAsync(answer);
        }

        public async Task<string> ExpectAsync(string prefix)
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith(prefix, StringComparison.Ordinal)) return line;
                Console.WriteLine($"  [{_name}] {line}");
            }
            throw new InvalidOperationException($"{_name} ended before answering {prefix} (exit code {(_process.HasExited ? _process.ExitCode : -1)})");
        }

        public Task WaitAsync() => _process.WaitForExitAsync();

        public void Dispose()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.Dispose();
        }
    }

    // ---- server: the VTN and the baseline, alone ----

    public static async Task<int> ServeAsync(string[] args)
    {
        var dir = Str(args, "--dir") ?? throw new ArgumentException("--dir");
        var (ca, server) = Pki.Create();
        await File.WriteAllBytesAsync(Path.Combine(dir, "ca.pfx"), ca.Export(X509ContentType.Pkcs12));
        await using var store = new SqliteVtnStore(Path.Combine(dir, "vtn.db"));
        var options = new VtnOptions
        {
            VtnId = "load-vtn",
            ServerCertificates = [server],
            ClientCertificateAuthorities = [X509CertificateLoader.LoadCertificate(ca.RawData)],
            RequestedPollFrequency = TimeSpan.FromSeconds(Arg(args, "--period", 10)),
            TelemetryGranularity = TimeSpan.Zero,
            RequestHeadersTimeout = TimeSpan.FromSeconds(60), // also the TLS handshake timeout: thousands of handshakes queue up during registration
            PushConcurrency = Arg(args, "--push-concurrency", 64),
            Xmpp = Str(args, "--xmpp-env") is { } env ? ProsodyEnv.Load(env).VtnOptions("load-vtn") : null,
        };
        await using var vtn = await VtnServer.StartAsync(options, store);
        await using var baseline = await Baseline.StartAsync(server, ca);
        // --plain: the same VTN and the bare endpoint again on plain HTTP (the OpenLEADR comparison's terms).
        await using var plain = args.Contains("--plain") ? await PlainHttpTargets.StartAsync(options, Path.Combine(dir, "vtn-plain.db")) : null;
        Console.WriteLine($"READY {vtn.Url} {baseline.Url} {vtn.Vtn.XmppJid ?? "-"} {plain?.VtnUrl.ToString() ?? "-"} {plain?.BareUrl.ToString() ?? "-"}");
        var process = Process.GetCurrentProcess();
        while (Console.ReadLine() is { } command && command != "QUIT")
        {
            if (command == "STAT")
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                var managed = GC.GetTotalMemory(forceFullCollection: true);
                process.Refresh();
                // The pinned object heap holds Kestrel's (and sockets') I/O buffers: it grows with connections at once, not with VENs.
                var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
                var pinned = info.GenerationInfo.Length > 4 ? info.GenerationInfo[4].SizeAfterBytes : 0;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"STAT {managed} {process.WorkingSet64} {process.TotalProcessorTime.TotalSeconds:F3} {pinned}"));
            }
            else if (command == "QUIET")
            {
                // Until no push is waiting (leased ones included): what registration queued has been delivered.
                var limit = Stopwatch.StartNew();
                while ((await store.ListDuePushAsync(DateTimeOffset.UtcNow.AddDays(1), 1)).Count > 0 && limit.Elapsed < TimeSpan.FromMinutes(10))
                {
                    await Task.Delay(100);
                }
                Console.WriteLine("QUIETED");
            }
            else if (command.StartsWith("CANCEL ", StringComparison.Ordinal))
            {
                await vtn.Vtn.CancelEventAsync(command["CANCEL ".Length..]);
                Console.WriteLine("CANCELLED");
            }
            else if (command.StartsWith("EVENT ", StringComparison.Ordinal))
            {
                var t0 = PushRecorder.UnixMs(DateTime.UtcNow.Ticks);
                await vtn.Vtn.CreateEventAsync(new VtnEvent
                {
                    EventId = command["EVENT ".Length..],
                    MarketContext = options.Programs[0].MarketContext,
                    Priority = 1,
                    DtStart = DateTimeOffset.UtcNow.AddHours(1),
                    Duration = TimeSpan.FromHours(1),
                    ResponseRequired = true,
                    Signals = [new VtnEventSignal { SignalName = "SIMPLE", SignalType = SignalType.Level, SignalId = "s0", Intervals = [new VtnInterval(TimeSpan.FromHours(1), 1)] }],
                });
                var created = PushRecorder.UnixMs(DateTime.UtcNow.Ticks);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"EVENTED {t0:F3} {created:F3}"));
            }
        }
        return 0;
    }

    // ---- driver: a share of the VENs ----

    public static async Task<int> DriveAsync(string[] args)
    {
        var dir = Str(args, "--dir") ?? throw new ArgumentException("--dir");
        var index = Arg(args, "--index", 0);
        var from = Arg(args, "--from", 0);
        var count = Arg(args, "--count", 1);
        var vtn = new Uri(Str(args, "--vtn") ?? throw new ArgumentException("--vtn"));
        var baseline = new Uri(Str(args, "--baseline") ?? throw new ArgumentException("--baseline"));
        var period = TimeSpan.FromSeconds(Arg(args, "--period", 10));
        using var ca = X509CertificateLoader.LoadPkcs12FromFile(Path.Combine(dir, "ca.pfx"), null);
        var certificates = Enumerable.Range(from, count).Select(i => Pki.Issue(ca, $"ven-{i}")).ToArray();
        var clients = certificates.Select(Wire.Client).ToArray();
        var polls = new byte[count][];
        var push = args.Contains("--push");
        var xmppEnv = Str(args, "--xmpp-env");
        await using var xmppVens = xmppEnv is null ? null : XmppVens.Create(ProsodyEnv.Load(xmppEnv), FlexCoop.Xmpp.Jid.Parse(Str(args, "--vtn-jid")!), from, count,
            streamManagement: Str(args, "--ven-stream-management") != "off");
        await using var listener = push && xmppVens is null ? await PushListener.StartAsync(Pki.Issue(ca, "localhost"), count) : null;
        var recorder = xmppVens?.Recorder ?? listener?.Recorder;
        var awaitCpu = TimeSpan.Zero;
        var venIds = new string?[count];
        // VENs on plain HTTP, by name (OpenLEADR's, our plain-HTTP VTN's), when the coordinator asks for them.
        var registeredCount = 0;
        var plainSets = new Dictionary<string, PlainVens>(StringComparer.Ordinal);
        // The lean peak driver's connections while a raw phase runs.
        RawPollConnection[] raw = [];
        Console.WriteLine("ISSUED");
        while (Console.ReadLine() is { } command && command != "QUIT")
        {
            var words = command.Split(' ');
            switch (words[0])
            {
                case "REGISTER" when xmppVens is not null:
                    await xmppVens.ConnectAndRegisterAsync(CancellationToken.None);
                    Console.WriteLine("REGISTERED");
                    break;
                case "IQRATE" when xmppVens is not null:
                    var (pings, iqPolls, vtnPings) = await xmppVens.IqRatesAsync(TimeSpan.FromSeconds(int.Parse(words[1], CultureInfo.InvariantCulture)));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"IQRATE {pings:F1} {iqPolls:F1} {vtnPings:F1}"));
                    break;
                case "REGISTER":
                    // REGISTER N: the next N of this driver's VENs; REGISTER: all the rest.
                    var upTo = words.Length > 1 ? Math.Min(count, registeredCount + int.Parse(words[1], CultureInfo.InvariantCulture)) : count;
                    await Parallel.ForEachAsync(Enumerable.Range(registeredCount, upTo - registeredCount), new ParallelOptions { MaxDegreeOfParallelism = 16 }, (i, ct) => RegisterWithRetryAsync(i, ct));
                    registeredCount = upTo;
                    Console.WriteLine("REGISTERED");
                    break;

                    // A VEN whose handshake or registration failed tries again, as a real one would.
                    async ValueTask RegisterWithRetryAsync(int i, CancellationToken ct)
                    {
                        for (var attempt = 1; ; attempt++)
                        {
                            try
                            {
                                await RegisterAsync(i, ct);
                                return;
                            }
                            catch (HttpRequestException) when (attempt < 5)
                            {
                                clients[i].Dispose();
                                clients[i] = Wire.Client(certificates[i]);
                                await Task.Delay(TimeSpan.FromSeconds(attempt), ct);
                            }
                        }
                    }

                    async Task RegisterAsync(int i, CancellationToken ct)
                    {
                        var reply = await Wire.PostAsync(clients[i], vtn, "EiRegisterParty", new OadrCreatePartyRegistration
                        {
                            RequestId = "r",
                            ProfileName = OadrProfileName.Profile20b,
                            TransportName = OadrTransportName.SimpleHttp,
                            ReportOnly = false,
                            XmlSignature = false,
                            VenName = $"load-{from + i}",
                            HttpPullModel = listener is null,
                            TransportAddress = listener?.AddressOf(i),
                        }, ct);
                        var venId = ((OadrCreatedPartyRegistration)reply).VenId!;
                        venIds[i] = venId;
                        if (listener is not null)
                        {
                            // A push VEN: the VTN delivers to its listener; it has nothing to poll.
                            listener.Recorder.VenIds[i] = venId;
                            return;
                        }
                        polls[i] = OadrCodec.SerializeToUtf8Bytes(new OadrPoll { VenId = venId }, OadrSerializerOptions.Default with { Indent = false });
                        // Drain what registration queued so the measured polls find an empty queue, as most polls do.
                        while (await Wire.PostAsync(clients[i], vtn, "OadrPoll", new OadrPoll { VenId = venId }, ct) is not OadrResponse)
                        {
                        }
                    }
                case "PLREGISTER":
                    // PLREGISTER name url N: N VENs registered on plain HTTP with the VTN at url, kept as the set "name".
                    var plain = await PlainVens.RegisterAsync(words[1], new Uri(words[2]), int.Parse(words[3], CultureInfo.InvariantCulture), from);
                    if (plainSets.Remove(plain.Name, out var replaced)) replaced.Dispose();
                    plainSets[plain.Name] = plain;
                    Console.WriteLine("PLREGISTERED");
                    break;
                case "RUN" when plainSets.TryGetValue(words[1], out var set):
                    var setRun = await TimedAsync(() => PollRunner.RunAsync(set.Clients, set.Polls, new Uri(set.Url, ServicePath + "OadrPoll"), words[2] == "paced", period, TimeSpan.FromSeconds(int.Parse(words[3], CultureInfo.InvariantCulture))));
                    await File.WriteAllBytesAsync(Path.Combine(dir, $"lat-{index}.bin"), MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(setRun.Run.Latencies)).ToArray());
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"DONE {setRun.Run.Latencies.Count} {setRun.Run.Wall.TotalSeconds:F3} {setRun.Run.Errors} {setRun.Cpu:F3} 0"));
                    break;
                case "RAWOPEN":
                    // RAWOPEN tls|name url yes|no: one raw keep-alive connection per VEN of the set to url
                    // (TLS with each VEN's certificate for the tls set); yes: every answer must name the VEN's venID.
                    {
                        await RawPoller.CloseAsync(raw);
                        var url = new Uri(new Uri(words[2]), ServicePath + "OadrPoll");
                        var check = words[3] == "yes";
                        raw = words[1] == "tls"
                            ? await RawPoller.OpenAsync(url, certificates, polls, check ? venIds : new string?[count])
                            : await RawPoller.OpenAsync(url, new X509Certificate2?[plainSets[words[1]].Polls.Length], plainSets[words[1]].Polls, check ? plainSets[words[1]].VenIds : new string?[plainSets[words[1]].Polls.Length]);
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RAWOPENED {raw.Length}"));
                    }
                    break;
                case "RAWRUN":
                    var rawRun = await RawPoller.RunAsync(raw, TimeSpan.FromSeconds(int.Parse(words[1], CultureInfo.InvariantCulture)));
                    await File.WriteAllBytesAsync(Path.Combine(dir, $"lat-{index}.bin"), MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(rawRun.Latencies)).ToArray());
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"DONE {rawRun.Latencies.Count} {rawRun.Wall.TotalSeconds:F3} {rawRun.Errors} {rawRun.DriverCpuSeconds:F3} {rawRun.Wrong} {rawRun.FirstWrong}"));
                    break;
                case "RAWCLOSE":
                    await RawPoller.CloseAsync(raw);
                    raw = [];
                    Console.WriteLine("RAWCLOSED");
                    break;
                case "RUN":
                    var target = new Uri(words[1] == "vtn" ? vtn : baseline, ServicePath + "OadrPoll");
                    var (run, runCpu) = await TimedAsync(() => PollRunner.RunAsync(clients, polls, target, words[2] == "paced", period, TimeSpan.FromSeconds(int.Parse(words[3], CultureInfo.InvariantCulture))));
                    await File.WriteAllBytesAsync(Path.Combine(dir, $"lat-{index}.bin"), MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(run.Latencies)).ToArray());
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"DONE {run.Latencies.Count} {run.Wall.TotalSeconds:F3} {run.Errors} {runCpu:F3} 0"));
                    break;
                case "AWAIT" when recorder is not null:
                    recorder.Await(words[1]);
                    awaitCpu = Process.GetCurrentProcess().TotalProcessorTime;
                    Console.WriteLine("AWAITING");
                    break;
                case "SAVEDOC" when recorder is not null:
                    await File.WriteAllBytesAsync(Path.Combine(dir, "distribute.xml"), recorder.AwaitedDocument ?? []);
                    Console.WriteLine("SAVED");
                    break;
                case "WAIT" when recorder is not null:
                    var answered = await recorder.WaitAsync(TimeSpan.FromSeconds(int.Parse(words[1], CultureInfo.InvariantCulture)));
                    await File.WriteAllBytesAsync(Path.Combine(dir, $"push-{index}.bin"), MemoryMarshal.AsBytes(answered.AsSpan()).ToArray());
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"WAITED {answered.Length} {recorder.Pushes} {(Process.GetCurrentProcess().TotalProcessorTime - awaitCpu).TotalSeconds:F3}"));
                    break;
                case "CLOSE":
                    for (var i = 0; i < count; i++)
                    {
                        clients[i].Dispose();
                        clients[i] = Wire.Client(certificates[i]);
                    }
                    Console.WriteLine("CLOSED");
                    break;
                case "WARM":
                    await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
                    {
                        using var content = new ByteArrayContent(polls[i]);
                        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/xml");
                        using var response = await clients[i].PostAsync(new Uri(baseline, ServicePath + "OadrPoll"), content, ct);
                    });
                    Console.WriteLine("WARMED");
                    break;
            }
        }
        foreach (var c in clients) c.Dispose();
        foreach (var set in plainSets.Values) set.Dispose();
        await RawPoller.CloseAsync(raw);
        return 0;
    }

    // A run and the CPU time this (driver) process spent on it.
    private static async Task<(PollRunner.Run Run, double Cpu)> TimedAsync(Func<Task<PollRunner.Run>> run)
    {
        var process = Process.GetCurrentProcess();
        var before = process.TotalProcessorTime;
        var result = await run();
        process.Refresh();
        return (result, (process.TotalProcessorTime - before).TotalSeconds);
    }

    /// <summary>VENs registered on plain HTTP (no certificate: the venID is their identity), one keep-alive HttpClient each.</summary>
    private sealed class PlainVens(string name, Uri url, HttpClient[] clients, byte[][] polls, string?[] venIds) : IDisposable
    {
        public string Name { get; } = name;
        public Uri Url { get; } = url;
        public HttpClient[] Clients { get; } = clients;
        public byte[][] Polls { get; } = polls;
        public string?[] VenIds { get; } = venIds;

        // Registers N VENs, then drains what registration queued so the measured polls find an empty queue.
        public static async Task<PlainVens> RegisterAsync(string name, Uri url, int count, int from)
        {
            var clients = Enumerable.Range(0, count).Select(_ => Wire.PlainClient()).ToArray();
            var polls = new byte[count][];
            var venIds = new string?[count];
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            {
                var reply = await Wire.PostAsync(clients[i], url, "EiRegisterParty", new OadrCreatePartyRegistration
                {
                    RequestId = "r",
                    ProfileName = OadrProfileName.Profile20b,
                    TransportName = OadrTransportName.SimpleHttp,
                    ReportOnly = false,
                    XmlSignature = false,
                    VenName = $"{name}-load-{from + i}",
                    HttpPullModel = true,
                }, ct);
                var venId = (reply as OadrCreatedPartyRegistration)?.VenId
                    ?? throw new InvalidOperationException($"{url} answered the registration with {reply.ElementName} and no venID");
                venIds[i] = venId;
                polls[i] = OadrCodec.SerializeToUtf8Bytes(new OadrPoll { VenId = venId }, OadrSerializerOptions.Default with { Indent = false });
                for (var n = 0; await Wire.PostAsync(clients[i], url, "OadrPoll", new OadrPoll { VenId = venId }, ct) is not OadrResponse; n++)
                {
                    if (n == 10) throw new InvalidOperationException($"{url} keeps answering polls with messages after registration");
                }
            });
            return new PlainVens(name, url, clients, polls, venIds);
        }

        public void Dispose()
        {
            foreach (var c in Clients) c.Dispose();
        }
    }
}
