using System.Net;
using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Iec61850.Model;

namespace FlexCoop.Iec61850.Tests.Mms;

/// <summary>
/// The control model over real loopback associations (our client against our server, the example DER
/// model): one object per ctlModel, LastApplError with AddCause, CommandTermination, selection rules.
/// </summary>
public sealed class Iec61850ControlTests
{
    private const string SboEnhanced = "DER1CTRL/CSWI1.Pos";
    private const string SboNormal = "DER1CTRL/XCBR1.BlkCls";
    private const string DirectNormal = "DER1CTRL/XCBR1.BlkOpn";
    private const string DirectEnhanced = "DER1PV/ZINV1.OutWSet";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(Iec61850Server Server, Iec61850Client Client)> StartAsync(IIec61850ControlHandler? handler = null, Iec61850ServerFaults faults = Iec61850ServerFaults.None)
    {
        var server = new Iec61850Server(Iec61850MappingTests.LoadDerModel(), controlHandler: handler, faults: faults);
        server.Start(new IPEndPoint(IPAddress.Loopback, 0));
        return (server, await ConnectAsync(server));
    }

    private static Task<Iec61850Client> ConnectAsync(Iec61850Server server) =>
        Iec61850Client.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, cancellationToken: Ct);

    private static ControlParameters Bool(bool value, byte ctlNum = 1, bool test = false, ControlChecks check = default) =>
        new() { CtlVal = new MmsBoolean(value), CtlNum = ctlNum, Origin = Originator.Remote("test-client"), Test = test, Check = check };

    /// <summary>A handler that refuses per its settings and records what it saw.</summary>
    private sealed class ScriptedHandler : IIec61850ControlHandler
    {
        public AddCause? RefuseCheck { get; init; }
        public AddCause? FailExecution { get; init; }
        public TaskCompletionSource? Gate { get; init; }
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public List<ControlRequest> Seen { get; } = [];

        public AddCause? Check(ControlRequest request)
        {
            lock (Seen) Seen.Add(request);
            return request.Parameters?.Check.Interlock == true ? RefuseCheck : null;
        }

        public async ValueTask<AddCause?> ExecuteAsync(ControlRequest request, CancellationToken cancellationToken)
        {
            Started.TrySetResult();
            if (Gate is { } gate) await gate.Task.WaitAsync(cancellationToken);
            return FailExecution;
        }
    }

    [Fact]
    public async Task Sbo_enhanced_select_then_operate_ends_with_positive_command_termination_and_new_position()
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        await using var __ = client;
        Assert.Equal(ControlModel.SboWithEnhancedSecurity, await client.GetControlModelAsync(SboEnhanced, Ct));

        var select = await client.SelectWithValueAsync(SboEnhanced, Bool(false, 7), Ct);
        Assert.True(select.Success, select.ToString());
        Assert.Equal(new MmsBoolean(true), await client.GetDataValuesAsync(SboEnhanced + ".stSeld", FunctionalConstraint.ST, Ct));

        var operate = await client.OperateAsync(SboEnhanced, Bool(false, 7), waitForTermination: true, cancellationToken: Ct);
        Assert.True(operate.Success, operate.ToString());
        Assert.NotNull(operate.Termination);
        Assert.True(operate.Termination.Success);
        Assert.Equal("DER1CTRL/CSWI1$CO$Pos$Oper", operate.Termination.ControlObject);
        Assert.Equal(MmsBitString.FromBits(2, 1), await client.GetDataValuesAsync(SboEnhanced + ".stVal", FunctionalConstraint.ST, Ct));
        Assert.Equal(new MmsBoolean(false), await client.GetDataValuesAsync(SboEnhanced + ".stSeld", FunctionalConstraint.ST, Ct));
    }

    [Fact]
    public async Task Operate_without_select_is_refused_with_last_appl_error_object_not_selected()
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        await using var __ = client;
        var result = await client.OperateAsync(SboEnhanced, Bool(true, 3), cancellationToken: Ct);
        Assert.False(result.Success);
        Assert.Equal(DataAccessError.ObjectAccessDenied, result.AccessError);
        Assert.NotNull(result.Error);
        Assert.Equal(AddCause.ObjectNotSelected, result.AddCause);
        Assert.Equal("DER1CTRL/CSWI1$CO$Pos$Oper", result.Error.ControlObject);
        Assert.Equal(3, result.Error.CtlNum);
        Assert.Equal(OriginatorCategory.RemoteControl, result.Error.Origin.Category);
        Assert.Equal(result.Error, client.GetLastApplError(SboEnhanced));
    }

    [Fact]
    public async Task Selection_by_one_client_locks_the_object_for_another_until_cancelled()
    {
        var (server, first) = await StartAsync();
        await using var _ = server;
        await using var __ = first;
        await using var second = await ConnectAsync(server);
        Assert.True((await first.SelectWithValueAsync(SboEnhanced, Bool(true), Ct)).Success);

        var other = await second.SelectWithValueAsync(SboEnhanced, Bool(true), Ct);
        Assert.Equal(AddCause.LockedByOtherClient, other.AddCause);
        Assert.Equal(DataAccessError.TemporarilyUnavailable, other.AccessError);
        var again = await first.SelectWithValueAsync(SboEnhanced, Bool(true), Ct);
        Assert.Equal(AddCause.ObjectAlreadySelected, again.AddCause);

        Assert.True((await first.CancelAsync(SboEnhanced, Bool(true), Ct)).Success);
        var afterCancel = await first.OperateAsync(SboEnhanced, Bool(true), cancellationToken: Ct);
        Assert.Equal(AddCause.ObjectNotSelected, afterCancel.AddCause);
        Assert.True((await second.SelectWithValueAsync(SboEnhanced, Bool(true), Ct)).Success);
    }

    [Fact]
    public async Task Operate_with_other_parameters_than_the_selection_is_inconsistent()
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        await using var __ = client;
        Assert.True((await client.SelectWithValueAsync(SboEnhanced, Bool(true, 1), Ct)).Success);
        var result = await client.OperateAsync(SboEnhanced, Bool(true, 2), cancellationToken: Ct);
        Assert.Equal(AddCause.InconsistentParameters, result.AddCause);
        Assert.Equal(DataAccessError.ObjectValueInvalid, result.AccessError);
    }

    [Fact]
    public async Task Selection_expires_after_sbo_timeout()
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        await using var __ = client;
        await client.SetDataValuesAsync(SboEnhanced + ".sboTimeout", FunctionalConstraint.CF, new MmsUnsigned(50), Ct);
        Assert.True((await client.SelectWithValueAsync(SboEnhanced, Bool(true), Ct)).Success);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(10));
        while (await client.GetDataValuesAsync(SboEnhanced + ".stSeld", FunctionalConstraint.ST, deadline.Token) is MmsBoolean { Value: true })
        {
            await Task.Yield();
        }
        var result = await client.OperateAsync(SboEnhanced, Bool(true), cancellationToken: Ct);
        Assert.Equal(AddCause.ObjectNotSelected, result.AddCause);
    }

    [Fact]
    public async Task Sbo_normal_select_by_read_returns_the_reference_and_refuses_a_second_client()
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        await using var __ = client;
        await using var other = await ConnectAsync(server);
        Assert.Equal(ControlModel.SboWithNormalSecurity, await client.GetControlModelAsync(SboNormal, Ct));
        Assert.Equal(new MmsVisibleString("DER1CTRL/XCBR1$CO$BlkCls"), await client.GetDataValuesAsync(SboNormal + ".SBO", FunctionalConstraint.CO, Ct));
        var refused = await other.SelectAsync(SboNormal, Ct);
        Assert.False(refused.Success);
        Assert.Equal(AddCause.SelectFailed, refused.AddCause);

        var operate = await client.OperateAsync(SboNormal, Bool(true), cancellationToken: Ct);
        Assert.True(operate.Success, operate.ToString());
        Assert.Null(operate.Termination);
        Assert.Equal(new MmsBoolean(true), await client.GetDataValuesAsync(SboNormal + ".stVal", FunctionalConstraint.ST, Ct));
        Assert.True((await other.SelectAsync(SboNormal, Ct)).Success);
    }

    [Fact]
    public async Task Direct_normal_operate_changes_the_status_and_a_status_only_model_refuses_with_not_supported()
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        await using var __ = client;
        Assert.True((await client.OperateAsync(DirectNormal, Bool(true), cancellationToken: Ct)).Success);
        Assert.Equal(new MmsBoolean(true), await client.GetDataValuesAsync(DirectNormal + ".stVal", FunctionalConstraint.ST, Ct));

        await client.SetDataValuesAsync(DirectNormal + ".ctlModel", FunctionalConstraint.CF, new MmsInteger((int)ControlModel.StatusOnly), Ct);
        var refused = await client.OperateAsync(DirectNormal, Bool(false), cancellationToken: Ct);
        Assert.Equal(AddCause.NotSupported, refused.AddCause);
        Assert.Equal(new MmsBoolean(true), await client.GetDataValuesAsync(DirectNormal + ".stVal", FunctionalConstraint.ST, Ct));
    }

    [Fact]
    public async Task Direct_enhanced_failed_execution_gives_negative_command_termination_with_add_cause()
    {
        var handler = new ScriptedHandler { FailExecution = AddCause.BlockedByProcess };
        var (server, client) = await StartAsync(handler);
        await using var _ = server;
        await using var __ = client;
        var value = new ControlParameters { CtlVal = new MmsStructure(new MmsFloat32(4000f)), CtlNum = 9, Origin = Originator.Remote("gdm") };
        var result = await client.OperateAsync(DirectEnhanced, value, waitForTermination: true, cancellationToken: Ct);
        Assert.False(result.Success);
        Assert.Null(result.AccessError);
        Assert.NotNull(result.Termination);
        Assert.False(result.Termination.Success);
        Assert.Equal(AddCause.BlockedByProcess, result.AddCause);
        Assert.Equal(9, result.Termination.Error!.CtlNum);
        Assert.Equal("DER1PV/ZINV1$CO$OutWSet$Oper", result.Termination.Error.ControlObject);
    }

    [Fact]
    public async Task Interlock_check_flag_reaches_the_handler_which_refuses_with_blocked_by_interlocking()
    {
        var handler = new ScriptedHandler { RefuseCheck = AddCause.BlockedByInterlocking };
        var (server, client) = await StartAsync(handler);
        await using var _ = server;
        await using var __ = client;
        var result = await client.OperateAsync(DirectNormal, Bool(true, check: new ControlChecks(Synchrocheck: false, Interlock: true)), cancellationToken: Ct);
        Assert.Equal(AddCause.BlockedByInterlocking, result.AddCause);
        var seen = Assert.Single(handler.Seen);
        Assert.Equal(ControlService.Operate, seen.Service);
        Assert.True(seen.Parameters!.Check.Interlock);
        Assert.False(seen.Parameters.Check.Synchrocheck);
        Assert.Equal("test-client", System.Text.Encoding.UTF8.GetString(seen.Parameters.Origin.Identity.Span));
        Assert.True((await client.OperateAsync(DirectNormal, Bool(true), cancellationToken: Ct)).Success);
    }

    [Fact]
    public async Task Test_flag_is_checked_but_does_not_operate_the_process()
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        await using var __ = client;
        var setpoint = new MmsStructure(new MmsFloat32(4000f));
        var test = await client.OperateAsync(DirectEnhanced, new ControlParameters { CtlVal = setpoint, Test = true }, waitForTermination: true, cancellationToken: Ct);
        Assert.True(test.Success, test.ToString());
        Assert.Equal(new MmsStructure(new MmsFloat32(0f)), await client.GetDataValuesAsync(DirectEnhanced + ".mxVal", FunctionalConstraint.MX, Ct));
        var real = await client.OperateAsync(DirectEnhanced, new ControlParameters { CtlVal = setpoint }, waitForTermination: true, cancellationToken: Ct);
        Assert.True(real.Success, real.ToString());
        Assert.Equal(setpoint, await client.GetDataValuesAsync(DirectEnhanced + ".mxVal", FunctionalConstraint.MX, Ct));
    }

    [Fact]
    public async Task Cancel_during_enhanced_execution_terminates_with_abortion_by_cancel()
    {
        var handler = new ScriptedHandler { Gate = new TaskCompletionSource() };
        var (server, client) = await StartAsync(handler);
        await using var _ = server;
        await using var __ = client;
        var value = new ControlParameters { CtlVal = new MmsStructure(new MmsFloat32(1f)), CtlNum = 4 };
        var operate = client.OperateAsync(DirectEnhanced, value, waitForTermination: true, cancellationToken: Ct);
        await handler.Started.Task.WaitAsync(Ct);
        var busy = await client.OperateAsync(DirectEnhanced, value, cancellationToken: Ct);
        Assert.Equal(AddCause.CommandAlreadyInExecution, busy.AddCause);
        Assert.True((await client.CancelAsync(DirectEnhanced, value, Ct)).Success);
        var result = await operate;
        Assert.Equal(AddCause.AbortionByCancel, result.AddCause);
        Assert.False(result.Termination!.Success);
    }

    [Fact]
    public async Task Writing_a_component_of_oper_is_refused()
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        await using var __ = client;
        var error = await Assert.ThrowsAsync<Iec61850DataAccessException>(() => client.SetDataValuesAsync(DirectNormal + ".Oper.ctlVal", FunctionalConstraint.CO, new MmsBoolean(true), Ct));
        Assert.Equal(DataAccessError.ObjectAccessDenied, error.Error);
    }

    [Fact]
    public async Task No_command_termination_fault_leaves_the_enhanced_operate_without_termination()
    {
        var (server, client) = await StartAsync(faults: Iec61850ServerFaults.NoCommandTermination);
        await using var _ = server;
        await using var __ = client;
        var value = new ControlParameters { CtlVal = new MmsStructure(new MmsFloat32(1f)) };
        await Assert.ThrowsAsync<TimeoutException>(() => client.OperateAsync(DirectEnhanced, value, waitForTermination: true, terminationTimeout: TimeSpan.FromMilliseconds(300), cancellationToken: Ct));
    }
}
