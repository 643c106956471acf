using System.Text;
using System.Xml.Linq;
using FlexCoop.Testing;

namespace FlexCoop.Cli.Tests;

public sealed class ReplayCliTests
{
    private const string Ns = """xmlns:oadr="http://openadr.org/oadr-2.0b/2012/07" xmlns:ei="http://docs.oasis-open.org/ns/energyinterop/201110" xmlns:pyld="http://docs.oasis-open.org/ns/energyinterop/201110/payloads" """;

    private static string Poll(string ven) => $"""<oadr:oadrPayload {Ns}><oadr:oadrSignedObject><oadr:oadrPoll ei:schemaVersion="2.0b"><ei:venID>{ven}</ei:venID></oadr:oadrPoll></oadr:oadrSignedObject></oadr:oadrPayload>""";

    private static string Response(string ven, string requestId) => $"""<oadr:oadrPayload {Ns}><oadr:oadrSignedObject><oadr:oadrResponse ei:schemaVersion="2.0b"><ei:eiResponse><ei:responseCode>200</ei:responseCode><pyld:requestID>{requestId}</pyld:requestID></ei:eiResponse><ei:venID>{ven}</ei:venID></oadr:oadrResponse></oadr:oadrSignedObject></oadr:oadrPayload>""";

    private static string Folder(params (string Req, string Resp, string Type)[] exchanges)
    {
        var dir = Directory.CreateTempSubdirectory("flexcoop-replay-cli-").FullName;
        var index = new StringBuilder();
        for (var i = 0; i < exchanges.Length; i++)
        {
            File.WriteAllText(Path.Combine(dir, $"{i + 1}.req"), exchanges[i].Req);
            File.WriteAllText(Path.Combine(dir, $"{i + 1}.resp"), exchanges[i].Resp);
            index.AppendLine($$"""{"seq":{{i + 1}},"time":"2026-11-30T08:00:0{{i}}Z","method":"POST","path":"/OpenADR2/Simple/2.0b/OadrPoll","status":200,"req_file":"{{i + 1}}.req","resp_file":"{{i + 1}}.resp","req_content_type":"application/xml","resp_content_type":"{{exchanges[i].Type}}"}""");
        }
        File.WriteAllText(Path.Combine(dir, "index.jsonl"), index.ToString());
        return dir;
    }

    [Fact]
    public async Task Replay_of_a_good_folder_prints_a_verdict_per_message_and_exits_0()
    {
        var schemas = TestEnvironment.RequireShared("schemas/openadr20b");
        var dir = Folder((Poll("ven-7"), Response("ven-7", ""), "application/xml"), (Poll("ven-7"), Response("ven-7", ""), "application/xml"));
        try
        {
            var junit = Path.Combine(dir, "out.junit.xml");
            var html = Path.Combine(dir, "out.html");
            var (code, stdout, stderr) = await Flexcoop.RunAsync("replay", "--schemas", schemas, "--junit", junit, "--html", html, dir);
            Assert.True(code == 0, stdout + stderr);
            var lines = stdout.Trim().Split('\n');
            Assert.Equal("#1 request oadrPoll ven-7: pass", lines[0]);
            Assert.Equal("#1 response oadrResponse ven-7: pass", lines[1]);
            Assert.Equal("4 messages: 4 passed, 0 failed, 0 unreadable, 0 not checked", lines[^1]);
            var suite = XDocument.Load(junit).Root!.Element("testsuite")!;
            Assert.Equal("4", suite.Attribute("tests")!.Value);
            Assert.Equal("0", suite.Attribute("failures")!.Value);
            var page = await File.ReadAllTextAsync(html, TestContext.Current.CancellationToken);
            Assert.Contains("oadrPoll", page, StringComparison.Ordinal);
            Assert.Contains("&lt;oadr:oadrPayload", page, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Replay_with_a_failing_message_exits_1_and_names_the_rule()
    {
        var dir = Folder((Poll("ven-7"), Response("ven-7", ""), "text/html"));
        try
        {
            var (code, stdout, _) = await Flexcoop.RunAsync("replay", "--no-xsd", "--quiet", dir);
            Assert.Equal(1, code);
            Assert.Contains("#1 response oadrResponse ven-7: fail: rule 53: ", stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("#1 request", stdout, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Unreadable_capture_exits_2()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "not a capture", TestContext.Current.CancellationToken);
            var (code, _, stderr) = await Flexcoop.RunAsync("replay", "--no-xsd", file);
            Assert.Equal(2, code);
            Assert.Contains("cannot read the capture", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
