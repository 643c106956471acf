using System.Text;
using System.Xml;
using System.Xml.Linq;
using BenchmarkDotNet.Attributes;
using FlexCoop.OpenAdr.Schema;
using FlexCoop.OpenAdr.Security;

namespace FlexCoop.Bench;

/// <summary>Where the official schemas and the Alliance samples are (../shared beside the checkout, or FLEXCOOP_SCHEMAS).</summary>
internal static class SharedFiles
{
    public static string SchemaDirectory => OadrSchemaLocator.Find(null)
        ?? throw new InvalidOperationException("official OpenADR 2.0b schemas not found; set FLEXCOOP_SCHEMAS");

    /// <summary>The Alliance oadrDistributeEvent sample with its event repeated to <paramref name="events"/> events.</summary>
    public static byte[] DistributeEvent(int events)
    {
        var shared = Path.GetDirectoryName(Path.GetDirectoryName(SchemaDirectory))!;
        var doc = XDocument.Load(Path.Combine(shared, "vectors", "openadr20b", "alliance-spec-samples", "Sample_oadrDistributeEvent.xml"));
        XNamespace oadr = "http://openadr.org/oadr-2.0b/2012/07";
        var first = doc.Root!.Element(oadr + "oadrEvent")!;
        for (var i = 1; i < events; i++)
        {
            doc.Root.Add(new XElement(first));
        }
        var payload = new XElement(oadr + "oadrPayload", new XAttribute(XNamespace.Xmlns + "oadr", oadr.NamespaceName),
            new XElement(oadr + "oadrSignedObject", doc.Root));
        return Encoding.UTF8.GetBytes(payload.ToString(SaveOptions.DisableFormatting));
    }
}

/// <summary>XSD validation of a 10-event oadrDistributeEvent against a bare XmlReader pass over the same bytes.</summary>
[MemoryDiagnoser]
public class OpenAdrSchemaValidationBenchmarks
{
    private byte[] _message = [];
    private OadrSchemaValidator _validator = null!;

    [GlobalSetup]
    public void Setup()
    {
        _message = SharedFiles.DistributeEvent(10);
        _validator = new OadrSchemaValidator(OadrSchemaSet.Load(SharedFiles.SchemaDirectory));
        if (!_validator.Validate(_message).IsValid)
        {
            throw new InvalidOperationException("benchmark message is not schema-valid");
        }
    }

    [Benchmark(Baseline = true, Description = "XmlReader read to end (floor)")]
    public int ReadToEnd()
    {
        using var reader = XmlReader.Create(new MemoryStream(_message), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        var n = 0;
        while (reader.Read())
        {
            n++;
        }
        return n;
    }

    [Benchmark(Description = "XSD validate (all errors, paths)")]
    public bool Validate() => _validator.Validate(_message).IsValid;
}

/// <summary>Signing and verifying a 10-event oadrDistributeEvent; baseline: loading the signed bytes into an XmlDocument.</summary>
[MemoryDiagnoser]
public class OpenAdrSignatureBenchmarks
{
    private OadrTestPki _pki = null!;
    private OadrSigner _rsa = null!;
    private OadrSigner _ecdsa = null!;
    private byte[] _message = [];
    private byte[] _signedRsa = [];
    private byte[] _signedEcdsa = [];
    private OadrVerifyOptions _options = null!;

    [GlobalSetup]
    public void Setup()
    {
        _pki = OadrTestPki.Create();
        _rsa = new OadrSigner(_pki.VenRsa.Certificate);
        _ecdsa = new OadrSigner(_pki.VenEcc.Certificate);
        _message = SharedFiles.DistributeEvent(10);
        _signedRsa = _rsa.Sign(_message);
        _signedEcdsa = _ecdsa.Sign(_message);
        _options = new OadrVerifyOptions { TrustedCertificates = _pki.TrustAnchors, CheckReplayWindow = false };
        if (!OadrSignatureVerifier.Verify(_signedRsa, _options).IsValid || !OadrSignatureVerifier.Verify(_signedEcdsa, _options).IsValid)
        {
            throw new InvalidOperationException("benchmark signatures do not verify");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _pki.Dispose();

    [Benchmark(Baseline = true, Description = "XmlDocument load of the signed message (floor)")]
    public XmlDocument Load()
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        using var reader = XmlReader.Create(new MemoryStream(_signedRsa), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        document.Load(reader);
        return document;
    }

    [Benchmark(Description = "sign RSA-SHA256")]
    public byte[] SignRsa() => _rsa.Sign(_message);

    [Benchmark(Description = "sign ECDSA-SHA256")]
    public byte[] SignEcdsa() => _ecdsa.Sign(_message);

    [Benchmark(Description = "verify RSA-SHA256 + chain")]
    public bool VerifyRsa() => OadrSignatureVerifier.Verify(_signedRsa, _options).IsValid;

    [Benchmark(Description = "verify ECDSA-SHA256 + chain")]
    public bool VerifyEcdsa() => OadrSignatureVerifier.Verify(_signedEcdsa, _options).IsValid;
}
