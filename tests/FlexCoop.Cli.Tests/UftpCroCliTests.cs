using System.Diagnostics;
using FlexCoop.Usef;
using FlexCoop.Usef.Xml;

namespace FlexCoop.Cli.Tests;

/// <summary><c>flexcoop uftp serve --role cro</c> as a process: takes a DSO's portfolio, refuses unknown senders.</summary>
public sealed class UftpCroCliTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("flexcoop-uftp-cro-cli-");

    private string F(string name) => Path.Combine(_dir.FullName, name);

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task Cro_accepts_a_signed_dso_portfolio_update_and_answers_419_for_an_unknown_aggregator()
    {
        await Flexcoop.RunAsync("uftp", "keygen", "--out", F("cro"));
        await Flexcoop.RunAsync("uftp", "keygen", "--out", F("dso"));
        await Flexcoop.RunAsync("uftp", "keygen", "--out", F("agr"));
        File.WriteAllText(F("participants.json"), $$"""
            [{ "domain": "dso.example.com", "role": "DSO", "endpoint": "http://127.0.0.1:9/shapeshifter/api/v3/message", "publicKeys": ["{{File.ReadAllText(F("dso.pub")).Trim()}}"] }]
            """);
        var start = new DateOnly(2026, 1, 1);
        File.WriteAllBytes(F("update.xml"), UftpXml.Serialize(new DsoPortfolioUpdate
        {
            SenderDomain = "dso.example.com", RecipientDomain = "cro.example.net", TimeStamp = DateTimeOffset.UtcNow, MessageId = Guid.NewGuid(), ConversationId = Guid.NewGuid(),
            TimeZone = "Europe/Amsterdam",
            CongestionPoints = ValueList.Of(new DsoPortfolioUpdateCongestionPoint
            {
                EntityAddress = EntityAddress.FromEan("871685900012345678"), StartPeriod = start, MutexOffersSupported = false, DayAheadRedispatchBy = RedispatchBy.DSO,
                Connections = ValueList.Of(new DsoPortfolioUpdateConnection(EntityAddress.FromEan("871685900000000001"), start)),
            }),
        }));
        File.WriteAllBytes(F("query.xml"), UftpXml.Serialize(new AgrPortfolioQuery
        {
            SenderDomain = "agr.example.org", RecipientDomain = "cro.example.net", TimeStamp = DateTimeOffset.UtcNow, MessageId = Guid.NewGuid(), ConversationId = Guid.NewGuid(),
            TimeZone = "Europe/Amsterdam", Period = start.AddDays(10),
        }));

        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _dir.FullName };
        foreach (var a in new[] { Flexcoop.DllPath, "uftp", "serve", "--role", "cro", "--domain", "cro.example.net", "--key", F("cro.key"), "--db", F("cro.db"),
                     "--listen", "127.0.0.1:0", "--participants", F("participants.json"), "--no-dns" })
        {
            psi.ArgumentList.Add(a);
        }
        using var serve = Process.Start(psi)!;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            string? url = null;
            while (url is null)
            {
                var line = await serve.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("serve exited: " + await serve.StandardError.ReadToEndAsync(timeout.Token));
                if (line.StartsWith("listening on ", StringComparison.Ordinal)) url = line["listening on ".Length..].Trim();
            }

            var (code, stdout, stderr) = await Flexcoop.RunAsync("uftp", "send", "--to", url, "--key", F("dso.key"), F("update.xml"));
            Assert.True(code == 0, stdout + stderr);
            Assert.Contains("HTTP 200", stdout, StringComparison.Ordinal);

            (code, stdout, _) = await Flexcoop.RunAsync("uftp", "send", "--to", url, "--key", F("agr.key"), F("query.xml"));
            Assert.Equal(1, code);
            Assert.Contains("HTTP 419", stdout, StringComparison.Ordinal);
        }
        finally
        {
            serve.Kill(entireProcessTree: true);
            await serve.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }
}
