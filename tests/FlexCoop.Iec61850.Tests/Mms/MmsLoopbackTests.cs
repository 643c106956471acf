using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Client;
using FlexCoop.Iec61850.Mms.Server;

namespace FlexCoop.Iec61850.Tests.Mms;

public sealed class MmsLoopbackTests
{
    private static ObjectName N(string item) => ObjectName.Domain(MmsTestServer.Domain, item);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Associate_negotiates_pdu_size_and_outstanding_requests()
    {
        await using var server = await MmsTestServer.StartAsync(new MmsServerOptions { MaxPduSize = 4000, MaxServOutstanding = 3 });
        await using var client = await server.ConnectAsync(new MmsClientOptions { ProposedPduSize = 8000, ProposedMaxServOutstanding = 7 }, Ct);
        Assert.Equal(4000, client.Negotiated.LocalDetail);
        Assert.Equal(3, client.Negotiated.MaxServOutstandingCalling);
        Assert.Equal(3, client.Negotiated.MaxServOutstandingCalled);
        Assert.Equal(1, client.Negotiated.VersionNumber);
        Assert.True(client.Negotiated.ServicesSupported[MmsServices.Read]);
    }

    [Fact]
    public async Task Identify_returns_vendor_model_and_revision()
    {
        await using var server = await MmsTestServer.StartAsync(new MmsServerOptions { VendorName = "Coop", ModelName = "Gateway", Revision = "7" });
        await using var client = await server.ConnectAsync(cancellationToken: Ct);
        var id = await client.IdentifyAsync(Ct);
        Assert.Equal(new IdentifyResponse("Coop", "Gateway", "7"), id);
    }

    [Fact]
    public async Task GetNameList_lists_domains_and_every_variable_path_in_order()
    {
        await using var server = await MmsTestServer.StartAsync();
        await using var client = await server.ConnectAsync(cancellationToken: Ct);
        Assert.Equal(["IED1LD0", "IED1LD1"], await client.GetDomainNamesAsync(Ct));
        var names = await client.GetNameListAsync(MmsObjectClass.NamedVariable, MmsScope.DomainSpecific, MmsTestServer.Domain, Ct);
        Assert.Contains("LLN0", names);
        Assert.Contains("LLN0$ST$Mod$stVal", names);
        Assert.Contains("MMXU1$SP$Setp$arr", names);
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        var lists = await client.GetNameListAsync(MmsObjectClass.NamedVariableList, MmsScope.DomainSpecific, MmsTestServer.Domain, Ct);
        Assert.Equal(["LLN0$DataSet1"], lists);
    }

    [Fact]
    public async Task GetNameList_continues_after_a_small_pdu_until_all_names_are_read()
    {
        await using var server = await MmsTestServer.StartAsync(new MmsServerOptions { MaxPduSize = 256 }, extraVariables: 40);
        await using var client = await server.ConnectAsync(cancellationToken: Ct);
        var first = await client.GetNameListPageAsync(MmsObjectClass.NamedVariable, MmsScope.DomainSpecific, MmsTestServer.Domain, null, Ct);
        Assert.True(first.MoreFollows);
        var all = await client.GetNameListAsync(MmsObjectClass.NamedVariable, MmsScope.DomainSpecific, MmsTestServer.Domain, Ct);
        Assert.Equal(server.Vmd.FindDomain(MmsTestServer.Domain)!.NameCount, all.Count);
        Assert.Equal(all.Distinct().Count(), all.Count);
    }

    [Fact]
    public async Task GetNameList_of_an_unknown_domain_is_a_service_error()
    {
        await using var server = await MmsTestServer.StartAsync();
        await using var client = await server.ConnectAsync(cancellationToken: Ct);
        var ex = await Assert.ThrowsAsync<MmsServiceErrorException>(() => client.GetNameListPageAsync(MmsObjectClass.NamedVariable, MmsScope.DomainSpecific, "NOPE", null, Ct));
        Assert.Equal(MmsErrorClass.Access, ex.Error.Class);
    }

    [Fact]
    public async Task Read_returns_leaves_structures_and_access_errors()
    {
        await using var server = await MmsTestServer.StartAsync();
        await using var client = await server.ConnectAsync(cancellationToken: Ct);
        var results = await client.ReadAsync([N("LLN0$ST$Mod$stVal"), N("MMXU1$MX$TotW$mag"), N("LLN0$ST$Nope"), ObjectName.Domain("X", "Y")], Ct);
        Assert.Equal(new MmsInteger(1), results[0].Value);
        Assert.Equal(new MmsStructure(new MmsFloat32(1234.5f)), results[1].Value);
        Assert.Equal(DataAccessError.ObjectNonExistent, results[2].Error);
        Assert.Equal(DataAccessError.ObjectNonExistent, results[3].Error);
        var whole = (await client.ReadAsync(N("LLN0"), Ct)).Value as MmsStructure;
        Assert.NotNull(whole);
        Assert.Equal(3, whole.Components.Count);
    }

    [Fact]
    public async Task Write_of_every_data_type_round_trips_and_host_sees_it()
    {
        await using var server = await MmsTestServer.StartAsync();
        await using var client = await server.ConnectAsync(cancellationToken: Ct);
        var setp = new MmsStructure(
            new MmsStructure(new MmsFloat64(-0.125)),
            new MmsOctetString([1, 2, 3]),
            new MmsUnsigned(4_000_000_000),
            MmsBinaryTime.From(new DateTime(2024, 5, 6, 7, 8, 9, 10, DateTimeKind.Utc)),
            new MmsBoolean(true),
            new MmsArray([new MmsInteger(-1), new MmsInteger(2), new MmsInteger(32767)]));
        Assert.Null(await client.WriteAsync(N("MMXU1$SP$Setp"), setp, Ct));
        Assert.Equal(setp, (await client.ReadAsync(N("MMXU1$SP$Setp"), Ct)).Value);
        Assert.Equal(new MmsFloat64(-0.125), server.Vmd.GetValue(MmsTestServer.Domain, "MMXU1$SP$Setp$setMag$f"));
        Assert.Null(await client.WriteAsync(N("LLN0$CF$Mod$ctlModel"), new MmsInteger(4), Ct));
        Assert.Equal(new MmsInteger(4), server.Vmd.GetValue(MmsTestServer.Domain, "LLN0$CF$Mod$ctlModel"));
    }

    [Fact]
    public async Task Write_refuses_read_only_wrong_type_and_unknown_variables()
    {
        await using var server = await MmsTestServer.StartAsync();
        await using var client = await server.ConnectAsync(cancellationToken: Ct);
        var results = await client.WriteAsync(
            [N("LLN0$ST$Mod$stVal"), N("LLN0$CF$Mod$ctlModel"), N("LLN0$CF$Mod$ctlModel"), N("LLN0$CF$Nope")],
            [new MmsInteger(5), new MmsBoolean(true), new MmsInteger(1000), new MmsInteger(1)], Ct);
        Assert.Equal([DataAccessError.ObjectAccessDenied, DataAccessError.TypeInconsistent, DataAccessError.TypeInconsistent, DataAccessError.ObjectNonExistent], results);
        Assert.Equal(new MmsInteger(1), server.Vmd.GetValue(MmsTestServer.Domain, "LLN0$ST$Mod$stVal"));
    }

    [Fact]
    public async Task Write_handler_can_veto_a_client_write()
    {
        var vmd = MmsTestServer.BuildVmd();
        await using var server = await MmsTestServer.StartAsync(vmd: vmd);
        await using var vetoServer = new MmsServer(MmsTestServer.BuildVmd(), new MmsServerOptions()) { WriteHandler = ctx => ctx.Value is MmsInteger { Value: > 3 } ? DataAccessError.ObjectValueInvalid : null };
        vetoServer.Start(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        await using var client = await MmsClient.ConnectAsync("127.0.0.1", vetoServer.LocalEndPoint.Port, cancellationToken: Ct);
        Assert.Equal(DataAccessError.ObjectValueInvalid, await client.WriteAsync(N("LLN0$CF$Mod$ctlModel"), new MmsInteger(9), Ct));
        Assert.Null(await client.WriteAsync(N("LLN0$CF$Mod$ctlModel"), new MmsInteger(2), Ct));
    }

    [Fact]
    public async Task GetVariableAccessAttributes_returns_the_full_type_description()
    {
        await using var server = await MmsTestServer.StartAsync();
        await using var client = await server.ConnectAsync(cancellationToken: Ct);
        Assert.Equal(MmsTestServer.MmxuType, await client.GetVariableAccessAttributesAsync(N("MMXU1"), Ct));
        Assert.Equal(new MmsBitStringType(13), await client.GetVariableAccessAttributesAsync(N("LLN0$ST$Mod$q"), Ct));
        await Assert.ThrowsAsync<MmsServiceErrorException>(() => client.GetVariableAccessAttributesAsync(N("LLN0$XX"), Ct));
    }

    [Fact]
    public async Task Named_variable_lists_can_be_defined_read_listed_and_deleted()
    {
        await using var server = await MmsTestServer.StartAsync();
        await using var client = await server.ConnectAsync(cancellationToken: Ct);
        var list = N("LLN0$dyn1");
        ObjectName[] members = [N("LLN0$ST$Mod$stVal"), N("MMXU1$MX$TotW$mag$f")];
        await client.DefineNamedVariableListAsync(list, members, Ct);
        var attrs = await client.GetNamedVariableListAttributesAsync(list, Ct);
        Assert.True(attrs.MmsDeletable);
        Assert.Equal(members, attrs.Variables);
        var values = await client.ReadNamedVariableListAsync(list, Ct);
        Assert.Equal([new MmsInteger(1), new MmsFloat32(1234.5f)], values.Select(v => v.Value));
        await Assert.ThrowsAsync<MmsServiceErrorException>(() => client.DefineNamedVariableListAsync(list, members, Ct));
        var aa = ObjectName.Association("tmp");
        await client.DefineNamedVariableListAsync(aa, members, Ct);
        Assert.Equal(["tmp"], await client.GetNameListAsync(MmsObjectClass.NamedVariableList, MmsScope.AaSpecific, null, Ct));
        var fixedList = await client.DeleteNamedVariableListAsync([N("LLN0$DataSet1")], Ct);
        Assert.Equal(new DeleteNamedVariableListResponse(1, 0), fixedList);
        var deleted = await client.DeleteNamedVariableListAsync([list, aa, N("nothing")], Ct);
        Assert.Equal(new DeleteNamedVariableListResponse(2, 2), deleted);
        await Assert.ThrowsAsync<MmsServiceErrorException>(() => client.GetNamedVariableListAttributesAsync(list, Ct));
    }

    [Fact]
    public async Task Define_named_variable_list_enforces_limits_and_member_existence()
    {
        await using var server = await MmsTestServer.StartAsync(new MmsServerOptions { MaxNamedVariableListsPerAssociation = 1, MaxNamedVariableListEntries = 2 });
        await using var client = await server.ConnectAsync(cancellationToken: Ct);
        var tooMany = await Assert.ThrowsAsync<MmsServiceErrorException>(() => client.DefineNamedVariableListAsync(N("L1"), [N("LLN0"), N("LLN0"), N("LLN0")], Ct));
        Assert.Equal(MmsErrorClass.Resource, tooMany.Error.Class);
        var missing = await Assert.ThrowsAsync<MmsServiceErrorException>(() => client.DefineNamedVariableListAsync(N("L1"), [N("LLN0$XX")], Ct));
        Assert.Equal(MmsErrorClass.Access, missing.Error.Class);
        await client.DefineNamedVariableListAsync(N("L1"), [N("LLN0")], Ct);
        var limit = await Assert.ThrowsAsync<MmsServiceErrorException>(() => client.DefineNamedVariableListAsync(N("L2"), [N("LLN0")], Ct));
        Assert.Equal(MmsErrorClass.Resource, limit.Error.Class);
    }

    [Fact]
    public async Task Association_specific_lists_vanish_with_their_association()
    {
        await using var server = await MmsTestServer.StartAsync();
        await using (var first = await server.ConnectAsync(cancellationToken: Ct))
        {
            await first.DefineNamedVariableListAsync(ObjectName.Association("mine"), [N("LLN0")], Ct);
        }
        await using var second = await server.ConnectAsync(cancellationToken: Ct);
        Assert.Empty(await second.GetNameListAsync(MmsObjectClass.NamedVariableList, MmsScope.AaSpecific, null, Ct));
    }

    [Fact]
    public async Task Files_can_be_listed_read_in_chunks_and_closed()
    {
        await using var server = await MmsTestServer.StartAsync(new MmsServerOptions { MaxPduSize = 4000 }, withFiles: true);
        await using var client = await server.ConnectAsync(cancellationToken: Ct);
        var dir = await client.FileDirectoryAsync(null, Ct);
        Assert.Equal(["COMTRADE/fault1.dat", "readme.txt"], dir.Select(e => e.FileName));
        Assert.Equal(200_000u, dir[0].Attributes.Size);
        Assert.NotNull(dir[0].Attributes.LastModified);
        var data = await client.GetFileAsync("COMTRADE/fault1.dat", Ct);
        Assert.Equal(Enumerable.Range(0, 200_000).Select(i => (byte)i), data);
        Assert.Equal("hello from the file store", System.Text.Encoding.UTF8.GetString(await client.GetFileAsync("/readme.txt", Ct)));
        var open = await client.FileOpenAsync("readme.txt", 6, Ct);
        Assert.Equal("from the file store", System.Text.Encoding.UTF8.GetString((await client.FileReadAsync(open.FrsmId, Ct)).FileData));
        await client.FileCloseAsync(open.FrsmId, Ct);
        await Assert.ThrowsAsync<MmsServiceErrorException>(() => client.FileCloseAsync(open.FrsmId, Ct));
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("COMTRADE/../../x")]
    [InlineData("..\\x")]
    [InlineData("C:/Windows/win.ini")]
    [InlineData("nothere.txt")]
    public async Task File_open_refuses_names_outside_the_store(string name)
    {
        await using var server = await MmsTestServer.StartAsync(withFiles: true);
        await using var client = await server.ConnectAsync(cancellationToken: Ct);
        var ex = await Assert.ThrowsAsync<MmsServiceErrorException>(() => client.FileOpenAsync(name, 0, Ct));
        Assert.Equal(MmsErrorClass.File, ex.Error.Class);
    }

    [Fact]
    public async Task File_delete_rename_and_obtain_need_write_permission()
    {
        await using var readOnly = await MmsTestServer.StartAsync(withFiles: true);
        await using (var client = await readOnly.ConnectAsync(cancellationToken: Ct))
        {
            await Assert.ThrowsAsync<MmsServiceErrorException>(() => client.FileDeleteAsync("readme.txt", Ct));
            await Assert.ThrowsAsync<MmsServiceErrorException>(() => client.FileRenameAsync("readme.txt", "x.txt", Ct));
            Assert.True(File.Exists(Path.Combine(readOnly.FileRoot!, "readme.txt")));
        }
        await using var writable = await MmsTestServer.StartAsync(new MmsServerOptions { AllowFileWrite = true }, withFiles: true);
        await using var w = await writable.ConnectAsync(cancellationToken: Ct);
        var local = Path.Combine(writable.FileRoot!, "..", Path.GetFileName(writable.FileRoot!) + "-readme2.txt");
        await File.WriteAllTextAsync(local, "stored with SetFile", Ct);
        await w.SetFileAsync(local, "copy/readme2.txt", Ct);
        File.Delete(local);
        await w.FileRenameAsync("copy/readme2.txt", "renamed.txt", Ct);
        await Assert.ThrowsAsync<MmsServiceErrorException>(() => w.FileRenameAsync("readme.txt", "renamed.txt", Ct));
        await w.FileDeleteAsync("readme.txt", Ct);
        Assert.Equal(["COMTRADE/fault1.dat", "renamed.txt"], (await w.FileDirectoryAsync(null, Ct)).Select(e => e.FileName));
    }

    [Fact]
    public async Task ReadJournal_returns_entries_in_a_time_range_across_pages()
    {
        var vmd = MmsTestServer.BuildVmd();
        var journal = vmd.FindDomain(MmsTestServer.Domain)!.AddJournal("LLN0$EventLog");
        for (uint i = 0; i < 50; i++)
        {
            journal.Append(new MmsBinaryTime(1000 * i, 15000), [("LLN0$ST$Mod$stVal", new MmsInteger(i)), ("note", new MmsVisibleString(new string('x', 40)))]);
        }
        await using var server = await MmsTestServer.StartAsync(new MmsServerOptions { MaxPduSize = 512 }, vmd: vmd);
        await using var client = await server.ConnectAsync(cancellationToken: Ct);
        Assert.Equal(["LLN0$EventLog"], await client.GetNameListAsync(MmsObjectClass.Journal, MmsScope.DomainSpecific, MmsTestServer.Domain, Ct));
        var all = await client.ReadJournalAsync(N("LLN0$EventLog"), cancellationToken: Ct);
        Assert.Equal(50, all.Count);
        Assert.Equal(new MmsInteger(49), all[^1].Variables[0].Value);
        var range = await client.ReadJournalAsync(N("LLN0$EventLog"), new MmsBinaryTime(10_000, 15000), new MmsBinaryTime(19_000, 15000), Ct);
        Assert.Equal(Enumerable.Range(10, 10).Select(i => new MmsInteger(i)), range.Select(e => e.Variables[0].Value));
    }

    [Fact]
    public async Task Password_protected_server_accepts_the_right_password_only()
    {
        await using var server = await MmsTestServer.StartAsync(new MmsServerOptions { Password = "s3cret" });
        var wrong = await Assert.ThrowsAsync<MmsProtocolException>(() => server.ConnectAsync(new MmsClientOptions { Password = "guess" }, Ct));
        Assert.Contains("authentication failure", wrong.Message, StringComparison.Ordinal);
        var none = await Assert.ThrowsAsync<MmsProtocolException>(() => server.ConnectAsync(cancellationToken: Ct));
        Assert.Contains("authentication required", none.Message, StringComparison.Ordinal);
        await using var client = await server.ConnectAsync(new MmsClientOptions { Password = "s3cret" }, Ct);
        Assert.Equal("FlexCoop", (await client.IdentifyAsync(Ct)).VendorName);
    }

    [Fact]
    public async Task The_association_beyond_the_maximum_is_refused_and_others_keep_working()
    {
        await using var server = await MmsTestServer.StartAsync(new MmsServerOptions { MaxAssociations = 2 });
        await using var a = await server.ConnectAsync(cancellationToken: Ct);
        await using var b = await server.ConnectAsync(cancellationToken: Ct);
        var refused = await Assert.ThrowsAsync<MmsProtocolException>(() => server.ConnectAsync(cancellationToken: Ct));
        Assert.Contains("too many associations", refused.Message, StringComparison.Ordinal);
        Assert.Equal(new MmsInteger(1), (await a.ReadAsync(N("LLN0$ST$Mod$stVal"), Ct)).Value);
        await b.ReleaseAsync(Ct);
        await b.Completion;
        await using var c = await ConnectWhenFreeAsync(server);
        Assert.Equal(new MmsInteger(1), (await c.ReadAsync(N("LLN0$ST$Mod$stVal"), Ct)).Value);
    }

    private static async Task<MmsClient> ConnectWhenFreeAsync(MmsTestServer server)
    {
        // The server frees the slot when it has processed the release; retry on "busy" a bounded number of times.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await server.ConnectAsync(cancellationToken: Ct);
            }
            catch (MmsProtocolException) when (attempt < 50)
            {
                await Task.Yield();
            }
        }
    }

    [Fact]
    public async Task Release_and_abort_end_the_association()
    {
        await using var server = await MmsTestServer.StartAsync();
        var a = await server.ConnectAsync(cancellationToken: Ct);
        await a.ReleaseAsync(Ct);
        Assert.False(a.IsConnected);
        await Assert.ThrowsAsync<MmsProtocolException>(() => a.IdentifyAsync(Ct));
        await a.DisposeAsync();
        var b = await server.ConnectAsync(cancellationToken: Ct);
        await b.AbortAsync(Ct);
        Assert.False(b.IsConnected);
        await b.DisposeAsync();
        await using var c = await server.ConnectAsync(cancellationToken: Ct);
        Assert.Equal("FlexCoop", (await c.IdentifyAsync(Ct)).VendorName);
    }

    [Fact]
    public async Task Many_concurrent_requests_are_correlated_by_invoke_id()
    {
        await using var server = await MmsTestServer.StartAsync(new MmsServerOptions { MaxServOutstanding = 4 });
        await using var client = await server.ConnectAsync(cancellationToken: Ct);
        for (var i = 0; i < 20; i++) server.Vmd.SetValue(MmsTestServer.Domain, "MMXU1$MX$TotW$mag$f", new MmsFloat32(7));
        var tasks = Enumerable.Range(0, 100).Select(i => i % 2 == 0
            ? client.ReadAsync(N("LLN0$ST$Mod$stVal"), Ct).ContinueWith(t => t.Result.Value, TaskScheduler.Default)
            : client.ReadAsync(N("MMXU1$MX$TotW$mag$f"), Ct).ContinueWith(t => t.Result.Value, TaskScheduler.Default)).ToArray();
        var values = await Task.WhenAll(tasks);
        for (var i = 0; i < values.Length; i++)
        {
            Assert.Equal(i % 2 == 0 ? new MmsInteger(1) : new MmsFloat32(7), values[i]);
        }
    }

    [Fact]
    public async Task Information_reports_reach_the_client()
    {
        await using var server = await MmsTestServer.StartAsync();
        await using var client = await server.ConnectAsync(cancellationToken: Ct);
        await client.IdentifyAsync(Ct);
        var report = new InformationReportPdu(VariableAccessSpecification.OfList(ObjectName.Vmd("RPT")), [AccessResult.Success(new MmsVisibleString("urcb01")), AccessResult.Success(new MmsInteger(5))]);
        await server.Server.SendInformationReportAsync(report, Ct);
        var received = await client.InformationReports.ReadAsync(Ct);
        Assert.Equal(report, received);
    }

    [Fact]
    public async Task Pdu_inspector_sees_requests_and_responses()
    {
        await using var server = await MmsTestServer.StartAsync();
        await using var client = await server.ConnectAsync(cancellationToken: Ct);
        var seen = new List<(MmsPduDirection, byte[])>();
        client.PduInspector = (d, b) =>
        {
            lock (seen) seen.Add((d, b.ToArray()));
        };
        await client.IdentifyAsync(Ct);
        lock (seen)
        {
            Assert.Equal(2, seen.Count);
            Assert.Equal(MmsPduDirection.Sent, seen[0].Item1);
            Assert.IsType<ConfirmedRequestPdu>(MmsPduCodec.Decode(seen[0].Item2));
            Assert.IsType<ConfirmedResponsePdu>(MmsPduCodec.Decode(seen[1].Item2));
        }
    }

    [Fact]
    public async Task Connecting_to_a_closed_port_fails_with_a_protocol_error()
    {
        int port;
        await using (var server = await MmsTestServer.StartAsync()) port = server.Port;
        await Assert.ThrowsAsync<MmsProtocolException>(() => MmsClient.ConnectAsync("127.0.0.1", port, cancellationToken: Ct));
    }
}
