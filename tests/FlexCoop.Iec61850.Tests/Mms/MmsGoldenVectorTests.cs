using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Iso;
using FlexCoop.Testing;

namespace FlexCoop.Iec61850.Tests.Mms;

/// <summary>Our encoder's bytes against vectors written out and checked by hand against ISO 9506-2, ISO 8650, ISO 8073 and RFC 1006.</summary>
public sealed class MmsGoldenVectorTests
{
    private static readonly ObjectName StVal = ObjectName.Domain("IED1LD0", "LLN0$ST$Mod$stVal");

    internal static byte[] Vector(string name)
    {
        var path = Path.Combine(TestEnvironment.RepoRoot, "tests", "FlexCoop.Iec61850.Tests", "MmsVectors", name + ".hex");
        var hex = string.Concat(File.ReadAllLines(path).Where(l => !l.TrimStart().StartsWith('#')).SelectMany(l => l.Where(Uri.IsHexDigit)));
        return Convert.FromHexString(hex);
    }

    private static void AssertRoundTrip(string vector, MmsPdu pdu)
    {
        var expected = Vector(vector);
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(MmsPduCodec.Encode(pdu)));
        Assert.Equal(pdu, MmsPduCodec.Decode(expected));
    }

    [Fact]
    public void Initiate_request_matches_the_vector()
    {
        var services = new MmsBitString([0xEE, 0x1C, 0x00, 0x00, 0x04, 0x08, 0x00, 0x00, 0x79, 0xEF, 0x18], 85);
        AssertRoundTrip("initiate-request", new InitiateRequestPdu(new MmsInitiateParameters
        {
            LocalDetail = 65000,
            MaxServOutstandingCalling = 6,
            MaxServOutstandingCalled = 6,
            DataStructureNestingLevel = 10,
            VersionNumber = 1,
            ServicesSupported = services,
        }));
    }

    [Fact]
    public void Read_request_matches_the_vector() =>
        AssertRoundTrip("read-request", new ConfirmedRequestPdu(1, new ReadRequest(VariableAccessSpecification.Of(StVal))));

    [Fact]
    public void Read_response_matches_the_vector() =>
        AssertRoundTrip("read-response", new ConfirmedResponsePdu(1, new ReadResponse(
        [
            AccessResult.Success(new MmsStructure(new MmsFloat32(1.0f), MmsBitString.FromBits(13), new MmsUtcTime(0x65920080, 0x800000, 0x0A))),
            AccessResult.Failure(DataAccessError.ObjectNonExistent),
        ])));

    [Fact]
    public void Utc_time_of_the_read_response_is_2024_new_year_and_a_half_second()
    {
        var t = new MmsUtcTime(0x65920080, 0x800000, 0x0A);
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 0, 500, TimeSpan.Zero), t.Timestamp);
        Assert.Equal(t, MmsUtcTime.From(t.Timestamp, 0x0A));
    }

    [Fact]
    public void Write_request_matches_the_vector() =>
        AssertRoundTrip("write-request", new ConfirmedRequestPdu(2, new WriteRequest(
            VariableAccessSpecification.Of(ObjectName.Domain("IED1LD0", "LLN0$CF$Mod$ctlModel")), [new MmsInteger(4)])));

    [Fact]
    public void Get_name_list_request_matches_the_vector() =>
        AssertRoundTrip("getnamelist-request", new ConfirmedRequestPdu(3, new GetNameListRequest(MmsObjectClass.NamedVariable, MmsScope.DomainSpecific, "IED1LD0", "LLN0")));

    [Fact]
    public void Conclude_request_matches_the_vector() => AssertRoundTrip("conclude-request", new ConcludeRequestPdu());

    [Fact]
    public void Cotp_connection_request_matches_the_vector()
    {
        var bytes = Cotp.EncodeConnect(false, 0, 1, [0, 1], [0, 1], 1024);
        Assert.Equal(Convert.ToHexString(Vector("cotp-cr")), Convert.ToHexString(bytes));
        var cr = Assert.IsType<CotpConnectionRequest>(Cotp.Decode(bytes.AsSpan(4)));
        Assert.Equal(1024, cr.TpduSize);
        Assert.Equal(new byte[] { 0, 1 }, cr.CalledTsap);
    }

    [Fact]
    public void Data_phase_framing_matches_the_vector()
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        MmsFraming.WriteMmsData(output, [0x8B, 0x00], 1024);
        var expected = Vector("data-request-framing");
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(output.WrittenSpan));
        var tsdu = expected.AsSpan(7);
        var message = MmsFraming.ReadTsdu(tsdu);
        Assert.Equal(UpperLayerKind.Data, message.Kind);
        Assert.Equal(IsoPresentation.MmsContextId, message.ContextId);
        Assert.Equal("8B00", Convert.ToHexString(tsdu.Slice(message.Offset, message.Length)));
    }

    [Fact]
    public void Aarq_with_password_matches_the_vector()
    {
        var aarq = new AarqApdu(Acse.MmsApplicationContextName, new AcseAddress("1.1.1.999.1", 12), new AcseAddress("1.1.1.999", 12),
            Acse.PasswordMechanism, "pw"u8.ToArray(), 3, [0x8B, 0x00]);
        var expected = Vector("aarq-password");
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(Acse.EncodeAarq(aarq)));
        var decoded = Acse.DecodeAarq(expected);
        Assert.Equal("pw"u8.ToArray(), decoded.Password);
        Assert.Equal(Acse.PasswordMechanism, decoded.MechanismName);
        Assert.Equal(aarq.Called, decoded.Called);
        Assert.Equal(aarq.Calling, decoded.Calling);
        Assert.Equal(new byte[] { 0x8B, 0x00 }, decoded.UserData);
    }

    [Fact]
    public void Large_pdus_are_segmented_into_tpdus_with_eot_on_the_last_only()
    {
        var pdu = new byte[3000];
        new Random(5).NextBytes(pdu);
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        MmsFraming.WriteMmsData(output, pdu, 1024);
        var bytes = output.WrittenSpan;
        var tsdu = new List<byte>();
        var eots = new List<bool>();
        while (bytes.Length > 0)
        {
            var length = Tpkt.ReadLength(bytes);
            Assert.True(length - 4 <= 1024);
            var dt = Assert.IsType<CotpData>(Cotp.Decode(bytes[4..length]));
            eots.Add(dt.EndOfTsdu);
            tsdu.AddRange(bytes.Slice(4 + dt.DataOffset, dt.DataLength).ToArray());
            bytes = bytes[length..];
        }
        // 3000 octets plus 15 of session and presentation headers in DT TPDUs of at most 1021 data octets.
        Assert.Equal([false, false, true], eots);
        var message = MmsFraming.ReadTsdu(tsdu.ToArray());
        Assert.Equal(pdu, tsdu.Skip(message.Offset).Take(message.Length));
    }
}
