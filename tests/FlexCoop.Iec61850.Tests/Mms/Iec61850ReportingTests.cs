using System.Net;
using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Iec61850.Model;

namespace FlexCoop.Iec61850.Tests.Mms;

/// <summary>Unbuffered and buffered report control blocks of the DER model: enable, GI, data change.</summary>
public sealed class Iec61850ReportingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Enabled_urcb_answers_gi_and_reports_data_changes()
    {
        await using var server = new Iec61850Server(Iec61850MappingTests.LoadDerModel());
        server.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var client = await Iec61850Client.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, cancellationToken: Ct);
        const string rcb = "DER1CTRL/LLN0.urcbStatus01";
        await client.EnableReportingAsync(rcb, FunctionalConstraint.RP, cancellationToken: Ct);
        await client.GeneralInterrogationAsync(rcb, FunctionalConstraint.RP, Ct);

        var gi = await client.ReadReportAsync(Ct);
        Assert.Equal("DER1CTRL/LLN0$RP$urcbStatus", gi.RptId);
        Assert.Equal("DER1CTRL/LLN0$Status", gi.DataSet);
        Assert.Equal(0UL, gi.SqNum);
        Assert.NotNull(gi.TimeOfEntry);
        Assert.Equal(5, gi.Entries.Count);
        Assert.All(gi.Entries, e => Assert.True(e.ReasonCode![5]));
        Assert.Equal("DER1CTRL/XCBR1$ST$Pos", gi.Entries[0].Reference);
        Assert.False((Assert.IsType<MmsBoolean>(await client.GetDataValuesAsync(rcb + ".GI", FunctionalConstraint.RP, Ct))).Value);

        server.SetDataValue("DER1CTRL/LLN0.Health.stVal", FunctionalConstraint.ST, new MmsInteger(2));
        var change = await client.ReadReportAsync(Ct);
        Assert.Equal(1UL, change.SqNum);
        var entry = Assert.Single(change.Entries);
        Assert.Equal(2, entry.MemberIndex);
        Assert.Equal(new MmsInteger(2), entry.Value);
        Assert.True(entry.ReasonCode![1]);

        await client.EnableReportingAsync(rcb, FunctionalConstraint.RP, enable: false, Ct);
        server.SetDataValue("DER1CTRL/LLN0.Health.stVal", FunctionalConstraint.ST, new MmsInteger(3));
        await client.Mms.IdentifyAsync(Ct);
        Assert.False(client.Mms.InformationReports.TryRead(out _));
    }

    [Fact]
    public async Task Brcb_reports_a_measurement_update_with_quality_to_its_owner_only()
    {
        await using var server = new Iec61850Server(Iec61850MappingTests.LoadDerModel());
        server.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var owner = await Iec61850Client.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, cancellationToken: Ct);
        await using var other = await Iec61850Client.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, cancellationToken: Ct);
        await owner.EnableReportingAsync("DER1CTRL/LLN0.brcbMeas01", FunctionalConstraint.BR, cancellationToken: Ct);
        server.UpdateDataObject("DER1PV/MMXU1.TotW", FunctionalConstraint.MX, "mag.f", new MmsFloat32(5000f), Iec61850Quality.Good, DateTimeOffset.UtcNow);
        var report = await owner.ReadReportAsync(Ct);
        var entry = Assert.Single(report.Entries);
        Assert.Equal(0, entry.MemberIndex);
        var totW = Assert.IsType<MmsStructure>(entry.Value);
        Assert.Equal(new MmsStructure(new MmsFloat32(5000f)), totW.Components[0]);
        Assert.Equal(1UL, report.ConfRev);
        Assert.NotNull(report.EntryId);
        await other.Mms.IdentifyAsync(Ct);
        Assert.False(other.Mms.InformationReports.TryRead(out _));
    }

    [Fact]
    public void A_report_with_missing_elements_is_a_decode_error()
    {
        var pdu = new InformationReportPdu(VariableAccessSpecification.OfList(ObjectName.Vmd("RPT")),
            [AccessResult.Success(new MmsVisibleString("id")), AccessResult.Success(MmsBitString.FromBits(10, 1))]);
        Assert.Throws<MmsDecodeException>(() => Iec61850Report.Parse(pdu));
        Assert.Null(Iec61850Report.Parse(new InformationReportPdu(VariableAccessSpecification.OfList(ObjectName.Vmd("Other")), [])));
    }
}
