using FlexCoop.Iec61850.Model;
using FlexCoop.Iec61850.Scl;

namespace FlexCoop.Iec61850.Tests.Scl;

/// <summary>The example DER unit in schemas/iec61850 resolves cleanly into the instance tree the MMS server serves.</summary>
public sealed class DerUnitModelTests
{
    private static readonly Lazy<SclResolution> Resolution = new(() => SclResolver.Load(SclVectors.DerUnit));

    private static IedModel Model => Resolution.Value.Ieds[0];

    [Fact]
    public void Der_unit_resolves_without_diagnostics()
    {
        Assert.Empty(Resolution.Value.Diagnostics);
        Assert.False(Resolution.Value.HasErrors);
        Assert.Equal("DER1", Assert.Single(Resolution.Value.Ieds).Name);
    }

    [Fact]
    public void Der_unit_has_the_devices_and_nodes_of_the_file()
    {
        Assert.Equal(["DER1CTRL", "DER1PV", "DER1BAT"], Model.LogicalDevices.Select(l => l.Name));
        Assert.Equal(["LLN0", "LPHD1", "DRCT1", "DSCH1", "FSCH1", "XCBR1", "CSWI1"], Model.LogicalDevices[0].LogicalNodes.Select(l => l.Name));
        Assert.Equal(["LLN0", "DPVC1", "DGEN1", "ZINV1", "MMXU1"], Model.LogicalDevices[1].LogicalNodes.Select(l => l.Name));
        Assert.Equal(["LLN0", "DSTO1", "ZBAT1", "ZBTC1", "MMXU1"], Model.LogicalDevices[2].LogicalNodes.Select(l => l.Name));
        Assert.Equal(17, Model.LogicalNodeCount);
        // 4 LLN0 DOs x3, LPHD 3, DRCT 5, DSCH 3, FSCH 6, XCBR 6, CSWI 2, DPVC 2, DGEN 3, ZINV 5,
        // MMXU (7 + 2 WYE x 3 SDOs) x2, DSTO 3, ZBAT 4, ZBTC 4.
        Assert.Equal(84, Model.DataObjectCount);
        Assert.Equal(Model.Walk().OfType<DataObject>().Count(), Model.DataObjectCount);
        Assert.Equal(Model.Walk().OfType<DataAttribute>().Count(a => a.DataObject is not null), Model.DataAttributeCount);
        Assert.Equal(4, Model.DataSets.Count());
        Assert.Equal(5, Model.ReportControlBlocks.Count());
    }

    [Fact]
    public void Sbo_enhanced_switch_has_its_control_structures_and_configuration()
    {
        var pos = (DataObject)Model.FindNode("DER1CTRL/CSWI1.Pos")!;
        Assert.Equal("DPC", pos.Cdc);
        var ctlModel = Model.FindAttribute("DER1CTRL/CSWI1.Pos.ctlModel", FunctionalConstraint.CF)!;
        Assert.Equal(BasicType.Enum, ctlModel.BasicType);
        Assert.Equal("CtlModelKind", ctlModel.EnumType!.Id);
        Assert.Equal(4, ctlModel.Value);
        Assert.Equal("sbo-with-enhanced-security", ctlModel.EnumName);
        Assert.Equal(30000UL, Model.FindAttribute("DER1CTRL/CSWI1.Pos.sboTimeout", FunctionalConstraint.CF)!.Value);
        var sbow = Model.FindAttribute("DER1CTRL/CSWI1.Pos.SBOw", FunctionalConstraint.CO)!;
        Assert.True(sbow.IsStructure);
        Assert.Equal(["ctlVal", "origin", "ctlNum", "T", "Test", "Check"], sbow.Components.Select(c => c.Name));
        Assert.All(IedModel.GetAttributes(sbow, FunctionalConstraint.CO), a => Assert.Equal(FunctionalConstraint.CO, a.Fc));
        Assert.Equal(BasicType.Dbpos, Model.FindAttribute("DER1CTRL/CSWI1.Pos.stVal", FunctionalConstraint.ST)!.BasicType);
        Assert.Equal(2, Model.FindAttribute("DER1CTRL/CSWI1.Pos.stVal", FunctionalConstraint.ST)!.Value);
        // Beh 3 + SBOw 9 + Oper 9 + Cancel 8 + origin 3 + ctlNum, stVal, q, t, stSeld, ctlModel, sboTimeout, operTimeout.
        Assert.Equal(40, Model.FindNode("DER1CTRL/CSWI1")!.Children.SelectMany(Flatten).OfType<DataAttribute>().Count());
    }

    [Fact]
    public void Breaker_position_is_status_only_and_its_block_commands_are_direct()
    {
        Assert.Equal("status-only", Model.FindAttribute("DER1CTRL/XCBR1.Pos.ctlModel", FunctionalConstraint.CF)!.EnumName);
        Assert.Equal("direct-with-normal-security", Model.FindAttribute("DER1CTRL/XCBR1.BlkOpn.ctlModel", FunctionalConstraint.CF)!.EnumName);
        Assert.Null(Model.FindAttribute("DER1CTRL/XCBR1.Pos.Oper", FunctionalConstraint.CO));
        Assert.NotNull(Model.FindAttribute("DER1CTRL/XCBR1.BlkOpn.Oper.ctlVal", FunctionalConstraint.CO));
    }

    [Fact]
    public void Measurements_carry_fc_type_triggers_and_units()
    {
        var f = Model.FindAttribute("DER1PV/MMXU1.TotW.mag.f", FunctionalConstraint.MX)!;
        Assert.Equal(BasicType.FLOAT32, f.BasicType);
        Assert.Equal(TriggerOptions.DataChange | TriggerOptions.DataUpdate, f.TriggerOptions);
        Assert.Equal("TotW", f.DataObject!.Name);
        Assert.Equal("MMXU1", f.LogicalNode!.Name);
        Assert.Null(Model.FindAttribute("DER1PV/MMXU1.TotW.mag.f", FunctionalConstraint.ST));
        var q = Model.FindAttribute("DER1PV/MMXU1.TotW.q", FunctionalConstraint.MX)!;
        Assert.Equal(TriggerOptions.QualityChange, q.TriggerOptions);
        Assert.Equal("W", Model.FindAttribute("DER1PV/MMXU1.TotW.units.SIUnit", FunctionalConstraint.CF)!.EnumName);
        Assert.Equal(3, Model.FindAttribute("DER1PV/MMXU1.TotW.units.multiplier", FunctionalConstraint.CF)!.Value);
        Assert.Equal(1000UL, Model.FindAttribute("DER1PV/MMXU1.TotW.db", FunctionalConstraint.CF)!.Value);
        // The template's empty multiplier applies where no DAI overrides it.
        var hzMultiplier = Model.FindAttribute("DER1PV/MMXU1.Hz.units.multiplier", FunctionalConstraint.CF)!;
        Assert.Equal(0, hzMultiplier.Value);
        Assert.Equal("", hzMultiplier.EnumName);
        var phsA = (DataObject)Model.FindNode("DER1PV/MMXU1.PhV.phsA")!;
        Assert.Equal("CMV", phsA.Cdc);
        Assert.Equal(["phsA", "phsB", "phsC"], ((DataObject)phsA.Parent!).SubDataObjects.Select(d => d.Name));
    }

    [Fact]
    public void Instance_values_are_applied_with_their_types()
    {
        Assert.Equal("FlexCoop", Model.FindAttribute("DER1CTRL/LLN0.NamPlt.vendor", FunctionalConstraint.DC)!.Value);
        Assert.Equal(BasicType.VisString255, Model.FindAttribute("DER1CTRL/LLN0.NamPlt.vendor", FunctionalConstraint.DC)!.BasicType);
        Assert.Equal("IEC 61850-7-420:2019", Model.FindAttribute("DER1CTRL/LLN0.NamPlt.ldNs", FunctionalConstraint.EX)!.Value);
        Assert.Equal(1, Model.FindAttribute("DER1CTRL/LLN0.Mod.stVal", FunctionalConstraint.ST)!.Value);
        Assert.Equal(15000f, Model.FindAttribute("DER1CTRL/DRCT1.MaxWLim.setMag.f", FunctionalConstraint.SP)!.Value);
        Assert.Equal(2L, Model.FindAttribute("DER1CTRL/DRCT1.DERNum.setVal", FunctionalConstraint.SP)!.Value);
        Assert.Equal("Not ready", Model.FindAttribute("DER1CTRL/FSCH1.SchdSt.stVal", FunctionalConstraint.ST)!.EnumName);
        Assert.Null(Model.FindAttribute("DER1CTRL/XCBR1.Pos.q", FunctionalConstraint.ST)!.Value);
    }

    [Fact]
    public void Setting_group_attribute_exists_under_sg_and_se_with_values_per_group()
    {
        var sg = Model.FindAttribute("DER1CTRL/DRCT1.WMaxSpt.setMag.f", FunctionalConstraint.SG)!;
        var se = Model.FindAttribute("DER1CTRL/DRCT1.WMaxSpt.setMag.f", FunctionalConstraint.SE)!;
        Assert.NotSame(sg, se);
        Assert.Equal([10000f, 8000f], sg.SettingGroupValues.Cast<float>());
        Assert.Equal([10000f, 8000f], se.SettingGroupValues.Cast<float>());
        var sgcb = Model.LogicalDevices[0].Lln0!.SettingGroupControlBlock!;
        Assert.Equal((2u, 1u), (sgcb.NumOfSGs, sgcb.ActSG));
        Assert.Equal(FunctionalConstraint.SP, sgcb.Fc);
        Assert.Equal(60UL, sgcb.Attribute("ResvTms")!.Value);
    }

    [Fact]
    public void Data_sets_resolve_every_fcda_across_devices()
    {
        var ds = Model.FindDataSet("DER1CTRL/LLN0.Measurements")!;
        Assert.Equal("LLN0$Measurements", ds.MmsItemId);
        Assert.Equal(
            ["DER1PV/MMXU1.TotW", "DER1PV/MMXU1.Hz", "DER1PV/MMXU1.PhV.phsA", "DER1BAT/ZBAT1.Vol.mag.f", "DER1BAT/MMXU1.TotW"],
            ds.Members.Select(m => m.Reference));
        var phsA = ds.Members[2];
        Assert.Equal(FunctionalConstraint.MX, phsA.Fc);
        Assert.Equal(["cVal.mag.f", "cVal.ang.f", "q", "t"], phsA.Attributes.Select(a => a.Reference["DER1PV/MMXU1.PhV.phsA.".Length..]));
        Assert.Equal(("DER1PV", "MMXU1$MX$PhV$phsA"), (phsA.MmsDomainName, phsA.MmsItemId));
        var vol = ds.Members[3];
        Assert.Same(Model.FindAttribute("DER1BAT/ZBAT1.Vol.mag.f", FunctionalConstraint.MX), Assert.Single(vol.Attributes));
        Assert.Equal("ZBAT1$MX$Vol$mag$f", vol.MmsItemId);
        var status = Model.FindDataSet("DER1CTRL/LLN0.Status")!;
        Assert.Equal(["stVal", "q", "t"], status.Members[0].Attributes.Select(a => a.Name));
        Assert.DoesNotContain(status.Members[0].Attributes, a => a.Name == "ctlModel");
    }

    [Fact]
    public void Report_control_blocks_are_indexed_instances_with_their_attributes()
    {
        var lln0 = Model.LogicalDevices[0].Lln0!;
        Assert.Equal(["brcbMeas01", "brcbMeas02", "urcbStatus01", "urcbStatus02", "urcbStatus03"], lln0.ReportControlBlocks.Select(r => r.Name));
        var brcb = lln0.ReportControlBlocks[0];
        Assert.True(brcb.Buffered);
        Assert.Equal(FunctionalConstraint.BR, brcb.Fc);
        Assert.Equal("DER1CTRL/LLN0.brcbMeas01", brcb.Reference);
        Assert.Same(Model.FindDataSet("DER1CTRL/LLN0.Measurements"), brcb.DataSet);
        Assert.Equal(
            ["RptID", "RptEna", "DatSet", "ConfRev", "OptFlds", "BufTm", "SqNum", "TrgOps", "IntgPd", "GI", "PurgeBuf", "EntryID", "TimeofEntry", "ResvTms", "Owner"],
            brcb.Attributes.Select(a => a.Name));
        Assert.Equal("DER1CTRL/LLN0$BR$brcbMeas", brcb.Attribute("RptID")!.Value);
        Assert.Equal("DER1CTRL/LLN0.Measurements", brcb.Attribute("DatSet")!.Value);
        Assert.Equal(5000UL, brcb.Attribute("IntgPd")!.Value);
        Assert.Equal(brcb.Source.TrgOps, brcb.Attribute("TrgOps")!.Value);
        Assert.Equal(BasicType.INT16U, brcb.Attribute("SqNum")!.BasicType);
        Assert.All(brcb.Attributes, a => Assert.Equal(FunctionalConstraint.BR, a.Fc));
        Assert.Same(brcb.Attribute("RptEna"), Model.FindAttribute("DER1CTRL/LLN0.brcbMeas01.RptEna", FunctionalConstraint.BR));
        var urcb = lln0.ReportControlBlocks[2];
        Assert.Equal(FunctionalConstraint.RP, urcb.Fc);
        Assert.Equal(["RptID", "RptEna", "Resv", "DatSet"], urcb.Attributes.Take(4).Select(a => a.Name));
        Assert.Equal(BasicType.INT8U, urcb.Attribute("SqNum")!.BasicType);
        Assert.Null(urcb.Attribute("EntryID"));
    }

    [Fact]
    public void Goose_and_log_control_blocks_carry_their_addresses_and_references()
    {
        var lln0 = Model.LogicalDevices[0].Lln0!;
        var gcb = Assert.Single(lln0.GseControlBlocks);
        Assert.Equal(FunctionalConstraint.GO, gcb.Fc);
        Assert.Equal("DER1_Status", gcb.Attribute("GoID")!.Value);
        var dst = gcb.Attribute("DstAddress")!;
        Assert.Equal(BasicType.PhyComAddr, dst.BasicType);
        Assert.Equal(new byte[] { 0x01, 0x0C, 0xCD, 0x01, 0x00, 0x01 }, ((DataAttribute)dst.Child("Addr")!).Value);
        Assert.Equal(0x1001UL, ((DataAttribute)dst.Child("APPID")!).Value);
        Assert.Equal(10UL, gcb.Attribute("MinTime")!.Value);
        Assert.Equal(2000UL, gcb.Attribute("MaxTime")!.Value);
        Assert.Same(Model.FindDataSet("DER1CTRL/LLN0.GooseStatus"), gcb.DataSet);
        var lcb = Assert.Single(lln0.LogControlBlocks);
        Assert.Equal(FunctionalConstraint.LG, lcb.Fc);
        Assert.Equal("DER1CTRL/LLN0$EventLog", lcb.Attribute("LogRef")!.Value);
        Assert.Equal(true, lcb.Attribute("LogEna")!.Value);
        Assert.Equal("Events", lcb.DataSet!.Name);
    }

    [Fact]
    public void Functional_view_groups_each_logical_node_by_fc_as_8_1_maps_it()
    {
        var lln0 = Model.LogicalDevices[0].Lln0!;
        Assert.Equal(
            [FunctionalConstraint.ST, FunctionalConstraint.SP, FunctionalConstraint.CF, FunctionalConstraint.DC, FunctionalConstraint.EX,
             FunctionalConstraint.BR, FunctionalConstraint.RP, FunctionalConstraint.LG, FunctionalConstraint.GO],
            lln0.FunctionalView.Select(g => g.Fc));
        var xcbrSt = Model.LogicalDevices[0].FindLogicalNode("XCBR1")!.FunctionalView.Single(g => g.Fc == FunctionalConstraint.ST);
        Assert.Equal("XCBR1$ST", xcbrSt.MmsItemId);
        var pos = xcbrSt.Members.Single(m => m.Name == "Pos");
        Assert.Equal("XCBR1$ST$Pos", pos.MmsItemId);
        Assert.Equal(["stVal", "q", "t"], pos.Children.Select(c => c.Name));
        Assert.Equal("XCBR1$ST$Pos$stVal", pos.Children[0].MmsItemId);
        Assert.Same(Model.FindAttribute("DER1CTRL/XCBR1.Pos.stVal", FunctionalConstraint.ST), pos.Children[0].Attribute);
        var mmxuMx = Model.LogicalDevices[1].FindLogicalNode("MMXU1")!.FunctionalView.Single(g => g.Fc == FunctionalConstraint.MX);
        var phv = mmxuMx.Members.Single(m => m.Name == "PhV");
        Assert.Equal(["phsA", "phsB", "phsC"], phv.Children.Select(c => c.Name));
        Assert.DoesNotContain(phv.Children, c => c.Name == "units");
    }

    [Fact]
    public void Mms_variables_are_found_by_item_id_in_their_domain()
    {
        var ctrl = Model.LogicalDevices[0];
        Assert.Equal("DER1CTRL", ctrl.MmsDomainName);
        var ctlVal = ctrl.FindMmsVariable("CSWI1$CO$Pos$SBOw$ctlVal")!;
        Assert.Equal((FunctionalConstraint.CO, BasicType.BOOLEAN), (ctlVal.Fc, ctlVal.Attribute!.BasicType));
        Assert.Equal("DER1CTRL/CSWI1.Pos.SBOw.ctlVal", ctlVal.Node.Reference);
        Assert.NotNull(ctrl.FindMmsVariable("LLN0$BR$brcbMeas02$EntryID"));
        Assert.NotNull(ctrl.FindMmsVariable("LLN0$SP$SGCB$ActSG"));
        Assert.NotNull(ctrl.FindMmsVariable("DRCT1$SE$WMaxSpt$setMag$f"));
        Assert.Null(ctrl.FindMmsVariable("CSWI1$ST$Pos$ctlModel"));
        Assert.Null(ctrl.FindMmsVariable("cswi1$CO$Pos$SBOw"));
        Assert.Equal("MMXU1$MX$TotW$mag$f", FcNode.MmsName(Model.FindNode("DER1PV/MMXU1.TotW.mag.f")!, FunctionalConstraint.MX));
    }

    [Fact]
    public void Get_attributes_yields_the_leaves_of_one_fc_in_tree_order()
    {
        var xcbr = Model.FindNode("DER1CTRL/XCBR1")!;
        var st = IedModel.GetAttributes(xcbr, FunctionalConstraint.ST).Select(a => a.Reference["DER1CTRL/XCBR1.".Length..]).ToList();
        Assert.Equal(
            ["Beh.stVal", "Beh.q", "Beh.t", "Loc.stVal", "Loc.q", "Loc.t", "OpCnt.stVal", "OpCnt.q", "OpCnt.t", "Pos.stVal", "Pos.q", "Pos.t",
             "BlkOpn.stVal", "BlkOpn.q", "BlkOpn.t", "BlkCls.stVal", "BlkCls.q", "BlkCls.t"],
            st);
    }

    [Fact]
    public void Model_can_be_walked_and_read_from_several_threads()
    {
        var views = Enumerable.Range(0, 8).AsParallel().Select(_ =>
            Model.LogicalDevices.SelectMany(ld => ld.LogicalNodes).Sum(ln => ln.FunctionalView.Count)).ToList();
        Assert.All(views, v => Assert.Equal(views[0], v));
        Assert.All(Model.LogicalDevices, ld => Assert.NotNull(ld.FindMmsVariable("LLN0$ST$Mod$stVal")));
    }

    private static IEnumerable<ModelNode> Flatten(ModelNode n) => new[] { n }.Concat(n.Children.SelectMany(Flatten));
}
