using System.Net;
using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Iec61850.Model;

namespace FlexCoop.Iec61850.Tests.Mms;

/// <summary>BRCB buffering over loopback: reports kept while disabled, resynchronisation by EntryID, PurgeBuf, overflow.</summary>
public sealed class Iec61850BufferedReportingTests
{
    private const string Brcb = "DER1CTRL/LLN0.brcbMeas01";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(Iec61850Server Server, Iec61850Client Client)> StartAsync()
    {
        var server = new Iec61850Server(Iec61850MappingTests.LoadDerModel());
        server.Start(new IPEndPoint(IPAddress.Loopback, 0));
        return (server, await Iec61850Client.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, cancellationToken: Ct));
    }

    private static void Measure(Iec61850Server server, float watts) =>
        server.UpdateDataObject("DER1PV/MMXU1.TotW", FunctionalConstraint.MX, "mag.f", new MmsFloat32(watts), Iec61850Quality.Good, DateTimeOffset.UtcNow);

    private static float Watts(Iec61850Report report) =>
        ((MmsFloat32)((MmsStructure)((MmsStructure)report.Entries.Single().Value).Components[0]).Components[0]).Value;

    [Fact]
    public async Task Brcb_keeps_changes_while_disabled_and_sends_them_when_enabled()
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        await using var __ = client;
        Measure(server, 100f);
        Measure(server, 200f);
        await client.EnableReportingAsync(Brcb, FunctionalConstraint.BR, cancellationToken: Ct);
        var first = await client.ReadReportAsync(Ct);
        var second = await client.ReadReportAsync(Ct);
        Assert.Equal(100f, Watts(first));
        Assert.Equal(200f, Watts(second));
        Assert.True(new ReadOnlySpan<byte>(first.EntryId).SequenceCompareTo(second.EntryId) < 0);
        Assert.Equal(second.EntryId, ((MmsOctetString)await client.GetDataValuesAsync(Brcb + ".EntryID", FunctionalConstraint.BR, Ct)).Value);
    }

    [Fact]
    public async Task Enabling_after_an_entry_id_resends_the_later_reports_only()
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        await using var __ = client;
        await client.EnableReportingAsync(Brcb, FunctionalConstraint.BR, cancellationToken: Ct);
        Measure(server, 1f);
        Measure(server, 2f);
        Measure(server, 3f);
        var ids = new List<byte[]>();
        for (var i = 0; i < 3; i++) ids.Add((await client.ReadReportAsync(Ct)).EntryId!);
        await client.EnableReportingAsync(Brcb, FunctionalConstraint.BR, enable: false, Ct);

        await client.SetDataValuesAsync(Brcb + ".EntryID", FunctionalConstraint.BR, new MmsOctetString(ids[0]), Ct);
        await client.EnableReportingAsync(Brcb, FunctionalConstraint.BR, cancellationToken: Ct);
        var again = await client.ReadReportAsync(Ct);
        Assert.Equal(ids[1], again.EntryId);
        Assert.Equal(2f, Watts(again));
        Assert.Equal(ids[2], (await client.ReadReportAsync(Ct)).EntryId);
        await client.Mms.IdentifyAsync(Ct);
        Assert.False(client.Mms.InformationReports.TryRead(out var _));
    }

    [Fact]
    public async Task Purge_empties_the_buffer_and_unknown_entry_ids_are_refused()
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        await using var __ = client;
        Measure(server, 5f);
        await client.SetDataValuesAsync(Brcb + ".PurgeBuf", FunctionalConstraint.BR, new MmsBoolean(true), Ct);
        var unknown = new byte[] { 0, 0, 0, 0, 0, 0, 0, 1 };
        var error = await Assert.ThrowsAsync<Iec61850DataAccessException>(() => client.SetDataValuesAsync(Brcb + ".EntryID", FunctionalConstraint.BR, new MmsOctetString(unknown), Ct));
        Assert.Equal(DataAccessError.ObjectValueInvalid, error.Error);
        await client.EnableReportingAsync(Brcb, FunctionalConstraint.BR, cancellationToken: Ct);
        Measure(server, 6f);
        var report = await client.ReadReportAsync(Ct);
        Assert.Equal(6f, Watts(report));
    }

    [Fact]
    public async Task Overflowing_the_buffer_drops_the_oldest_and_flags_buf_ovfl()
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        await using var __ = client;
        await client.SetDataValuesAsync(Brcb + ".OptFlds", FunctionalConstraint.BR, MmsBitString.FromBits(10, 1, 4, 6, 7, 8), Ct);
        await client.SetDataValuesAsync(Brcb + ".BufTm", FunctionalConstraint.BR, new MmsUnsigned(0), Ct); // one buffered entry per update
        for (var i = 0; i < 300; i++) Measure(server, i);
        await client.EnableReportingAsync(Brcb, FunctionalConstraint.BR, cancellationToken: Ct);
        var first = await client.ReadReportAsync(Ct);
        Assert.True(first.BufOvfl);
        Assert.Equal(300f - 256f, Watts(first));
        var next = await client.ReadReportAsync(Ct);
        Assert.False(next.BufOvfl);
    }
}
