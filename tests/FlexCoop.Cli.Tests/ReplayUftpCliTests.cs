using System.Globalization;
using System.Text;
using System.Text.Json;
using FlexCoop.Usef;
using FlexCoop.Usef.Signing;
using FlexCoop.Usef.Xml;

namespace FlexCoop.Cli.Tests;

/// <summary><c>flexcoop replay</c> on a folder of UFTP messages: a TestMessage and its Response, signed.</summary>
public sealed class ReplayUftpCliTests : IDisposable
{
    private const string Agr = "agr.example.org";
    private const string Dso = "dso.example.com";
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("flexcoop-replay-uftp-cli-");
    private readonly UftpSigningKey _agrKey = UftpSigningKey.Generate();
    private readonly UftpSigningKey _dsoKey = UftpSigningKey.Generate();

    public void Dispose()
    {
        _agrKey.Dispose();
        _dsoKey.Dispose();
        _dir.Delete(recursive: true);
    }

    /// <summary>The AGR sends a TestMessage; the DSO answers it unless <paramref name="answered"/> is false.</summary>
    private string Folder(bool answered)
    {
        var conversation = Guid.NewGuid();
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-1);
        var test = new TestMessage { SenderDomain = Agr, RecipientDomain = Dso, TimeStamp = t0, MessageId = Guid.NewGuid(), ConversationId = conversation };
        var messages = new List<byte[]> { UftpXml.Serialize(UftpSigner.Seal(test, UftpRole.AGR, _agrKey)) };
        if (answered)
        {
            var response = new TestMessageResponse { SenderDomain = Dso, RecipientDomain = Agr, TimeStamp = t0.AddSeconds(1), MessageId = Guid.NewGuid(), ConversationId = conversation };
            messages.Add(UftpXml.Serialize(UftpSigner.Seal(response, UftpRole.DSO, _dsoKey)));
        }
        var folder = Directory.CreateDirectory(Path.Combine(_dir.FullName, answered ? "answered" : "open")).FullName;
        var index = new StringBuilder();
        for (var i = 0; i < messages.Count; i++)
        {
            File.WriteAllBytes(Path.Combine(folder, $"{i + 1}.xml"), messages[i]);
            index.AppendLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["seq"] = i + 1,
                ["time"] = t0.AddSeconds(i).ToString("O", CultureInfo.InvariantCulture),
                ["method"] = "POST",
                ["path"] = "/shapeshifter/api/v3/message",
                ["status"] = 200,
                ["req_file"] = $"{i + 1}.xml",
                ["req_content_type"] = "text/xml",
            }));
        }
        File.WriteAllText(Path.Combine(folder, "index.jsonl"), index.ToString());
        return folder;
    }

    private string KeyFile(UftpPublicKey dsoKey)
    {
        var file = Path.Combine(_dir.FullName, "keys.json");
        File.WriteAllText(file, JsonSerializer.Serialize(new object[]
        {
            new { domain = Agr, role = "AGR", publicKeys = new[] { _agrKey.PublicKey.ToBase64() } },
            new { domain = Dso, role = "DSO", publicKeys = new[] { dsoKey.ToBase64() } },
        }));
        return file;
    }

    [Fact]
    public async Task Signed_test_message_and_its_response_pass_with_keys()
    {
        var (code, stdout, stderr) = await Flexcoop.RunAsync("replay", "--no-xsd", "--uftp-keys", KeyFile(_dsoKey.PublicKey), Folder(answered: true));
        Assert.True(code == 0, stdout + stderr);
        var lines = stdout.Trim().Split('\n');
        Assert.Equal("#1 request TestMessage AGR agr.example.org: pass", lines[0]);
        Assert.Equal("#2 request TestMessageResponse DSO dso.example.com: pass", lines[1]);
        Assert.Equal("2 messages: 2 passed, 0 failed, 0 unreadable, 0 not checked", lines[^1]);
    }

    [Fact]
    public async Task Wrong_key_and_a_missing_response_exit_1_naming_the_rules()
    {
        using var stranger = UftpSigningKey.Generate();
        var (code, stdout, _) = await Flexcoop.RunAsync("replay", "--no-xsd", "--uftp-keys", KeyFile(stranger.PublicKey), Folder(answered: true));
        Assert.Equal(1, code);
        Assert.Contains("#2 request TestMessageResponse DSO dso.example.com: fail: signature: the Ed25519 signature does not verify", stdout, StringComparison.Ordinal);

        (code, stdout, _) = await Flexcoop.RunAsync("replay", "--no-xsd", Folder(answered: false));
        Assert.Equal(1, code);
        Assert.Contains("#1 request TestMessage AGR agr.example.org: fail: conversation: no TestMessageResponse", stdout, StringComparison.Ordinal);
        Assert.Contains("note: UFTP signatures were not checked", stdout, StringComparison.Ordinal);
    }
}
