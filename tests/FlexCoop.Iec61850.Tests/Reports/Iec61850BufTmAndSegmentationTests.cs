using System.Net;
using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Iec61850.Mms.Client;
using FlexCoop.Iec61850.Model;
using FlexCoop.Iec61850.Tests.Mms;

namespace FlexCoop.Iec61850.Tests.Reports;

/// <summary>The report engine's buffer time (BufTm) and segmented reports, our client against our server.</summary>
public sealed class Iec61850BufTmAndSegmentationTests
{
    private const string Rcb = "DER1CTRL/LLN0.urcbStatus01";
    private const string Health = "DER1CTRL/LLN0.Health.stVal";
    private const string GridModSt = "DER1PV/ZINV1.GridModSt.stVal";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(Iec61850Server Server, Iec61850Client Client)> StartAsync(MmsClientOptions? options = null)
    {
        var server = new Iec61850Server(Iec61850MappingTests.LoadDerModel());
        server.Start(new IPEndPoint(IPAddress.Loopback, 0));
        return (server, await Iec61850Client.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, options, Ct));
    }

    /// <summary>A buffer time long enough that the test's own updates always fall within it.</summary>
    private static async Task EnableWithBufTmAsync(Iec61850Client client, uint bufTm)
    {
        await client.SetDataValuesAsync(Rcb + ".BufTm", FunctionalConstraint.RP, new MmsUnsigned(bufTm), Ct);
        await client.EnableReportingAsync(Rcb, FunctionalConstraint.RP, cancellationToken: Ct);
    }

    [Fact]
    public async Task Changes_of_two_members_within_BufTm_arrive_as_one_report()
    {
        var (server, client) = await StartAsync();
        await using var s = server;
        await using var c = client;
        await EnableWithBufTmAsync(client, 1500);
        server.SetDataValue(Health, FunctionalConstraint.ST, new MmsInteger(2));
        server.SetDataValue(GridModSt, FunctionalConstraint.ST, new MmsInteger(3));
        var report = await client.ReadReportAsync(Ct);
        Assert.Equal([2, 4], report.Entries.Select(e => e.MemberIndex));
        Assert.Equal(new MmsInteger(2), report.Entries[0].Value);
        Assert.All(report.Entries, e => Assert.True(e.ReasonCode![1]));
        Assert.Equal(1, report.Segments);
    }

    [Fact]
    public async Task A_second_change_of_a_waiting_member_sends_the_waiting_report_at_once()
    {
        var (server, client) = await StartAsync();
        await using var s = server;
        await using var c = client;
        await EnableWithBufTmAsync(client, 1500);
        server.SetDataValue(Health, FunctionalConstraint.ST, new MmsInteger(2));
        server.SetDataValue(GridModSt, FunctionalConstraint.ST, new MmsInteger(3));
        server.SetDataValue(Health, FunctionalConstraint.ST, new MmsInteger(4));
        var first = await client.ReadReportAsync(Ct);
        Assert.Equal([2, 4], first.Entries.Select(e => e.MemberIndex));
        Assert.Equal(new MmsInteger(2), first.Entries[0].Value);
        var second = await client.ReadReportAsync(Ct);
        var only = Assert.Single(second.Entries);
        Assert.Equal(2, only.MemberIndex);
        Assert.Equal(new MmsInteger(4), only.Value);
        Assert.Equal(first.SqNum + 1, second.SqNum);
    }

    [Fact]
    public async Task General_interrogation_is_not_delayed_and_changes_waiting_go_out_before_it()
    {
        var (server, client) = await StartAsync();
        await using var s = server;
        await using var c = client;
        await EnableWithBufTmAsync(client, 60_000);
        server.SetDataValue(Health, FunctionalConstraint.ST, new MmsInteger(5));
        await client.GeneralInterrogationAsync(Rcb, FunctionalConstraint.RP, Ct);
        var change = await client.ReadReportAsync(Ct);
        Assert.True(Assert.Single(change.Entries).ReasonCode![1]);
        var gi = await client.ReadReportAsync(Ct);
        Assert.Equal(5, gi.Entries.Count);
        Assert.All(gi.Entries, e => Assert.True(e.ReasonCode![5]));
    }

    [Fact]
    public async Task A_report_larger_than_the_pdu_size_is_segmented_and_the_client_puts_it_together()
    {
        var reports = new List<byte[]>();
        var (server, client) = await StartAsync(new MmsClientOptions { ProposedPduSize = 256 });
        await using var s = server;
        await using var c = client;
        client.Mms.PduInspector = (direction, bytes) =>
        {
            // unconfirmed-PDU (A3) informationReport
            if (direction == MmsPduDirection.Received && bytes.Span[0] == 0xA3)
            {
                lock (reports) reports.Add(bytes.ToArray());
            }
        };
        Assert.Equal(256, client.Mms.Negotiated.LocalDetail);
        await client.EnableReportingAsync(Rcb, FunctionalConstraint.RP, cancellationToken: Ct);
        await client.GeneralInterrogationAsync(Rcb, FunctionalConstraint.RP, Ct);
        var gi = await client.ReadReportAsync(Ct);
        Assert.Equal([0, 1, 2, 3, 4], gi.Entries.Select(e => e.MemberIndex));
        Assert.All(gi.Entries, e => Assert.NotNull(e.Reference));
        Assert.True(gi.Segments > 1, $"{gi.Segments} segments");
        Assert.Null(gi.SubSqNum);
        Assert.Equal("11111", gi.Inclusion.Format());

        byte[][] captured;
        lock (reports) captured = reports.ToArray();
        Assert.Equal(gi.Segments, captured.Length);
        var segments = captured.Select(b => Iec61850Report.Parse((InformationReportPdu)MmsPduCodec.Decode(b))!).ToArray();
        Assert.All(captured, b => Assert.True(b.Length <= 256, $"a segment of {b.Length} octets"));
        Assert.Equal(Enumerable.Range(0, segments.Length).Select(i => (ulong?)(ulong)i), segments.Select(r => r.SubSqNum));
        Assert.Equal(Enumerable.Range(0, segments.Length).Select(i => i < segments.Length - 1), segments.Select(r => r.MoreSegmentsFollow!.Value));
        Assert.All(segments, r => Assert.Equal(gi.SqNum, r.SqNum));
        Assert.All(segments, r => Assert.True(r.OptFlds[9]));

        // The next report is numbered on.
        server.SetDataValue(Health, FunctionalConstraint.ST, new MmsInteger(7));
        var next = await client.ReadReportAsync(Ct);
        Assert.Equal(gi.SqNum + 1, next.SqNum);
    }

    private static Iec61850Report Segment(ulong sqNum, ulong sub, bool more, int member) => new()
    {
        RptId = "r",
        OptFlds = MmsBitString.FromBits(10, 1, 9),
        SqNum = sqNum,
        SubSqNum = sub,
        MoreSegmentsFollow = more,
        Inclusion = MmsBitString.FromBits(4, member),
        Entries = [new Iec61850ReportEntry(member, null, new MmsInteger(member), null)],
    };

    [Fact]
    public void Assembler_drops_a_report_with_a_missing_segment_and_completes_the_next_one()
    {
        var assembler = new Iec61850ReportAssembler();
        Assert.Null(assembler.Add(Segment(1, 0, true, 0)));
        Assert.Null(assembler.Add(Segment(1, 2, false, 2)));   // segment 1 never came
        Assert.Null(assembler.Add(Segment(2, 1, false, 1)));   // no segment 0
        Assert.Null(assembler.Add(Segment(3, 0, true, 0)));
        Assert.Null(assembler.Add(Segment(3, 1, true, 1)));
        var whole = assembler.Add(Segment(3, 2, false, 3));
        Assert.NotNull(whole);
        Assert.Equal([0, 1, 3], whole.Entries.Select(e => e.MemberIndex));
        Assert.Equal("1101", whole.Inclusion.Format());
        Assert.Equal(3, whole.Segments);
    }
}
