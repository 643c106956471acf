using System.Net.Sockets;
using CsCheck;
using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Ber;
using FlexCoop.Iec61850.Mms.Client;
using FlexCoop.Iec61850.Mms.Iso;
using FlexCoop.Iec61850.Mms.Server;

namespace FlexCoop.Iec61850.Tests.Mms;

/// <summary>
/// Hostile input against the decoders and the server: every failure is a typed
/// <see cref="MmsDecodeException"/>, and the server answers with a reject or an error, or aborts
/// that one association, while a second association keeps being served.
/// </summary>
public sealed class MmsFuzzTests
{
    private static ObjectName N(string item) => ObjectName.Domain(MmsTestServer.Domain, item);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>InvokeIDs of raw PDUs stay far from the client's own counter.</summary>
    private const uint RawId = 0x10000000;

    /// <summary>Valid PDUs of every kind: the seeds the mutations start from.</summary>
    internal static IReadOnlyList<byte[]> SeedPdus() =>
    [
        MmsPduCodec.Encode(new ConfirmedRequestPdu(RawId + 1, new IdentifyRequest())),
        MmsPduCodec.Encode(new ConfirmedRequestPdu(RawId + 2, new GetNameListRequest(MmsObjectClass.NamedVariable, MmsScope.DomainSpecific, MmsTestServer.Domain, "LLN0"))),
        MmsPduCodec.Encode(new ConfirmedRequestPdu(RawId + 3, new ReadRequest(VariableAccessSpecification.Of(N("LLN0$ST$Mod$stVal"), N("MMXU1"))))),
        MmsPduCodec.Encode(new ConfirmedRequestPdu(RawId + 4, new WriteRequest(VariableAccessSpecification.Of(N("MMXU1$SP$Setp$on")), [new MmsBoolean(true)]))),
        MmsPduCodec.Encode(new ConfirmedRequestPdu(RawId + 5, new GetVariableAccessAttributesRequest(N("LLN0")))),
        MmsPduCodec.Encode(new ConfirmedRequestPdu(RawId + 6, new DefineNamedVariableListRequest(N("LLN0$f"), [N("LLN0$ST$Mod$stVal")]))),
        MmsPduCodec.Encode(new ConfirmedRequestPdu(RawId + 7, new GetNamedVariableListAttributesRequest(N("LLN0$DataSet1")))),
        MmsPduCodec.Encode(new ConfirmedRequestPdu(RawId + 8, new DeleteNamedVariableListRequest(0, [N("LLN0$f")], null))),
        MmsPduCodec.Encode(new ConfirmedRequestPdu(RawId + 9, new FileOpenRequest("readme.txt", 0))),
        MmsPduCodec.Encode(new ConfirmedRequestPdu(RawId + 10, new FileReadRequest(1))),
        MmsPduCodec.Encode(new ConfirmedRequestPdu(RawId + 11, new FileCloseRequest(1))),
        MmsPduCodec.Encode(new ConfirmedRequestPdu(RawId + 12, new FileDirectoryRequest(null, null))),
        MmsPduCodec.Encode(new ConfirmedRequestPdu(RawId + 13, new ReadJournalRequest(N("LLN0$Log"), new MmsBinaryTime(0, 1), null, null))),
        MmsPduCodec.Encode(new ConfirmedRequestPdu(RawId + 14, new WriteRequest(VariableAccessSpecification.Of(N("MMXU1$SP$Setp")),
            [new MmsStructure(new MmsStructure(new MmsFloat64(1)), new MmsOctetString([1]), new MmsUnsigned(3), new MmsBinaryTime(1, 2), new MmsBoolean(false), new MmsArray([new MmsInteger(1), new MmsInteger(2), new MmsInteger(3)]))]))),
        MmsPduCodec.Encode(new InformationReportPdu(VariableAccessSpecification.OfList(ObjectName.Vmd("RPT")), [AccessResult.Success(new MmsUtcTime(1, 2, 3))])),
        MmsPduCodec.Encode(new ConfirmedRequestPdu(RawId + 15, new ReadJournalRequest(N("LLN0$Log"), new MmsBinaryTime(0, 1), new MmsBinaryTime(9, 2), [0, 0, 0, 0, 0, 0, 0, 1]))),
        MmsPduCodec.Encode(new ConfirmedRequestPdu(RawId + 16, new InitializeJournalRequest(N("LLN0$Log"), new MmsBinaryTime(5, 1), [0, 0, 0, 0, 0, 0, 0, 2]))),
        MmsPduCodec.Encode(new ConfirmedRequestPdu(RawId + 17, new ObtainFileRequest("upload.bin", "cfg/upload.bin"))),
        MmsPduCodec.Encode(new ConfirmedResponsePdu(RawId + 18, new ReadJournalResponse([new MmsJournalEntry([0, 0, 0, 0, 0, 0, 0, 3], new MmsBinaryTime(7, 3),
            [("LD/LN$ST$Pos", new MmsStructure(new MmsBitString([0x80], 2))), ("ReasonCode", MmsBitString.FromBits(7, 1))])], true))),
        MmsPduCodec.Encode(new ConcludeRequestPdu()),
    ];

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = seed.ToArray();
        switch (random.Next(4))
        {
            case 0:
                for (var i = 0; i < 1 + random.Next(3); i++) bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 1:
                return bytes[..random.Next(bytes.Length)];
            case 2:
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                return bytes;
            default:
                var extra = new byte[random.Next(1, 8)];
                random.NextBytes(extra);
                return [.. bytes, .. extra];
        }
    }

    [Fact]
    public void Decoding_random_bytes_fails_only_with_typed_errors()
    {
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            Expect(() => MmsPduCodec.Decode(bytes));
            Expect(() => Cotp.Decode(bytes));
            Expect(() => IsoSession.Decode(bytes));
            Expect(() => IsoPresentation.DecodeConnect(bytes));
            Expect(() => IsoPresentation.ReadUserData(bytes));
            Expect(() => Acse.DecodeAarq(bytes));
            Expect(() => Acse.DecodeAare(bytes));
            Expect(() => MmsFraming.ReadTsdu(bytes));
        }, iter: 3000);
    }

    [Fact]
    public void Decoding_mutated_valid_pdus_fails_only_with_typed_errors()
    {
        var seeds = SeedPdus();
        Gen.Int[0, seeds.Count - 1].Select(Gen.Int).Sample((index, seed) =>
        {
            var mutated = Mutate(seeds[index], new Random(seed));
            Expect(() => MmsPduCodec.Decode(mutated));
        }, iter: 5000);
    }

    private static void Expect(Action decode)
    {
        try
        {
            decode();
        }
        catch (MmsDecodeException)
        {
            // the only acceptable failure
        }
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_refused()
    {
        MmsValue v = new MmsInteger(1);
        for (var i = 0; i < BerReader.MaxDepth + 5; i++) v = new MmsStructure(v);
        var bytes = MmsPduCodec.Encode(new ConfirmedRequestPdu(RawId + 1, new WriteRequest(VariableAccessSpecification.Of(N("x")), [v])));
        var ex = Assert.Throws<MmsDecodeException>(() => MmsPduCodec.Decode(bytes));
        Assert.Contains("nesting", ex.Message, StringComparison.Ordinal);
        Assert.Equal(RawId + 1, ex.InvokeId);
    }

    [Fact]
    public async Task Mutated_pdus_get_a_reject_error_or_abort_and_a_second_association_keeps_working()
    {
        await using var server = await MmsTestServer.StartAsync(withFiles: true);
        await using var bystander = await server.ConnectAsync(cancellationToken: Ct);
        var seeds = SeedPdus();
        var random = new Random(1234);
        var fuzzer = await server.ConnectAsync(cancellationToken: Ct);
        var aborts = 0;
        try
        {
            for (var i = 0; i < 400; i++)
            {
                var pdu = Mutate(seeds[random.Next(seeds.Count)], random);
                try
                {
                    await fuzzer.SendRawPduAsync(pdu, Ct);
                    // The association either still answers, or the server has aborted it.
                    await fuzzer.IdentifyAsync(Ct);
                }
                catch (MmsProtocolException)
                {
                    aborts++;
                    await fuzzer.DisposeAsync();
                    fuzzer = await server.ConnectAsync(cancellationToken: Ct);
                }
                if (i % 50 == 0) Assert.Equal(new MmsInteger(1), (await bystander.ReadAsync(N("LLN0$ST$Mod$stVal"), Ct)).Value);
            }
        }
        finally
        {
            await fuzzer.DisposeAsync();
        }
        Assert.Equal("FlexCoop", (await bystander.IdentifyAsync(Ct)).VendorName);
        Assert.True(aborts < 400, "the server must not abort on every malformed PDU");
    }

    [Fact]
    public async Task A_pdu_that_does_not_decode_gets_a_reject_naming_its_invoke_id()
    {
        await using var server = await MmsTestServer.StartAsync();
        await using var client = await server.ConnectAsync(cancellationToken: Ct);
        // Read request (invokeID 77) whose variable access specification is an INTEGER.
        var reply = MmsPduCodec.Decode(await client.SendRawAsync(new byte[] { 0xA0, 0x08, 0x02, 0x01, 0x4D, 0xA4, 0x03, 0x02, 0x01, 0x00 }, Ct));
        var reject = Assert.IsType<RejectPdu>(reply);
        Assert.Equal(77u, reject.OriginalInvokeId);
        Assert.Equal(MmsRejectReason.InvalidArgument, reject.Reason);
        // An unknown confirmed service ([99]) is an unrecognized service.
        reply = MmsPduCodec.Decode(await client.SendRawAsync(new byte[] { 0xA0, 0x06, 0x02, 0x01, 0x05, 0x9F, 0x63, 0x00 }, Ct));
        Assert.Equal(MmsRejectReason.UnrecognizedService, Assert.IsType<RejectPdu>(reply).Reason);
        // Not an MMS PDU at all.
        reply = MmsPduCodec.Decode(await client.SendRawAsync(new byte[] { 0x30, 0x00 }, Ct));
        Assert.Equal(MmsRejectReason.InvalidPdu, Assert.IsType<RejectPdu>(reply).Reason);
        Assert.Equal("FlexCoop", (await client.IdentifyAsync(Ct)).VendorName);
    }

    [Fact]
    public async Task Overflowing_get_name_list_requests_are_answered_without_harm()
    {
        await using var server = await MmsTestServer.StartAsync(new MmsServerOptions { MaxPduSize = 512 }, extraVariables: 200);
        await using var client = await server.ConnectAsync(cancellationToken: Ct);
        var huge = new string('Z', 400);
        var page = await client.GetNameListPageAsync(MmsObjectClass.NamedVariable, MmsScope.DomainSpecific, MmsTestServer.Domain, huge, Ct);
        Assert.Empty(page.Identifiers);
        Assert.False(page.MoreFollows);
        await Assert.ThrowsAsync<MmsServiceErrorException>(() => client.GetNameListPageAsync(MmsObjectClass.NamedVariable, MmsScope.DomainSpecific, huge, null, Ct));
        var first = await client.GetNameListPageAsync(MmsObjectClass.NamedVariable, MmsScope.DomainSpecific, MmsTestServer.Domain, "", Ct);
        Assert.True(first.MoreFollows);
        Assert.True(first.Identifiers.Sum(n => n.Length + 2) < 512);
        // Object classes the server has none of, and an object class out of range.
        Assert.Empty((await client.GetNameListPageAsync(MmsObjectClass.Semaphore, MmsScope.VmdSpecific, null, null, Ct)).Identifiers);
        var reply = MmsPduCodec.Decode(await client.SendRawAsync(new byte[] { 0xA0, 0x0C, 0x02, 0x01, 0x01, 0xA1, 0x07, 0xA0, 0x03, 0x80, 0x01, 0x63, 0xA1, 0x00 }, Ct));
        Assert.IsType<RejectPdu>(reply);
        Assert.Equal("FlexCoop", (await client.IdentifyAsync(Ct)).VendorName);
    }

    [Fact]
    public async Task Delete_named_variable_list_and_file_close_on_nonsense_give_errors_not_crashes()
    {
        await using var server = await MmsTestServer.StartAsync(withFiles: true);
        await using var client = await server.ConnectAsync(cancellationToken: Ct);
        Assert.Equal(new DeleteNamedVariableListResponse(0, 0), await client.DeleteNamedVariableListAsync([ObjectName.Domain("NOPE", "x"), ObjectName.Vmd("y"), ObjectName.Association("z")], Ct));
        Assert.Equal(new DeleteNamedVariableListResponse(0, 0), await client.RequestAsync(new DeleteNamedVariableListRequest(0, null, null), Ct));
        await Assert.ThrowsAsync<MmsServiceErrorException>(() => client.RequestAsync(new DeleteNamedVariableListRequest(2, null, "NOPE"), Ct));
        // scopeOfDelete 9 does not exist.
        var reply = MmsPduCodec.Decode(await client.SendRawAsync(new byte[] { 0xA0, 0x08, 0x02, 0x01, 0x09, 0xAD, 0x03, 0x80, 0x01, 0x09 }, Ct));
        Assert.IsType<RejectPdu>(reply);
        foreach (var frsm in new[] { 0, -1, int.MaxValue, int.MinValue, 4711 })
        {
            var e = await Assert.ThrowsAsync<MmsServiceErrorException>(() => client.FileCloseAsync(frsm, Ct));
            Assert.Equal(MmsErrorClass.File, e.Error.Class);
            await Assert.ThrowsAsync<MmsServiceErrorException>(() => client.FileReadAsync(frsm, Ct));
        }
        // A fileClose whose FRSM id is nine octets long.
        reply = MmsPduCodec.Decode(await client.SendRawAsync(new byte[] { 0xA0, 0x0F, 0x02, 0x01, 0x0A, 0x9F, 0x4A, 0x09, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, Ct));
        Assert.IsType<RejectPdu>(reply);
        Assert.Equal("FlexCoop", (await client.IdentifyAsync(Ct)).VendorName);
    }

    /// <summary>Opens a TCP connection, sends CR, and returns the socket after the CC.</summary>
    private static async Task<Socket> TransportConnectAsync(int port)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", port, Ct);
        await socket.SendAsync(Cotp.EncodeConnect(false, 0, 1, [0, 1], [0, 1], 1024), Ct);
        var header = new byte[4];
        await ReceiveExactlyAsync(socket, header);
        var rest = new byte[Tpkt.ReadLength(header) - 4];
        await ReceiveExactlyAsync(socket, rest);
        Assert.IsType<CotpConnectionConfirm>(Cotp.Decode(rest));
        return socket;
    }

    private static async Task ReceiveExactlyAsync(Socket socket, byte[] buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), Ct);
            if (n == 0) throw new EndOfStreamException();
            read += n;
        }
    }

    /// <summary>Sends a TSDU and returns what the server answers until it closes the connection.</summary>
    private static async Task<byte[]> SendAndDrainAsync(int port, byte[] tsdu)
    {
        using var socket = await TransportConnectAsync(port);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        Cotp.WriteData(buffer, tsdu, 1024);
        await socket.SendAsync(buffer.WrittenMemory, Ct);
        using var all = new MemoryStream();
        var chunk = new byte[4096];
        while (true)
        {
            var n = await socket.ReceiveAsync(chunk, Ct);
            if (n == 0) return all.ToArray();
            all.Write(chunk, 0, n);
        }
    }

    private static byte[] ConnectSpdu(byte[] presentation) => IsoSession.EncodeConnectOrAccept(false, [0, 1], [0, 1], presentation);

    private static readonly PresentationContext[] Contexts =
    [
        new(1, IsoPresentation.AcseAbstractSyntax, IsoPresentation.BerTransferSyntax),
        new(3, IsoPresentation.MmsAbstractSyntax, IsoPresentation.BerTransferSyntax),
    ];

    public static TheoryData<string, byte[]> HostileConnects()
    {
        var initiate = MmsPduCodec.Encode(new InitiateRequestPdu(new MmsInitiateParameters()));
        var aarq = Acse.EncodeAarq(new AarqApdu(Acse.MmsApplicationContextName, new AcseAddress("1.1.1.999.1", 12), new AcseAddress("1.1.1.999", 12), null, null, 3, initiate));
        var noNormalMode = new BerWriter();
        var set = noNormalMode.Begin(BerTag.Set);
        var ms = noNormalMode.Begin(BerTag.Context(0, true));
        noNormalMode.WriteInteger(BerTag.Context(0), 1);
        noNormalMode.End(ms);
        noNormalMode.End(set);
        var x410 = new BerWriter();
        var set2 = x410.Begin(BerTag.Set);
        var ms2 = x410.Begin(BerTag.Context(0, true));
        x410.WriteInteger(BerTag.Context(0), 0);
        x410.End(ms2);
        x410.End(set2);
        var truncatedAarq = aarq[..(aarq.Length / 2)];
        var garbageAarq = aarq.ToArray();
        garbageAarq[2] = 0xFF;
        return new TheoryData<string, byte[]>
        {
            { "presentation without normal-mode parameters", ConnectSpdu(noNormalMode.ToArray()) },
            { "presentation in x.410 mode", ConnectSpdu(x410.ToArray()) },
            { "truncated AARQ", ConnectSpdu(IsoPresentation.EncodeConnect([0, 0, 0, 1], [0, 0, 0, 1], Contexts, 1, truncatedAarq)) },
            { "AARQ with a broken length", ConnectSpdu(IsoPresentation.EncodeConnect([0, 0, 0, 1], [0, 0, 0, 1], Contexts, 1, garbageAarq)) },
            { "AARQ in the MMS context", ConnectSpdu(IsoPresentation.EncodeConnect([0, 0, 0, 1], [0, 0, 0, 1], Contexts, 3, aarq)) },
            { "no MMS abstract syntax", ConnectSpdu(IsoPresentation.EncodeConnect([0, 0, 0, 1], [0, 0, 0, 1], [Contexts[0]], 1, aarq)) },
            { "AARQ carrying no initiate", ConnectSpdu(IsoPresentation.EncodeConnect([0, 0, 0, 1], [0, 0, 0, 1], Contexts, 1,
                Acse.EncodeAarq(new AarqApdu(Acse.MmsApplicationContextName, new AcseAddress(null, null), new AcseAddress(null, null), null, null, 3, [0x05, 0x00])))) },
            { "wrong application context", ConnectSpdu(IsoPresentation.EncodeConnect([0, 0, 0, 1], [0, 0, 0, 1], Contexts, 1,
                Acse.EncodeAarq(new AarqApdu("1.2.3.4", new AcseAddress(null, null), new AcseAddress(null, null), null, null, 3, initiate)))) },
            { "session data before connect", [0x01, 0x00, 0x01, 0x00, 0x61, 0x00] },
            { "session connect with a length past the end", [0x0D, 0xFF, 0xFF, 0xFF, 0x05] },
        };
    }

    [Theory]
    [MemberData(nameof(HostileConnects))]
    public async Task Hostile_association_requests_end_that_connection_only(string what, byte[] tsdu)
    {
        await using var server = await MmsTestServer.StartAsync();
        await using var bystander = await server.ConnectAsync(cancellationToken: Ct);
        var answer = await SendAndDrainAsync(server.Port, tsdu);
        // Whatever the server said (an abort, a refusal, nothing), it then closed that connection...
        if (answer.Length > 0)
        {
            var tpdu = answer.AsSpan(4, Tpkt.ReadLength(answer) - 4);
            var dt = Assert.IsType<CotpData>(Cotp.Decode(tpdu));
            var spdu = IsoSession.Decode(tpdu[dt.DataOffset..]);
            Assert.True(spdu.Type is SpduType.Abort or SpduType.Refuse, $"{what}: answered with {spdu.Type}");
        }
        // ...and keeps serving the association that was already there, and new ones.
        Assert.Equal(new MmsInteger(1), (await bystander.ReadAsync(N("LLN0$ST$Mod$stVal"), Ct)).Value);
        await using var next = await server.ConnectAsync(cancellationToken: Ct);
        Assert.Equal("FlexCoop", (await next.IdentifyAsync(Ct)).VendorName);
    }

    [Fact]
    public async Task Garbage_on_the_transport_closes_that_connection_only()
    {
        await using var server = await MmsTestServer.StartAsync();
        await using var bystander = await server.ConnectAsync(cancellationToken: Ct);
        foreach (var garbage in new[] { new byte[] { 0x03, 0x00, 0x00, 0x05, 0xFF }, new byte[] { 0x04, 0x00, 0x00, 0x10 }, new byte[] { 0x03, 0x00, 0x00, 0x0B, 0x06, 0xE0, 0, 0, 0, 1, 0x20 } })
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync("127.0.0.1", server.Port, Ct);
            await socket.SendAsync(garbage, Ct);
            var buffer = new byte[256];
            while (await socket.ReceiveAsync(buffer, Ct) > 0)
            {
                // drain until the server closes
            }
        }
        Assert.Equal("FlexCoop", (await bystander.IdentifyAsync(Ct)).VendorName);
    }

    [Fact]
    public async Task A_tsdu_larger_than_the_negotiated_size_aborts_that_association()
    {
        await using var server = await MmsTestServer.StartAsync(new MmsServerOptions { MaxPduSize = 1000 });
        await using var bystander = await server.ConnectAsync(cancellationToken: Ct);
        await using var client = await server.ConnectAsync(cancellationToken: Ct);
        var huge = MmsPduCodec.Encode(new ConfirmedRequestPdu(RawId + 1, new WriteRequest(VariableAccessSpecification.Of(N("LLN0$DC$NamPlt$vendor")), [new MmsVisibleString(new string('a', 5000))])));
        await client.SendRawPduAsync(huge, Ct);
        await Assert.ThrowsAsync<MmsProtocolException>(() => client.IdentifyAsync(Ct));
        Assert.Equal("FlexCoop", (await bystander.IdentifyAsync(Ct)).VendorName);
    }
}
