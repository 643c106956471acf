using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Text;
using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Iec61850.Model;

namespace FlexCoop.Cli.Commands;

/// <summary>
/// <c>flexcoop iec61850 operator</c> and the operator control of <c>iec61850 serve --control-url</c>: what an
/// operator does at a real IED during a conformance run (change measured values so reports and log entries
/// happen), done by a conformance suite's action hook.
/// </summary>
internal static class Iec61850OperatorCommands
{
    /// <summary>The suite's operator actions (see <c>Iec61850ServerSuite.OperatorActionNames</c>) this server performs.</summary>
    internal const string ChangeMember = "change-data-set-member", OverflowBuffer = "overflow-report-buffer", AddLogEntries = "add-log-entries";

    internal static readonly string[] Actions = [ChangeMember, OverflowBuffer, AddLogEntries];

    public static void AddTo(Command parent) => parent.Subcommands.Add(CreateOperator());

    internal static Option<string?> ControlUrlOption() => new("--control-url")
    {
        Description = "Also listen on this loopback URL (http://127.0.0.1:PORT, PORT 0 lets the system choose) for operator actions ("
            + string.Join(", ", Actions) + "), e.g. from 'flexcoop iec61850 operator' as a conformance suite's --action-hook.",
    };

    internal static Uri ParseLoopback(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != "http" || !IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) || !IPAddress.IsLoopback(ip))
        {
            throw new CliUsageException("--control-url must be http://127.0.0.1:PORT (loopback only: it changes the served values)");
        }
        return uri;
    }

    internal static OperatorControl StartControl(Uri url, Iec61850Server server)
    {
        var listener = new TcpListener(IPAddress.Parse(url.Host.Trim('[', ']')), url.Port);
        try
        {
            listener.Start();
        }
        catch (SocketException ex)
        {
            throw new CliUsageException($"--control-url: cannot listen on {url}: {ex.Message}");
        }
        return new OperatorControl(listener, new OperatorPanel(server));
    }

    private static Command CreateOperator()
    {
        var url = new Option<string>("--url") { Description = "The operator control URL that 'iec61850 serve --control-url' printed.", Required = true };
        var action = new Argument<string>("ACTION") { Description = "What to do: " + string.Join(", ", Actions) + "." };
        var caseId = new Argument<string?>("CASE") { Description = "The conformance case asking (logged by the server only).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("operator", """
            Perform an operator action on a running 'flexcoop iec61850 serve --control-url URL' and wait until it is done:
              change-data-set-member  change one value of every data set once (a dchg for reports and logs)
              overflow-report-buffer  change them more often than a disabled BRCB buffers (then BufOvfl)
              add-log-entries         change the members of every logged data set twice (two log entries)
            Made to be the IEC 61850 server suite's action hook, which appends the action and the case ID:
              flexcoop conformance iec61850-server 127.0.0.1:10102 --scl MODEL \
                --action-hook "flexcoop iec61850 operator --url http://127.0.0.1:9102"
            Exit code 0 when done, 1 when the server could not do it, 2 when it cannot be reached.
            """);
        command.Options.Add(url);
        command.Arguments.Add(action);
        command.Arguments.Add(caseId);
        command.SetAction(async (parse, ct) =>
        {
            if (!Uri.TryCreate(parse.GetValue(url), UriKind.Absolute, out var baseUrl) || baseUrl.Scheme != "http") throw new CliUsageException("--url must be an http:// URL");
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
            HttpResponseMessage response;
            try
            {
                var target = new Uri(baseUrl, "/actions/" + Uri.EscapeDataString(parse.GetValue(action)!) + (parse.GetValue(caseId) is { } c ? "?case=" + Uri.EscapeDataString(c) : ""));
                response = await http.PostAsync(target, null, ct).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                throw new CliUsageException($"cannot reach the server's operator control {baseUrl}: {ex.Message}");
            }
            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    await Console.Out.WriteLineAsync(text).ConfigureAwait(false);
                    return ExitCodes.Success;
                }
                await Console.Error.WriteLineAsync($"flexcoop: {text}").ConfigureAwait(false);
                return ExitCodes.Invalid;
            }
        });
        return command;
    }

    /// <summary>
    /// The operator panel on loopback: <c>POST /actions/NAME[?case=ID]</c>, one request per connection, answered
    /// 200 when done, 404 for an unknown action, 409 when the model gives nothing to change. A minimal HTTP/1.1
    /// reader over a socket, so that serving IEC 61850 loads no web stack.
    /// </summary>
    internal sealed class OperatorControl : IAsyncDisposable
    {
        private const int MaxRequestBytes = 8192;
        private readonly TcpListener _listener;
        private readonly OperatorPanel _panel;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _accepting;

        internal OperatorControl(TcpListener listener, OperatorPanel panel)
        {
            _listener = listener;
            _panel = panel;
            var ep = (IPEndPoint)listener.LocalEndpoint;
            Url = new Uri($"http://{(ep.AddressFamily == AddressFamily.InterNetworkV6 ? "[" + ep.Address + "]" : ep.Address.ToString())}:{ep.Port}/");
            _accepting = AcceptAsync();
        }

        public Uri Url { get; }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket socket;
                try
                {
                    socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
                {
                    return;
                }
                // One operator at a time: actions change the served values in order.
                await ServeOneAsync(socket).ConfigureAwait(false);
            }
        }

        private async Task ServeOneAsync(Socket socket)
        {
            using var _ = socket;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            try
            {
                var buffer = new byte[MaxRequestBytes];
                var length = 0;
                int end;
                while ((end = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8)) < 0)
                {
                    if (length == buffer.Length)
                    {
                        await AnswerAsync(socket, 431, "request header too large", timeout.Token).ConfigureAwait(false);
                        return;
                    }
                    var n = await socket.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, timeout.Token).ConfigureAwait(false);
                    if (n == 0) return;
                    length += n;
                }
                var requestLine = Encoding.ASCII.GetString(buffer, 0, buffer.AsSpan(0, end).IndexOf("\r\n"u8) is var eol and >= 0 ? eol : end);
                var parts = requestLine.Split(' ');
                if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal) || !parts[1].StartsWith("/actions/", StringComparison.Ordinal))
                {
                    await AnswerAsync(socket, 404, "POST /actions/NAME", timeout.Token).ConfigureAwait(false);
                    return;
                }
                if (parts[0] != "POST")
                {
                    await AnswerAsync(socket, 405, "POST /actions/NAME", timeout.Token).ConfigureAwait(false);
                    return;
                }
                var target = parts[1]["/actions/".Length..];
                var query = target.IndexOf('?', StringComparison.Ordinal);
                var name = Uri.UnescapeDataString(query < 0 ? target : target[..query]);
                var caseId = query < 0 ? "" : target[(query + 1)..].Split('&').Where(p => p.StartsWith("case=", StringComparison.Ordinal)).Select(p => Uri.UnescapeDataString(p[5..])).FirstOrDefault() ?? "";
                if (!Actions.Contains(name))
                {
                    await AnswerAsync(socket, 404, $"no operator action '{name}' (there are {string.Join(", ", Actions)})", timeout.Token).ConfigureAwait(false);
                    return;
                }
                await Console.Out.WriteLineAsync($"operator action {name}{(caseId.Length > 0 ? " for " + caseId : "")}").ConfigureAwait(false);
                var (done, message) = _panel.Perform(name);
                await AnswerAsync(socket, done ? 200 : 409, message, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException)
            {
                // the operator went away or was too slow: nothing was half-done on its account
            }
        }

        private static async Task AnswerAsync(Socket socket, int status, string text, CancellationToken ct)
        {
            var body = Encoding.UTF8.GetBytes(text + "\n");
            var reason = status switch { 200 => "OK", 404 => "Not Found", 405 => "Method Not Allowed", 409 => "Conflict", _ => "Request Header Fields Too Large" };
            var head = Encoding.ASCII.GetBytes($"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
            await socket.SendAsync(head, SocketFlags.None, ct).ConfigureAwait(false);
            await socket.SendAsync(body, SocketFlags.None, ct).ConfigureAwait(false);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            _listener.Stop();
            await _accepting.ConfigureAwait(false);
            _stop.Dispose();
        }
    }

    /// <summary>Performs the operator actions on the served values through the host API (so reports and logs see them).</summary>
    internal sealed class OperatorPanel(Iec61850Server server)
    {
        public (bool Done, string Message) Perform(string action)
        {
            var model = server.Model;
            var nodes = model.LogicalDevices.SelectMany(ld => ld.LogicalNodes).ToArray();
            var (sets, times) = action switch
            {
                OverflowBuffer => (nodes.SelectMany(n => n.ReportControlBlocks).Where(r => r.Buffered).Select(r => r.DataSet), Iec61850Server.ReportBufferCapacity + 2),
                AddLogEntries => (nodes.SelectMany(n => n.LogControlBlocks).Select(l => l.DataSet), 2),
                _ => (model.DataSets, 1),
            };
            var targets = sets.OfType<DataSet>().Distinct().Select(ChangeableMember).OfType<DataAttribute>().Distinct().ToArray();
            if (targets.Length == 0) return (false, $"{action}: the model has no data set with a value to change");
            for (var i = 0; i < times; i++)
            {
                foreach (var attribute in targets)
                {
                    var next = Changed(server.GetDataValue(attribute.Reference, attribute.Fc))!;
                    server.SetDataValue(attribute.Reference, attribute.Fc, next);
                }
            }
            return (true, $"done: {action}: {times} change(s) of {string.Join(", ", targets.Select(t => t.Reference + " [" + t.Fc + "]"))}");
        }

        /// <summary>The first value attribute of a data set (not its quality or time stamp) whose value can be changed.</summary>
        private DataAttribute? ChangeableMember(DataSet set) =>
            set.Members.SelectMany(m => m.Attributes)
                .Where(a => a.Name is not ("q" or "t") && a.Fc is FunctionalConstraint.MX or FunctionalConstraint.ST)
                .FirstOrDefault(a => Changed(server.GetDataValue(a.Reference, a.Fc)) is not null);

        /// <summary>A different value of the same type; null for types an operator does not change this way.</summary>
        private static MmsValue? Changed(MmsValue value) => value switch
        {
            MmsBoolean b => new MmsBoolean(!b.Value),
            MmsFloat32 f => new MmsFloat32(f.Value is > 1e6f or < -1e6f ? 0 : f.Value + 1),
            MmsFloat64 d => new MmsFloat64(d.Value is > 1e6 or < -1e6 ? 0 : d.Value + 1),
            MmsInteger i => new MmsInteger(i.Value == 1 ? 2 : 1),
            MmsUnsigned u => new MmsUnsigned(u.Value == 1 ? 2UL : 1UL),
            // Dbpos: on (10) and off (01) in turn; other bit strings flip their first bit
            MmsBitString { BitLength: 2 } p => p[0] && !p[1] ? MmsBitString.FromBits(2, 1) : MmsBitString.FromBits(2, 0),
            MmsBitString { BitLength: > 0 } s => MmsBitString.FromBits(s.BitLength, [.. Enumerable.Range(0, s.BitLength).Where(b => b == 0 ? !s[0] : s[b])]),
            _ => null,
        };
    }
}
