using System.Net;
using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Iec61850.Model;

namespace FlexCoop.Iec61850.Tests.Mms;

/// <summary>Setting groups (SGCB of DER1CTRL, two groups, DRCT1.WMaxSpt per group) and RCB reservation over loopback.</summary>
public sealed class Iec61850SettingGroupTests
{
    private const string Ld = "DER1CTRL";
    private const string Setting = "DER1CTRL/DRCT1.WMaxSpt.setMag.f";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(Iec61850Server Server, Iec61850Client Client)> StartAsync(Iec61850ServerFaults faults = Iec61850ServerFaults.None)
    {
        var server = new Iec61850Server(Iec61850MappingTests.LoadDerModel(), faults: faults);
        server.Start(new IPEndPoint(IPAddress.Loopback, 0));
        return (server, await Iec61850Client.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, cancellationToken: Ct));
    }

    [Fact]
    public async Task Select_active_group_switches_sg_values_and_stamps_lacttm()
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        await using var __ = client;
        var before = await client.GetSettingGroupControlBlockValuesAsync(Ld, Ct);
        Assert.Equal(2, before.NumOfSG);
        Assert.Equal(1, before.ActSG);
        Assert.Equal(new MmsFloat32(10000f), await client.GetSettingGroupValueAsync(Setting, Ct));

        await client.SelectActiveSettingGroupAsync(Ld, 2, Ct);
        var after = await client.GetSettingGroupControlBlockValuesAsync(Ld, Ct);
        Assert.Equal(2, after.ActSG);
        Assert.NotNull(after.LActTm);
        Assert.Equal(new MmsFloat32(8000f), await client.GetSettingGroupValueAsync(Setting, Ct));

        var error = await Assert.ThrowsAsync<Iec61850DataAccessException>(() => client.SelectActiveSettingGroupAsync(Ld, 3, Ct));
        Assert.Equal(DataAccessError.ObjectValueInvalid, error.Error);
    }

    [Fact]
    public async Task Edit_confirm_stores_the_edited_value_in_its_group_only()
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        await using var __ = client;
        await client.SelectEditSettingGroupAsync(Ld, 2, Ct);
        Assert.Equal(new MmsFloat32(8000f), await client.GetEditSettingGroupValueAsync(Setting, Ct));
        await client.SetEditSettingGroupValueAsync(Setting, new MmsFloat32(7000f), Ct);
        Assert.Equal(new MmsFloat32(10000f), await client.GetSettingGroupValueAsync(Setting, Ct));
        await client.ConfirmEditSettingGroupValuesAsync(Ld, Ct);
        Assert.False((await client.GetSettingGroupControlBlockValuesAsync(Ld, Ct)).CnfEdit);
        Assert.Equal(new MmsFloat32(10000f), await client.GetSettingGroupValueAsync(Setting, Ct));

        await client.SelectActiveSettingGroupAsync(Ld, 2, Ct);
        Assert.Equal(new MmsFloat32(7000f), await client.GetSettingGroupValueAsync(Setting, Ct));
    }

    [Fact]
    public async Task Se_write_without_edit_group_or_from_another_client_is_refused()
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        await using var __ = client;
        var refused = await Assert.ThrowsAsync<Iec61850DataAccessException>(() => client.SetEditSettingGroupValueAsync(Setting, new MmsFloat32(1f), Ct));
        Assert.Equal(DataAccessError.TemporarilyUnavailable, refused.Error);

        await client.SelectEditSettingGroupAsync(Ld, 1, Ct);
        await using var other = await Iec61850Client.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, cancellationToken: Ct);
        var locked = await Assert.ThrowsAsync<Iec61850DataAccessException>(() => other.SelectEditSettingGroupAsync(Ld, 2, Ct));
        Assert.Equal(DataAccessError.TemporarilyUnavailable, locked.Error);
        var sg = await Assert.ThrowsAsync<Iec61850DataAccessException>(() => client.SetDataValuesAsync(Setting, FunctionalConstraint.SG, new MmsFloat32(1f), Ct));
        Assert.Equal(DataAccessError.ObjectAccessDenied, sg.Error);
    }

    [Fact]
    public async Task Enabled_rcb_refuses_another_clients_writes_and_its_owners_attribute_changes()
    {
        var (server, owner) = await StartAsync();
        await using var _ = server;
        await using var __ = owner;
        await using var other = await Iec61850Client.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, cancellationToken: Ct);
        const string rcb = "DER1CTRL/LLN0.urcbStatus01";
        await owner.EnableReportingAsync(rcb, FunctionalConstraint.RP, cancellationToken: Ct);

        var stolen = await Assert.ThrowsAsync<Iec61850DataAccessException>(() => other.EnableReportingAsync(rcb, FunctionalConstraint.RP, enable: false, Ct));
        Assert.Equal(DataAccessError.TemporarilyUnavailable, stolen.Error);
        var busy = await Assert.ThrowsAsync<Iec61850DataAccessException>(() => owner.SetDataValuesAsync(rcb + ".IntgPd", FunctionalConstraint.RP, new MmsUnsigned(1000), Ct));
        Assert.Equal(DataAccessError.TemporarilyUnavailable, busy.Error);

        await owner.EnableReportingAsync(rcb, FunctionalConstraint.RP, enable: false, Ct);
        await other.SetDataValuesAsync(rcb + ".IntgPd", FunctionalConstraint.RP, new MmsUnsigned(1000), Ct);
    }
}
