using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Security;
using FlexCoop.OpenAdr.Vtn;
using FlexCoop.OpenAdr.Vtn.Storage;

namespace FlexCoop.Xmpp.Tests;

/// <summary>
/// High security (signed payloads) over XMPP through the real Prosody: a payload altered after
/// signing is refused with 463 and leaves nothing stored. (An untampered signed payload does not
/// survive Prosody either: it re-serialises the stanza with its own namespace prefixes, which
/// inclusive C14N covers; see the package README.)
/// </summary>
public sealed class OadrHighSecurityOverXmppTests
{
    private const string Program = "http://flexcoop.example/programs/xmpp-high";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly OadrSerializerOptions Compact = OadrSerializerOptions.Default with { Indent = false };

    // A signing certificate from the Prosody test CA (its key lies beside the CA certificate, as prosody.sh leaves it).
    private static X509Certificate2 Issue(Prosody prosody, string name)
    {
        var caPath = prosody.Value("FLEXCOOP_TEST_XMPP_CA");
        using var ca = X509Certificate2.CreateFromPemFile(caPath, Path.Combine(Path.GetDirectoryName(caPath)!, "ca.key"));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        using var caKey = ca.GetRSAPrivateKey()!;
        using var issued = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForRSA(caKey, RSASignaturePadding.Pkcs1),
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), RandomNumberGenerator.GetBytes(12));
        return issued.CopyWithPrivateKey(key);
    }

    private static async Task<(string Dir, SqliteVtnStore Store, VtnServer Server)> StartVtnAsync(Prosody prosody, X509Certificate2 signing)
    {
        var dir = Directory.CreateTempSubdirectory("flexcoop-vtn-xmpp-high-").FullName;
        var store = new SqliteVtnStore(Path.Combine(dir, "vtn.db"));
        var server = await VtnServer.StartAsync(new VtnOptions
        {
            VtnId = "xmpp-high-vtn",
            InsecureHttp = true, // the HTTP listener is not used; XMPP runs over Prosody's TLS
            Urls = ["http://127.0.0.1:0"],
            Programs = [new VtnProgram(Program)],
            TelemetryGranularity = TimeSpan.Zero,
            PushRetryDelay = TimeSpan.FromMilliseconds(200),
            Security = OadrSecurityLevel.High,
            SigningCertificate = signing,
            ClientCertificateAuthorities = [.. prosody.TrustedCa],
            Xmpp = prosody.Options(2, "oadr-vtn-high-" + Guid.NewGuid().ToString("N")[..6]),
        }, store, cancellationToken: Ct);
        return (dir, store, server);
    }

    private static async Task StopAsync((string Dir, SqliteVtnStore Store, VtnServer Server) vtn)
    {
        await vtn.Server.DisposeAsync();
        await vtn.Store.DisposeAsync();
        Directory.Delete(vtn.Dir, recursive: true);
    }

    private static Task<VtnActivity> Next(OadrVtn vtn, Func<VtnActivity, bool> match)
    {
        var tcs = new TaskCompletionSource<VtnActivity>(TaskCreationOptions.RunContinuationsAsynchronously);
        vtn.Activity += (_, e) =>
        {
            if (match(e.Activity)) tcs.TrySetResult(e.Activity);
        };
        return tcs.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
    }

    private static XElement Element(byte[] document)
    {
        using var reader = XmlReader.Create(new MemoryStream(document), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        return XElement.Load(reader, LoadOptions.PreserveWhitespace);
    }

    private static OadrMessage Answer(Iq result) =>
        OadrCodec.ParseMessage(Encoding.UTF8.GetBytes(result.Payload.Single(p => p.Name == OadrXmppPayload.Name).ToString(SaveOptions.DisableFormatting)));

    private static string Code(OadrMessage message) => message switch
    {
        OadrResponse r => r.EiResponse.ResponseCode.Value,
        OadrCreatedPartyRegistration r => r.EiResponse.ResponseCode.Value,
        _ => message.ElementName,
    };

    [Fact]
    public async Task Tampered_signed_registration_over_xmpp_is_refused_with_463_and_nothing_is_stored()
    {
        var prosody = Prosody.Require();
        using var signing = Issue(prosody, "xmpp-high-vtn");
        var vtn = await StartVtnAsync(prosody, signing);
        try
        {
            await using var sender = await prosody.ConnectAsync(1, "signed-" + Guid.NewGuid().ToString("N")[..6]);
            using var senderKey = Issue(prosody, "xmpp-high-sender");
            var signer = new OadrSigner(senderKey);
            var to = Jid.Parse(vtn.Server.Vtn.XmppJid!);
            byte[] Registration(string name) => signer.Sign(OadrCodec.SerializeToUtf8Bytes(new OadrCreatePartyRegistration
            {
                RequestId = "r-" + name,
                ProfileName = OadrProfileName.Profile20b,
                TransportName = OadrTransportName.Xmpp,
                TransportAddress = sender.Jid!.ToString(),
                ReportOnly = false,
                XmlSignature = true,
                VenName = name,
                HttpPullModel = false,
            }, Compact));
            Task<Iq> SendAsync(byte[] payload) => sender.SendIqAsync(new Iq(IqType.Set) { To = to, Payload = [Element(payload)] }, cancellationToken: Ct);

            var refused = Next(vtn.Server.Vtn, a => a.Kind == VtnActivityKind.Refused);
            var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Registration("honest-ven")).Replace("honest-ven", "forged-ven", StringComparison.Ordinal));

            var answer = Answer(await SendAsync(tampered));

            Assert.Equal("463", Code(answer));
            Assert.Contains("signature", (await refused).Detail, StringComparison.Ordinal);
            Assert.Empty(await vtn.Store.ListVensAsync(Ct));
        }
        finally
        {
            await StopAsync(vtn);
        }
    }
}
