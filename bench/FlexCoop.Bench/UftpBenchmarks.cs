using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using FlexCoop.Usef;
using FlexCoop.Usef.Signing;
using FlexCoop.Usef.Xml;
using NSec.Cryptography;

namespace FlexCoop.Bench;

/// <summary>
/// Receiving signed UFTP messages as a participant does: parse the SignedMessage envelope, verify the Ed25519 signature
/// with the sender's key, parse the sealed message and check its sender; against the raw Ed25519 verification of the
/// same bytes (the floor: no parsing at all).
/// Every benchmark goes through one batch of <see cref="Batch"/> distinct messages (each its own MessageID,
/// ConversationID and powers, sealed on its own, from one of <see cref="Senders"/> aggregators with their own keys), so
/// no figure can come from a repeated input; nothing is cached between messages but the senders' imported keys, as a
/// participant's directory keeps them. Times are per message (OperationsPerInvoke).
/// Single core: <see cref="RawEd25519Verify"/> (baseline), <see cref="ParseOnly"/> (the sealed message's parse, the
/// codec's share), <see cref="ParseAndVerify"/>. Every core: <see cref="RawEd25519VerifyAllCores"/> (the parallel
/// floor) and <see cref="ParseAndVerifyManyAllCores"/> (<see cref="UftpSigner.OpenMany"/>, the batch API a receiving
/// participant uses).
/// Target (issue 5): ParseAndVerifyManyAllCores at least 20,000 messages per second, i.e. at most 50 µs per message.
/// Run: mkdir -p /tmp/bq-uftp &amp;&amp; cd /tmp/bq-uftp &amp;&amp; dotnet run -c Release --project REPO/bench/FlexCoop.Bench -- --filter '*UftpBenchmarks*' --job short --inProcess
/// </summary>
[MemoryDiagnoser]
public class UftpBenchmarks
{
    /// <summary>Distinct messages per batch; every benchmark handles the whole batch per invocation.</summary>
    public const int Batch = 512;

    /// <summary>Aggregators the messages come from, each with its own key.</summary>
    public const int Senders = 8;

    private UftpSigningKey[] _signers = null!;
    private PublicKey[] _rawKeys = null!;
    private int[] _senderOf = null!;
    private ReadOnlyMemory<byte>[] _envelopes = null!;
    private byte[][] _payloads = null!;
    private byte[][] _signatures = null!;
    private Func<string, UftpRole, IReadOnlyList<UftpPublicKey>?> _keysOf = null!;

    /// <summary>FlexOffer96: one option of 96 ISPs (about 4 KB sealed); FlexOrderResponse: a bare response (about 0.4 KB).</summary>
    [Params("FlexOffer96", "FlexOrderResponse")]
    public string Message { get; set; } = "FlexOffer96";

    [GlobalSetup]
    public void Setup()
    {
        _signers = Enumerable.Range(0, Senders).Select(_ => UftpSigningKey.Generate()).ToArray();
        _rawKeys = _signers.Select(k => PublicKey.Import(SignatureAlgorithm.Ed25519, k.PublicKey.Bytes, KeyBlobFormat.RawPublicKey)).ToArray();
        var directory = new ConcurrentDictionary<string, IReadOnlyList<UftpPublicKey>>(
            Enumerable.Range(0, Senders).Select(s => KeyValuePair.Create(Domain(s), (IReadOnlyList<UftpPublicKey>)[_signers[s].PublicKey])));
        _keysOf = (domain, role) => role == UftpRole.AGR && directory.TryGetValue(domain, out var keys) ? keys : null;

        var random = new Random(5);
        var now = new DateTimeOffset(2025, 6, 1, 8, 0, 0, TimeSpan.Zero);
        _senderOf = new int[Batch];
        _envelopes = new ReadOnlyMemory<byte>[Batch];
        _payloads = new byte[Batch][];
        _signatures = new byte[Batch][];
        for (var i = 0; i < Batch; i++)
        {
            var sender = i % Senders;
            PayloadMessage message = Message == "FlexOffer96"
                ? new FlexOffer
                {
                    SenderDomain = Domain(sender), RecipientDomain = "dso.example.com", TimeStamp = now.AddSeconds(i), MessageId = Guid.NewGuid(), ConversationId = Guid.NewGuid(),
                    IspDuration = TimeSpan.FromMinutes(15), TimeZone = "Europe/Amsterdam", Period = new DateOnly(2025, 6, 2), CongestionPoint = EntityAddress.FromEan("871685900012345678"),
                    ExpirationDateTime = now.AddHours(2), FlexRequestMessageId = Guid.NewGuid(), Currency = "EUR",
                    OfferOptions = new[] { new FlexOfferOption("A", 123.45m + i, new ValueList<PowerIsp>(Enumerable.Range(1, 96).Select(n => new PowerIsp(-random.Next(1, 2_000_000), n)))) },
                }
                : new FlexOrderResponse
                {
                    SenderDomain = Domain(sender), RecipientDomain = "dso.example.com", TimeStamp = now.AddSeconds(i), MessageId = Guid.NewGuid(), ConversationId = Guid.NewGuid(),
                    Result = AcceptedRejected.Accepted, FlexOrderMessageId = Guid.NewGuid(),
                };
            var signed = UftpSigner.Seal(message, UftpRole.AGR, _signers[sender]);
            _senderOf[i] = sender;
            _envelopes[i] = UftpXml.Serialize(signed);
            _signatures[i] = signed.Body[..UftpSigner.SignatureLength].ToArray();
            _payloads[i] = signed.Body[UftpSigner.SignatureLength..].ToArray();
        }
        if (_payloads.Select(Convert.ToBase64String).Distinct().Count() != Batch) throw new InvalidOperationException("the batch must hold distinct messages");
        // Every envelope opens, so the benchmarks below measure the success path.
        if (UftpSigner.OpenMany(_envelopes, _keysOf).Count(r => r.IsSuccess) != Batch) throw new InvalidOperationException("an envelope of the batch does not open");
    }

    private static string Domain(int sender) => $"agr{sender}.example.org";

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var key in _signers) key.Dispose();
    }

    /// <summary>Raw Ed25519 verification of each sealed payload with its sender's key, one core: the floor.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public int RawEd25519Verify()
    {
        var ok = 0;
        for (var i = 0; i < Batch; i++)
        {
            if (SignatureAlgorithm.Ed25519.Verify(_rawKeys[_senderOf[i]], _payloads[i], _signatures[i])) ok++;
        }
        return ok;
    }

    /// <summary>The sealed message's parse alone (no envelope, no signature), one core: the codec's share.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public int ParseOnly()
    {
        var n = 0;
        for (var i = 0; i < Batch; i++) n += UftpXml.Parse(_payloads[i]).MessageId.GetHashCode() & 1;
        return n;
    }

    /// <summary>Envelope parse, key lookup, verification, sealed message parse and sender check, one core.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public int ParseAndVerify()
    {
        var ok = 0;
        for (var i = 0; i < Batch; i++)
        {
            if (UftpSigner.OpenOne(_envelopes[i], _keysOf).IsSuccess) ok++;
        }
        return ok;
    }

    /// <summary>Raw verification of the batch on every core: the floor of the batch API.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public int RawEd25519VerifyAllCores()
    {
        var ok = 0;
        Parallel.For(0, Batch, () => 0, (i, _, n) => SignatureAlgorithm.Ed25519.Verify(_rawKeys[_senderOf[i]], _payloads[i], _signatures[i]) ? n + 1 : n, n => Interlocked.Add(ref ok, n));
        return ok;
    }

    /// <summary>The batch opened with <see cref="UftpSigner.OpenMany"/> on every core.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public int ParseAndVerifyManyAllCores()
    {
        var results = UftpSigner.OpenMany(_envelopes, _keysOf);
        var ok = 0;
        foreach (var r in results)
        {
            if (r.IsSuccess) ok++;
        }
        return ok;
    }
}
