using System.Diagnostics;
using System.Formats.Asn1;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml.Linq;
using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;
using FlexCoop.Xmpp;

/// <summary>
/// A Prosody server described by an env file: the private load instance's (<see cref="LoadProsody"/>)
/// or the one scripts/ci/prosody.sh writes (named with --xmpp-env).
/// </summary>
internal sealed record ProsodyEnv(Dictionary<string, string> Values)
{
    public static ProsodyEnv Load(string path)
    {
        if (!File.Exists(path)) throw new InvalidOperationException($"no Prosody: {path} not found; run scripts/ci/prosody.sh start first");
        return new(File.ReadAllLines(path).Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.Ordinal));
    }

    public string Host => Values["FLEXCOOP_TEST_XMPP_HOST"];

    public int Port => int.Parse(Values["FLEXCOOP_TEST_XMPP_PORT"], CultureInfo.InvariantCulture);

    public X509Certificate2 Ca => X509CertificateLoader.LoadCertificateFromFile(Values["FLEXCOOP_TEST_XMPP_CA"]);

    /// <summary>
    /// The VTN's session: on a private load Prosody (<see cref="LoadProsody"/>) a certificate for
    /// <c>load-vtn@external.localhost</c> (SASL EXTERNAL, no account); on the test Prosody the second
    /// test account (password login on the main domain).
    /// </summary>
    public XmppClientOptions VtnOptions(string resource)
    {
        if (Values.TryGetValue("FLEXCOOP_LOAD_VTN_EXTERNAL", out var local))
        {
            var (ca, domain) = ExternalIssuer();
            var bare = $"{local}@{domain}";
            return new XmppClientOptions
            {
                Jid = Jid.Parse($"{bare}/{resource}"),
                Host = Host,
                Port = Port,
                TrustedCertificates = [Ca],
                ClientCertificate = IssueXmppCertificate(ca, bare),
                IqTimeout = TimeSpan.FromSeconds(60),
            };
        }
        return new()
        {
            Jid = Jid.Create(Values["FLEXCOOP_TEST_XMPP_USER2"], Values["FLEXCOOP_TEST_XMPP_DOMAIN"], resource),
            Password = Values["FLEXCOOP_TEST_XMPP_PASSWORD2"],
            Host = Host,
            Port = Port,
            TrustedCertificates = [Ca],
            IqTimeout = TimeSpan.FromSeconds(60),
        };
    }

    /// <summary>
    /// VEN accounts need no registration: on the SASL EXTERNAL host Prosody takes the account from the
    /// client certificate's xmppAddr, and the driver issues those certificates from the test CA (its key
    /// beside the CA certificate, as prosody.sh leaves it).
    /// </summary>
    public (X509Certificate2 Ca, string Domain) ExternalIssuer()
    {
        var crt = Values["FLEXCOOP_TEST_XMPP_CA"];
        var key = Path.Combine(Path.GetDirectoryName(crt)!, "ca.key");
        return (X509Certificate2.CreateFromPemFile(crt, key), Values["FLEXCOOP_TEST_XMPP_EXTERNAL_DOMAIN"]);
    }

    // Key pairs are reused across certificates (a few per process): generating one per VEN costs more than
    // issuing the certificate, and what is measured is the sessions, not key generation.
    private static readonly ECDsa[] KeyPool = [.. Enumerable.Range(0, 16).Select(_ => ECDsa.Create(ECCurve.NamedCurves.nistP256))];
    private static int _nextKey = -1;

    /// <summary>A client certificate whose xmppAddr (RFC 6120 §13.7.1.4) is <paramref name="bareJid"/>, signed by the CA (RSA or ECDSA key).</summary>
    public static X509Certificate2 IssueXmppCertificate(X509Certificate2 ca, string bareJid)
    {
        var key = KeyPool[(uint)Interlocked.Increment(ref _nextKey) % (uint)KeyPool.Length];
        var request = new CertificateRequest($"CN={bareJid}", key, HashAlgorithmName.SHA256);
        var san = new AsnWriter(AsnEncodingRules.DER);
        using (san.PushSequence())
        {
            using (san.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            {
                san.WriteObjectIdentifier("1.3.6.1.5.5.7.8.5");
                using (san.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                {
                    san.WriteCharacterString(UniversalTagNumber.UTF8String, bareJid);
                }
            }
        }
        request.CertificateExtensions.Add(new X509Extension("2.5.29.17", san.Encode(), critical: false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        // Prosody checks the chain for the TLS server purpose as well: both usages, as prosody.sh issues them.
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2"), new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var ecCaKey = ca.GetECDsaPrivateKey();
        using var rsaCaKey = ecCaKey is null ? ca.GetRSAPrivateKey() ?? throw new InvalidOperationException("the CA's key is neither ECDSA nor RSA") : null;
        var generator = ecCaKey is not null ? X509SignatureGenerator.CreateForECDsa(ecCaKey) : X509SignatureGenerator.CreateForRSA(rsaCaKey!, RSASignaturePadding.Pkcs1);
        using var issued = request.Create(ca.SubjectName, generator, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7), RandomNumberGenerator.GetBytes(12));
        return issued.CopyWithPrivateKey(key);
    }
}

/// <summary>A driver process's share of XMPP VENs: one session each through Prosody (SASL EXTERNAL), registered as push VENs.</summary>
internal sealed class XmppVens(XmppClient[] sessions, Jid vtn, PushRecorder recorder) : IAsyncDisposable
{
    private static readonly OadrSerializerOptions Compact = OadrSerializerOptions.Default with { Indent = false };
    private static readonly XName Payload = XName.Get("oadrPayload", "http://openadr.org/oadr-2.0b/2012/07");

    public PushRecorder Recorder { get; } = recorder;

    /// <summary>Sessions set up at once per driver process (TCP, STARTTLS, SASL EXTERNAL, bind, stream management, registration).</summary>
    public static int ConnectConcurrency { get; set; } = 32;

    public static XmppVens Create(ProsodyEnv env, Jid vtn, int from, int count, bool streamManagement = true)
    {
        var (ca, domain) = env.ExternalIssuer();
        var trusted = new X509Certificate2Collection(env.Ca);
        var recorder = new PushRecorder(count);
        var sessions = new XmppClient[count];
        for (var i = 0; i < count; i++)
        {
            var bare = $"load-ven-{from + i}@{domain}";
            var client = new XmppClient(new XmppClientOptions
            {
                Jid = Jid.Parse(bare + "/oadr"),
                Host = env.Host,
                Port = env.Port,
                TrustedCertificates = trusted,
                ClientCertificate = ProsodyEnv.IssueXmppCertificate(ca, bare),
                IqTimeout = TimeSpan.FromSeconds(60),
                ConnectTimeout = TimeSpan.FromSeconds(60),
                KeepAliveInterval = TimeSpan.FromMinutes(5),
                StreamManagement = streamManagement,
            });
            var index = i;
            // The answer goes into the result as serialised, as the VEN's XMPP transport sends it.
            client.SetRawIqHandler(Payload, (iq, _) =>
                ValueTask.FromResult<ReadOnlyMemory<byte>>(recorder.Answer(index, Encoding.UTF8.GetBytes(iq.FirstPayload!.ToString(SaveOptions.DisableFormatting)))));
            sessions[i] = client;
        }
        return new XmppVens(sessions, vtn, recorder);
    }

    private static XElement ToXElement(OadrMessage message) => XElement.Parse(OadrCodec.SerializeToString(message, Compact));

    private static OadrMessage Parse(Iq result) => OadrCodec.ParseMessage(Encoding.UTF8.GetBytes(result.FirstPayload!.ToString(SaveOptions.DisableFormatting)));

    /// <summary>Connects every session (a few at a time, as a fleet coming online) and registers it with the VTN as a push VEN.</summary>
    public Task ConnectAndRegisterAsync(CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(Enumerable.Range(0, sessions.Length), new ParallelOptions { MaxDegreeOfParallelism = ConnectConcurrency, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var session = sessions[i];
            await session.ConnectAsync(ct);
            var reply = Parse(await session.SendIqAsync(new Iq(IqType.Set)
            {
                To = vtn,
                Payload = [ToXElement(new OadrCreatePartyRegistration
                {
                    RequestId = "r",
                    ProfileName = OadrProfileName.Profile20b,
                    TransportName = OadrTransportName.Xmpp,
                    TransportAddress = session.Jid!.ToString(),
                    ReportOnly = false,
                    XmlSignature = false,
                    VenName = session.Jid.Local ?? "load-ven",
                    HttpPullModel = false,
                })],
            }, cancellationToken: ct));
            Recorder.VenIds[i] = ((OadrCreatedPartyRegistration)reply).VenId!;
        });

    /// <summary>
    /// One session's IQ round trips per second, one at a time: XMPP pings answered by Prosody (the
    /// floor), then oadrPoll answered by the VTN through Prosody, then pings answered by the VTN's
    /// session (the same route as the poll, no OpenADR), each for <paramref name="length"/>.
    /// </summary>
    public async Task<(double Pings, double Polls, double VtnPings)> IqRatesAsync(TimeSpan length)
    {
        var session = sessions[0];
        var poll = ToXElement(new OadrPoll { VenId = Recorder.VenIds[0] });
        async Task<double> RateAsync(Func<Task> roundTrip)
        {
            for (var i = 0; i < 50; i++) await roundTrip(); // warm up
            var count = 0;
            var sw = Stopwatch.StartNew();
            while (sw.Elapsed < length)
            {
                await roundTrip();
                count++;
            }
            return count / sw.Elapsed.TotalSeconds;
        }
        var pings = await RateAsync(() => session.PingAsync());
        var polls = await RateAsync(() => session.SendIqAsync(new Iq(IqType.Set) { To = vtn, Payload = [new XElement(poll)] }));
        var vtnPings = await RateAsync(() => session.PingAsync(vtn));
        return (pings, polls, vtnPings);
    }

    public async ValueTask DisposeAsync()
    {
        await Parallel.ForEachAsync(sessions, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (s, _) => await s.DisposeAsync());
    }
}
