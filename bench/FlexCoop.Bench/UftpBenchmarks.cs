using BenchmarkDotNet.Attributes;
using FlexCoop.Usef;
using FlexCoop.Usef.Signing;
using FlexCoop.Usef.Xml;
using NSec.Cryptography;

namespace FlexCoop.Bench;

/// <summary>
/// Receiving a signed UFTP message: parse the SignedMessage envelope, verify the Ed25519
/// signature, parse the sealed message and check its sender, against the raw Ed25519
/// verification of the same bytes (the floor: no parsing at all).
/// The batch benchmarks open <see cref="Batch"/> envelopes per call with
/// <see cref="UftpSigner.OpenMany"/> (every core) and report the time per message, beside the raw
/// verification of the same batch on every core (the parallel floor).
/// Target (issue 5): ParseAndVerifyManyAllCores at least 20,000 messages per second (at most 50 µs per message on
/// this 2-core machine), beside RawEd25519VerifyAllCores, the floor. ParseOnly is the codec's share.
/// Run: dotnet run -c Release --project bench/FlexCoop.Bench -- --filter '*UftpBenchmarks*' --job short --inProcess
/// </summary>
[MemoryDiagnoser]
public class UftpBenchmarks
{
    private UftpSigningKey _key = null!;
    private UftpPublicKey[] _keys = null!;
    private PublicKey _rawKey = null!;
    private byte[] _envelope = null!;
    private byte[] _payload = null!;
    private byte[] _signature = null!;
    private ReadOnlyMemory<byte>[] _batch = null!;
    private Func<string, UftpRole, IReadOnlyList<UftpPublicKey>?> _keysOf = null!;

    /// <summary>Envelopes per batch call.</summary>
    public const int Batch = 512;

    /// <summary>FlexOffer: one option of 96 ISPs (about 4 KB); FlexOrderResponse: a bare response (about 0.5 KB).</summary>
    [Params("FlexOffer96", "FlexOrderResponse")]
    public string Message { get; set; } = "FlexOffer96";

    [GlobalSetup]
    public void Setup()
    {
        _key = UftpSigningKey.Generate();
        _keys = [_key.PublicKey];
        _rawKey = PublicKey.Import(SignatureAlgorithm.Ed25519, _key.PublicKey.Bytes, KeyBlobFormat.RawPublicKey);
        var now = new DateTimeOffset(2025, 6, 1, 8, 0, 0, TimeSpan.Zero);
        PayloadMessage message = Message == "FlexOffer96"
            ? new FlexOffer
            {
                SenderDomain = "agr.example.org", RecipientDomain = "dso.example.com", TimeStamp = now, MessageId = Guid.NewGuid(), ConversationId = Guid.NewGuid(),
                IspDuration = TimeSpan.FromMinutes(15), TimeZone = "Europe/Amsterdam", Period = new DateOnly(2025, 6, 2), CongestionPoint = EntityAddress.FromEan("871685900012345678"),
                ExpirationDateTime = now.AddHours(2), FlexRequestMessageId = Guid.NewGuid(), Currency = "EUR",
                OfferOptions = new[] { new FlexOfferOption("A", 123.45m, new ValueList<PowerIsp>(Enumerable.Range(1, 96).Select(i => new PowerIsp(-1000 * i, i)))) },
            }
            : new FlexOrderResponse
            {
                SenderDomain = "agr.example.org", RecipientDomain = "dso.example.com", TimeStamp = now, MessageId = Guid.NewGuid(), ConversationId = Guid.NewGuid(),
                Result = AcceptedRejected.Accepted, FlexOrderMessageId = Guid.NewGuid(),
            };
        var signed = UftpSigner.Seal(message, UftpRole.AGR, _key);
        _envelope = UftpXml.Serialize(signed);
        _signature = signed.Body[..UftpSigner.SignatureLength].ToArray();
        _payload = signed.Body[UftpSigner.SignatureLength..].ToArray();
        // Distinct copies, as a server would receive them.
        _batch = Enumerable.Range(0, Batch).Select(_ => (ReadOnlyMemory<byte>)_envelope.ToArray()).ToArray();
        IReadOnlyList<UftpPublicKey> keys = _keys;
        _keysOf = (domain, role) => domain == "agr.example.org" && role == UftpRole.AGR ? keys : null;
    }

    [GlobalCleanup]
    public void Cleanup() => _key.Dispose();

    [Benchmark(Baseline = true)]
    public bool RawEd25519Verify() => SignatureAlgorithm.Ed25519.Verify(_rawKey, _payload, _signature);

    /// <summary>The sealed message's parse alone (no envelope, no signature), to split the cost.</summary>
    [Benchmark]
    public PayloadMessage ParseOnly() => UftpXml.Parse(_payload);

    [Benchmark]
    public PayloadMessage ParseAndVerify() => UftpSigner.Open(UftpXml.ParseSignedMessage(_envelope), _keys).Message;

    /// <summary>Raw verification of a batch on every core: the floor of the batch API. Time is per message.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public int RawEd25519VerifyAllCores()
    {
        var ok = 0;
        Parallel.For(0, Batch, () => 0, (_, _, n) => SignatureAlgorithm.Ed25519.Verify(_rawKey, _payload, _signature) ? n + 1 : n, n => Interlocked.Add(ref ok, n));
        return ok;
    }

    /// <summary>Parse + verify + parse of a batch with <see cref="UftpSigner.OpenMany"/>. Time is per message.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public int ParseAndVerifyManyAllCores()
    {
        var results = UftpSigner.OpenMany(_batch, _keysOf);
        var ok = 0;
        foreach (var r in results) if (r.IsSuccess) ok++;
        return ok;
    }
}
