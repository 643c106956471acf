using System.Globalization;
using System.Security.Cryptography;
using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Engine.Tests.EndToEnd;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Vtn;
using FlexCoop.OpenAdr.Vtn.Internal;
using FlexCoop.OpenAdr.Vtn.Storage;

namespace FlexCoop.OpenAdr.Engine.Tests.Memory;

[CollectionDefinition(nameof(VenMemoryTests), DisableParallelization = true)]
public sealed class VenMemoryCollection;

/// <summary>
/// Issue 3: at most 2 KB of VTN memory per registered VEN beyond its open connection. Thousands of
/// VENs register and poll through the engine in this process (no sockets: the connection is not
/// what is measured), and the managed heap is compared before and after with full collections. Run
/// alone (no other test allocating meanwhile). The load driver gives the same figure end to end.
/// </summary>
[Collection(nameof(VenMemoryTests))]
public sealed class VenMemoryTests
{
    private const int Vens = 3000;
    private static readonly OadrSerializerOptions Wire = OadrSerializerOptions.Default with { Indent = false };

    [Fact]
    public async Task Registered_pull_ven_that_has_polled_costs_the_vtn_at_most_2_KB_of_heap()
    {
        var ct = TestContext.Current.CancellationToken;
        var dir = Directory.CreateTempSubdirectory("flexcoop-vtn-memory-").FullName;
        try
        {
            await using var store = new SqliteVtnStore(Path.Combine(dir, "vtn.db"), new SqliteStoreOptions { SynchronousFull = false });
            var options = new VtnOptions
            {
                VtnId = "memory-vtn",
                ServerCertificates = [TestPki.VtnEcc],
                ClientCertificateAuthorities = [TestPki.CaPublic],
                TelemetryGranularity = TimeSpan.Zero,
            };
            await using var server = await VtnServer.StartAsync(options, store, cancellationToken: ct);
            IOadrRequestHandler vtn = server.Vtn;

            // The first VENs pay for what is paid once (code, prepared statements, templates, shared poll shape).
            for (var i = 0; i < 50; i++) await RegisterAndPollAsync(vtn, Fingerprint(), $"warm-{i}", ct);
            var fingerprints = new List<string>(Vens);
            var before = Heap();

            for (var i = 0; i < Vens; i++)
            {
                var fingerprint = Fingerprint();
                fingerprints.Add(fingerprint);
                await RegisterAndPollAsync(vtn, fingerprint, $"load-{i}", ct);
            }
            var after = Heap();
            var perVen = (after - before) / (double)Vens;
            TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Vens} registered pull VENs, each having polled: managed heap +{after - before} bytes, {perVen:F0} bytes per VEN"));

            // Still all there, and the memo still answers every one of them.
            Assert.Equal(Vens + 50, server.Vtn.Vens.Count);
            Assert.IsType<OadrResponse>(await SendAsync(vtn, OadrEndpoint.OadrPoll, new OadrPoll { VenId = fingerprints[^1] }, fingerprints[^1], ct));
            Assert.InRange(perVen, 1, 2048);
            GC.KeepAlive(fingerprints);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static long Heap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    // A 2.0b fingerprint as a TLS connection gives it: a fresh string for each connection.
    private static string Fingerprint() => string.Join(':', RandomNumberGenerator.GetBytes(10).Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));

    private static async Task RegisterAndPollAsync(IOadrRequestHandler vtn, string fingerprint, string name, CancellationToken ct)
    {
        var created = (OadrCreatedPartyRegistration)await SendAsync(vtn, OadrEndpoint.EiRegisterParty, new OadrCreatePartyRegistration
        {
            RequestId = "r",
            ProfileName = OadrProfileName.Profile20b,
            TransportName = OadrTransportName.SimpleHttp,
            ReportOnly = false,
            XmlSignature = false,
            VenName = name,
            HttpPullModel = true,
        }, fingerprint, ct);
        Assert.Equal("200", created.EiResponse.ResponseCode.Value);
        var venId = created.VenId!;
        // Drain what registration queued, then the polls of a quiet day: empty answers.
        var polls = 0;
        while (await SendAsync(vtn, OadrEndpoint.OadrPoll, new OadrPoll { VenId = venId }, new string(fingerprint.AsSpan()), ct) is not OadrResponse)
        {
            Assert.InRange(++polls, 1, 10);
        }
        Assert.IsType<OadrResponse>(await SendAsync(vtn, OadrEndpoint.OadrPoll, new OadrPoll { VenId = venId }, new string(fingerprint.AsSpan()), ct));
    }

    private static async Task<OadrMessage> SendAsync(IOadrRequestHandler vtn, OadrEndpoint endpoint, OadrMessage message, string fingerprint, CancellationToken ct) =>
        OadrCodec.ParseMessage(await vtn.HandleAsync(endpoint, OadrCodec.SerializeToUtf8Bytes(message, Wire), new ClientIdentity(fingerprint, null), ct));
}
