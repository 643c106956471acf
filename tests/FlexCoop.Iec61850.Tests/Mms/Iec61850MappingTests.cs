using System.Net;
using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Iec61850.Model;
using FlexCoop.Testing;

namespace FlexCoop.Iec61850.Tests.Mms;

/// <summary>The 8-1 mapping of the example DER model, served and browsed with the ACSI client.</summary>
public sealed class Iec61850MappingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static IedModel LoadDerModel()
    {
        var path = Path.Combine(TestEnvironment.RepoRoot, "schemas", "iec61850", "der-unit.cid");
        var resolution = SclResolver.Load(path);
        Assert.False(resolution.HasErrors, string.Join("\n", resolution.Diagnostics));
        return resolution.FindIed("DER1")!;
    }

    private static async Task<(Iec61850Server Server, Iec61850Client Client)> StartAsync()
    {
        var server = new Iec61850Server(LoadDerModel());
        server.Start(new IPEndPoint(IPAddress.Loopback, 0));
        var client = await Iec61850Client.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, cancellationToken: Ct);
        return (server, client);
    }

    [Fact]
    public void Each_logical_node_becomes_one_variable_with_fc_components()
    {
        var model = LoadDerModel();
        var vmd = Iec61850MmsMapping.BuildVmd(model);
        Assert.Equal(model.LogicalDevices.Select(ld => ld.Name), vmd.Domains.Select(d => d.Name));
        var mmxu = vmd.Find("DER1PV", "MMXU1");
        Assert.NotNull(mmxu);
        var type = Assert.IsType<MmsStructureType>(mmxu.Type);
        Assert.Contains(type.Components, c => c.Name == "MX");
        Assert.NotNull(vmd.Find("DER1PV", "MMXU1$MX$TotW$mag$f"));
        Assert.Equal(MmsFloatType.Float32, vmd.Find("DER1PV", "MMXU1$MX$TotW$mag$f")!.Type);
        Assert.Equal(new MmsBitStringType(13), vmd.Find("DER1PV", "MMXU1$MX$TotW$q")!.Type);
        Assert.Equal(MmsUtcTimeType.Instance, vmd.Find("DER1PV", "MMXU1$MX$TotW$t")!.Type);
        Assert.False(vmd.Find("DER1PV", "MMXU1$MX$TotW$mag$f")!.Writable);
        Assert.True(vmd.Find("DER1PV", "MMXU1$CF$TotW$db")!.Writable);
    }

    [Fact]
    public void Scl_initial_values_become_mms_values()
    {
        var vmd = Iec61850MmsMapping.BuildVmd(LoadDerModel());
        Assert.Equal(new MmsFloat32(10000), vmd.GetValue("DER1PV", "ZINV1$SP$WRtg$setMag$f"));
        Assert.Equal(new MmsUnsigned(1000), vmd.GetValue("DER1PV", "MMXU1$CF$TotW$db"));
    }

    [Fact]
    public void Object_references_map_to_mms_names_and_back()
    {
        var name = Iec61850MmsMapping.ToObjectName("DER1PV/MMXU1.TotW.mag.f", FunctionalConstraint.MX);
        Assert.Equal(ObjectName.Domain("DER1PV", "MMXU1$MX$TotW$mag$f"), name);
        Assert.Equal(("DER1PV/MMXU1.TotW.mag.f", FunctionalConstraint.MX), Iec61850MmsMapping.FromObjectName(name));
        Assert.Equal(ObjectName.Domain("LD", "LLN0$ST"), Iec61850MmsMapping.ToObjectName("LD/LLN0", FunctionalConstraint.ST));
        Assert.Throws<ArgumentException>(() => Iec61850MmsMapping.ToObjectName("noslash", FunctionalConstraint.ST));
    }

    [Fact]
    public async Task Browse_server_logical_devices_nodes_and_data()
    {
        var (server, client) = await StartAsync();
        await using (server)
        await using (client)
        {
            Assert.Equal(["DER1BAT", "DER1CTRL", "DER1PV"], (await client.GetServerDirectoryAsync(Ct)).Order(StringComparer.Ordinal));
            var lns = await client.GetLogicalDeviceDirectoryAsync("DER1PV", Ct);
            Assert.Contains("LLN0", lns);
            Assert.Contains("MMXU1", lns);
            Assert.Contains("ZINV1", lns);
            var dos = await client.GetLogicalNodeDirectoryAsync("DER1PV/MMXU1", AcsiClass.DataObject, Ct);
            Assert.Equal(["Beh", "TotW", "TotVAr", "TotPF", "Hz", "PhV", "A"], dos);
            var das = await client.GetDataDirectoryAsync("DER1PV/MMXU1.TotW", Ct);
            Assert.Contains("mag", das);
            Assert.Contains("q", das);
            Assert.Contains("t", das);
            Assert.Contains("units", das);
            var def = await client.GetDataDefinitionAsync("DER1PV/MMXU1.TotW.mag", FunctionalConstraint.MX, Ct);
            Assert.Equal(new MmsStructureType(new MmsComponent("f", MmsFloatType.Float32)), def);
            await Assert.ThrowsAsync<MmsServiceErrorException>(() => client.GetDataDirectoryAsync("DER1PV/MMXU1.Nope", Ct));
        }
    }

    [Fact]
    public async Task Data_sets_and_report_control_blocks_are_listed()
    {
        var (server, client) = await StartAsync();
        await using (server)
        await using (client)
        {
            var sets = await client.GetLogicalNodeDirectoryAsync("DER1CTRL/LLN0", AcsiClass.DataSet, Ct);
            Assert.Equal(["Events", "GooseStatus", "Measurements", "Status"], sets);
            var members = await client.GetDataSetDirectoryAsync("DER1CTRL/LLN0.Measurements", Ct);
            Assert.Equal(new DataSetMemberReference("DER1PV/MMXU1.TotW", FunctionalConstraint.MX), members[0]);
            Assert.Equal(new DataSetMemberReference("DER1BAT/ZBAT1.Vol.mag.f", FunctionalConstraint.MX), members[3]);
            var values = await client.GetDataSetValuesAsync("DER1CTRL/LLN0.Measurements", Ct);
            Assert.Equal(5, values.Count);
            Assert.All(values, v => Assert.True(v.IsSuccess));
            var brcbs = await client.GetLogicalNodeDirectoryAsync("DER1CTRL/LLN0", AcsiClass.Brcb, Ct);
            Assert.NotEmpty(brcbs);
            Assert.All(brcbs, b => Assert.StartsWith("brcbMeas", b, StringComparison.Ordinal));
            var urcbs = await client.GetLogicalNodeDirectoryAsync("DER1CTRL/LLN0", AcsiClass.Urcb, Ct);
            Assert.All(urcbs, b => Assert.StartsWith("urcbStatus", b, StringComparison.Ordinal));
            var rptId = await client.GetDataValuesAsync($"DER1CTRL/LLN0.{brcbs[0]}.RptID", FunctionalConstraint.BR, Ct);
            Assert.Equal(new MmsVisibleString("DER1CTRL/LLN0$BR$brcbMeas"), rptId);
            var trgOps = Assert.IsType<MmsBitString>(await client.GetDataValuesAsync($"DER1CTRL/LLN0.{brcbs[0]}.TrgOps", FunctionalConstraint.BR, Ct));
            Assert.True(trgOps[1]);
            Assert.False(trgOps[3]);
            Assert.True(trgOps[5]);
        }
    }

    [Fact]
    public async Task Host_updates_with_quality_and_timestamp_are_read_by_the_client()
    {
        var (server, client) = await StartAsync();
        await using (server)
        await using (client)
        {
            var when = new DateTimeOffset(2025, 6, 1, 12, 0, 0, 500, TimeSpan.Zero);
            server.UpdateDataObject("DER1PV/MMXU1.TotW", FunctionalConstraint.MX, "mag.f", new MmsFloat32(4321.5f), new Iec61850Quality(QualityValidity.Questionable, DetailQuality: 1 << 5), when);
            Assert.Equal(new MmsFloat32(4321.5f), await client.GetDataValuesAsync("DER1PV/MMXU1.TotW.mag.f", FunctionalConstraint.MX, Ct));
            var q = Iec61850Quality.FromBitString(Assert.IsType<MmsBitString>(await client.GetDataValuesAsync("DER1PV/MMXU1.TotW.q", FunctionalConstraint.MX, Ct)));
            Assert.Equal(QualityValidity.Questionable, q.Validity);
            Assert.True(q[5]);
            var t = Assert.IsType<MmsUtcTime>(await client.GetDataValuesAsync("DER1PV/MMXU1.TotW.t", FunctionalConstraint.MX, Ct));
            Assert.Equal(when, t.Timestamp);
            var totW = Assert.IsType<MmsStructure>(await client.GetDataValuesAsync("DER1PV/MMXU1.TotW", FunctionalConstraint.MX, Ct));
            Assert.Equal(new MmsStructure(new MmsFloat32(4321.5f)), totW.Components[0]);
        }
    }

    [Fact]
    public async Task SetDataValues_writes_settings_and_refuses_measurements()
    {
        var (server, client) = await StartAsync();
        await using (server)
        await using (client)
        {
            await client.SetDataValuesAsync("DER1PV/ZINV1.WRtg.setMag.f", FunctionalConstraint.SP, new MmsFloat32(8000), Ct);
            Assert.Equal(new MmsFloat32(8000), server.GetDataValue("DER1PV/ZINV1.WRtg.setMag.f", FunctionalConstraint.SP));
            var denied = await Assert.ThrowsAsync<Iec61850DataAccessException>(() => client.SetDataValuesAsync("DER1PV/MMXU1.TotW.mag.f", FunctionalConstraint.MX, new MmsFloat32(1), Ct));
            Assert.Equal(DataAccessError.ObjectAccessDenied, denied.Error);
            var missing = await Assert.ThrowsAsync<Iec61850DataAccessException>(() => client.GetDataValuesAsync("DER1PV/MMXU1.Nope", FunctionalConstraint.MX, Ct));
            Assert.Equal(DataAccessError.ObjectNonExistent, missing.Error);
        }
    }

    [Fact]
    public async Task Data_sets_can_be_created_read_and_deleted()
    {
        var (server, client) = await StartAsync();
        await using (server)
        await using (client)
        {
            DataSetMemberReference[] members = [new("DER1PV/MMXU1.TotW.mag.f", FunctionalConstraint.MX), new("DER1PV/ZINV1.WRtg.setMag.f", FunctionalConstraint.SP)];
            await client.CreateDataSetAsync("DER1PV/LLN0.MyDs", members, Ct);
            Assert.Equal(members, await client.GetDataSetDirectoryAsync("DER1PV/LLN0.MyDs", Ct));
            var values = await client.GetDataSetValuesAsync("DER1PV/LLN0.MyDs", Ct);
            Assert.Equal(new MmsFloat32(10000), values[1].Value);
            Assert.True(await client.DeleteDataSetAsync("DER1PV/LLN0.MyDs", Ct));
            Assert.False(await client.DeleteDataSetAsync("DER1CTRL/LLN0.Measurements", Ct));
        }
    }
}
