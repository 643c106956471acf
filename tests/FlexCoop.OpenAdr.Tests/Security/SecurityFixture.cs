using System.Text;
using System.Xml;
using FlexCoop.OpenAdr.Security;
using FlexCoop.Testing;

namespace FlexCoop.OpenAdr.Tests.Security;

/// <summary>One test PKI per test run (key generation is slow), messages and a pinned clock.</summary>
internal static class SecurityFixture
{
    private static readonly Lazy<OadrTestPki> PkiLazy = new(() => OadrTestPki.Create(new OadrTestPkiOptions { NotBefore = Now.AddDays(-1) }));
    private static readonly Lazy<OadrTestPki> OtherPkiLazy = new(() => OadrTestPki.Create(new OadrTestPkiOptions { NotBefore = Now.AddDays(-1) }));

    /// <summary>The pinned "now" of the signature tests.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static OadrTestPki Pki => PkiLazy.Value;

    /// <summary>A second, unrelated PKI: its CAs must not be trusted for the first one's certificates.</summary>
    public static OadrTestPki OtherPki => OtherPkiLazy.Value;

    public static TimeProvider Clock(DateTimeOffset now) => new FixedTimeProvider(now);

    public static OadrSigner Signer(OadrTestCredential credential) => new(credential.Certificate, Clock(Now));

    public static OadrVerifyOptions Options(OadrTestPki? trusted = null) => new()
    {
        TrustedCertificates = (trusted ?? Pki).TrustAnchors,
        VerificationTime = Now.AddSeconds(2),
    };

    /// <summary>An unsigned oadrPayload with an oadrDistributeEvent (the Alliance sample).</summary>
    public static byte[] UnsignedPayload() =>
        File.ReadAllBytes(Path.Combine(TestEnvironment.RequireShared("vectors/openadr20b/alliance-spec-samples"), "sample_oadrPayload_20b.xml"));

    /// <summary>A small unsigned oadrPayload written here, with oadr as the default namespace.</summary>
    public static byte[] SmallPayload(string venId = "ven-1") => Encoding.UTF8.GetBytes($"""
        <?xml version="1.0" encoding="UTF-8"?>
        <oadrPayload xmlns="http://openadr.org/oadr-2.0b/2012/07">
          <oadrSignedObject>
            <oadrPoll xmlns:ei="http://docs.oasis-open.org/ns/energyinterop/201110" ei:schemaVersion="2.0b">
              <ei:venID>{venId}</ei:venID>
            </oadrPoll>
          </oadrSignedObject>
        </oadrPayload>
        """);

    public static XmlDocument Load(byte[] bytes)
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        using var reader = XmlReader.Create(new MemoryStream(bytes), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        document.Load(reader);
        return document;
    }

    public static byte[] Save(XmlDocument document)
    {
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), NewLineHandling = NewLineHandling.None }))
        {
            document.Save(writer);
        }
        return stream.ToArray();
    }

    public static XmlNamespaceManager Namespaces(XmlDocument document)
    {
        var ns = new XmlNamespaceManager(document.NameTable);
        ns.AddNamespace("oadr", "http://openadr.org/oadr-2.0b/2012/07");
        ns.AddNamespace("ds", "http://www.w3.org/2000/09/xmldsig#");
        ns.AddNamespace("dsp", "http://openadr.org/oadr-2.0b/2012/07/xmldsig-properties");
        ns.AddNamespace("ei", "http://docs.oasis-open.org/ns/energyinterop/201110");
        ns.AddNamespace("pyld", "http://docs.oasis-open.org/ns/energyinterop/201110/payloads");
        return ns;
    }

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
