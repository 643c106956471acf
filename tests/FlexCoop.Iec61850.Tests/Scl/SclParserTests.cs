using FlexCoop.Iec61850.Model;
using FlexCoop.Iec61850.Scl;

namespace FlexCoop.Iec61850.Tests.Scl;

public sealed class SclParserTests
{
    [Fact]
    public void Parse_der_unit_reads_header_history_and_edition()
    {
        var doc = SclDocument.Load(SclVectors.DerUnit);
        Assert.Empty(doc.Diagnostics);
        Assert.Equal("2007", doc.Version);
        Assert.Equal("B", doc.Revision);
        Assert.Equal("4", doc.Release);
        Assert.True(doc.IsEdition2);
        Assert.Equal("FlexCoopDerUnit", doc.Header!.Id);
        Assert.Equal("FlexCoop", doc.Header.ToolId);
        var item = Assert.Single(doc.Header.History);
        Assert.Equal("2026-11-30", item.When);
        Assert.Equal(SclVectors.DerUnit, doc.Source);
    }

    [Fact]
    public void Parse_der_unit_reads_the_access_point_addresses_and_goose_address()
    {
        var doc = SclDocument.Load(SclVectors.DerUnit);
        var sn = Assert.Single(doc.Communication!.SubNetworks);
        Assert.Equal("StationBus", sn.Name);
        Assert.Equal("8-MMS", sn.Type);
        Assert.Equal("100 M b/s", sn.BitRate);
        var ap = doc.Communication.FindConnectedAP("DER1", "AP1")!;
        Assert.Equal("192.0.2.10", ap.Address.Ip);
        Assert.Equal("255.255.255.0", ap.Address["IP-SUBNET"]);
        Assert.Equal("1,3,9999,33", ap.Address["OSI-AP-Title"]);
        Assert.Equal("00000001", ap.Address["OSI-PSEL"]);
        var gse = Assert.Single(ap.Gse);
        Assert.Equal(("CTRL", "gcbStatus"), (gse.LdInst, gse.CbName));
        Assert.Equal(new byte[] { 0x01, 0x0C, 0xCD, 0x01, 0x00, 0x01 }, gse.Address.MacAddress);
        Assert.Equal((ushort)0x1001, gse.Address.AppId);
        Assert.Equal((ushort)0, gse.Address.VlanId);
        Assert.Equal((byte)4, gse.Address.VlanPriority);
        Assert.Equal(10u, gse.MinTime);
        Assert.Equal(2000u, gse.MaxTime);
    }

    [Fact]
    public void Parse_der_unit_reads_ied_services_and_server()
    {
        var doc = SclDocument.Load(SclVectors.DerUnit);
        var ied = Assert.Single(doc.Ieds);
        Assert.Equal(("DER1", "FlexCoop", "DER-Gateway"), (ied.Name, ied.Manufacturer, ied.Type));
        Assert.True(ied.Services.Has("GetDirectory"));
        Assert.False(ied.Services.Has("SetDataSetValueX"));
        Assert.Equal("10", ied.Services.Find("ConfDataSet")!["max"]);
        Assert.Equal("Dyn", ied.Services.Find("ReportSettings")!["optFields"]);
        var server = Assert.Single(ied.AccessPoints).Server!;
        Assert.Equal(SclAuthentication.None | SclAuthentication.Password, server.Authentication);
        Assert.Equal(["CTRL", "PV", "BAT"], server.LDevices.Select(l => l.Inst));
    }

    [Fact]
    public void Parse_der_unit_reads_report_controls_with_trigger_options_and_option_fields()
    {
        var ln0 = SclDocument.Load(SclVectors.DerUnit).Ieds[0].AccessPoints[0].Server!.LDevices[0].Ln0!;
        Assert.True(ln0.IsLn0);
        Assert.Equal("LLN0", ln0.Name);
        var brcb = ln0.ReportControls.Single(r => r.Name == "brcbMeas");
        Assert.True(brcb.Buffered);
        Assert.Equal((100u, 5000u, 1u, 2u), (brcb.BufTime, brcb.IntgPd, brcb.ConfRev, brcb.RptEnabledMax));
        Assert.True(brcb.Indexed);
        Assert.Equal(new SclTrgOps(Dchg: true, Qchg: true, Dupd: false, Period: true, Gi: true), brcb.TrgOps);
        Assert.True(brcb.OptFields.EntryId);
        Assert.False(brcb.OptFields.DataRef);
        Assert.Equal("Measurements", brcb.DatSet);
        var urcb = ln0.ReportControls.Single(r => r.Name == "urcbStatus");
        Assert.False(urcb.Buffered);
        Assert.Equal("dchg qchg gi", urcb.TrgOps.ToString());
        var lcb = Assert.Single(ln0.LogControls);
        Assert.Equal(("EventLog", "LLN0"), (lcb.LogName, lcb.LnClass));
        var gcb = Assert.Single(ln0.GseControls);
        Assert.Equal(("DER1_Status", "GOOSE"), (gcb.AppId, gcb.Type));
        Assert.Equal((2u, 1u, (uint?)60u), (ln0.SettingControl!.NumOfSGs, ln0.SettingControl.ActSG, ln0.SettingControl.ResvTms));
        Assert.Equal(["EventLog"], ln0.Logs);
    }

    [Fact]
    public void Parse_keeps_the_line_and_column_of_elements()
    {
        var doc = SclDocument.Load(SclVectors.Path2007);
        var ld = doc.Ieds[0].AccessPoints[0].Server!.LDevices[0];
        Assert.Equal(SclVectors.LineOf(SclVectors.Path2007, "<LDevice inst=\"LD1\""), ld.Position.Line);
        Assert.Equal(9, ld.Position.Column);
        var mmxu = ld.LogicalNodes.Single(l => l.LnClass == "MMXU");
        Assert.Equal(SclVectors.LineOf(SclVectors.Path2007, "<LN lnClass=\"MMXU\""), mmxu.Position.Line);
        var fcda = ld.Ln0!.DataSets[0].Members[1];
        Assert.Equal(SclVectors.LineOf(SclVectors.Path2007, "daName=\"mag.f\""), fcda.Position.Line);
        var bda = doc.DataTypeTemplates!.DATypes[0].Components[0];
        Assert.Equal(SclVectors.LineOf(SclVectors.Path2007, "<BDA name=\"f\""), bda.Position.Line);
    }

    [Fact]
    public void Parse_2003_file_is_edition_1_and_names_devices_after_the_ied()
    {
        var resolution = SclResolver.Load(SclVectors.Path2003);
        Assert.Empty(resolution.Diagnostics);
        Assert.Null(resolution.Document.Version);
        Assert.False(resolution.Document.IsEdition2);
        var model = Assert.Single(resolution.Ieds);
        Assert.False(model.IsEdition2);
        Assert.Equal(20u, resolution.Document.Ieds[0].AccessPoints[0].Server!.Timeout);
        Assert.Equal(SclAuthentication.None, model.Authentication);
        var ld = Assert.Single(model.LogicalDevices);
        Assert.Equal("E1IEDPROT", ld.Name);
        Assert.Equal("PROT", ld.Inst);
        Assert.NotNull(ld.FindLogicalNode("IPTOC1"));
        // Edition 1 control blocks have no ResvTms or Owner.
        var brcb = model.ReportControlBlocks.Single();
        Assert.Equal("brcbTrips01", brcb.Name);
        Assert.Null(brcb.Attribute("ResvTms"));
        Assert.Null(brcb.Attribute("Owner"));
        Assert.NotNull(brcb.Attribute("EntryID"));
        var sgcb = ld.Lln0!.SettingGroupControlBlock!;
        Assert.Null(sgcb.Attribute("ResvTms"));
        Assert.Equal(2UL, sgcb.Attribute("ActSG")!.Value);
        Assert.Equal(4UL, sgcb.Attribute("NumOfSG")!.Value);
        var gcb = Assert.Single(ld.Lln0.GseControlBlocks);
        Assert.Null(gcb.Attribute("MinTime"));
    }

    [Fact]
    public void Parse_2003_file_applies_setting_group_values_to_both_sg_and_se()
    {
        var model = SclResolver.Load(SclVectors.Path2003).Ieds[0];
        foreach (var fc in new[] { FunctionalConstraint.SG, FunctionalConstraint.SE })
        {
            var f = model.FindAttribute("E1IEDPROT/IPTOC1.StrVal.setMag.f", fc)!;
            Assert.Equal(fc, f.Fc);
            Assert.Equal([100f, 120f, 140f, 160.5f], f.SettingGroupValues.Cast<float>());
            Assert.Equal(100f, f.Value);
        }
        Assert.Null(model.FindAttribute("E1IEDPROT/IPTOC1.StrVal.setMag.f", FunctionalConstraint.SP));
    }

    [Fact]
    public void Parse_2007_file_uses_ldName_and_applies_template_and_instance_values()
    {
        var resolution = SclResolver.Load(SclVectors.Path2007);
        Assert.Empty(resolution.Diagnostics);
        var model = resolution.Ieds[0];
        Assert.True(model.IsEdition2);
        Assert.Equal("SmallLD", model.LogicalDevices[0].Name);
        Assert.Equal(1, model.FindAttribute("SmallLD/LLN0.Mod.stVal", FunctionalConstraint.ST)!.Value);
        Assert.Equal(true, model.FindAttribute("SmallLD/GGIO1.Ind1.stVal", FunctionalConstraint.ST)!.Value);
        Assert.Equal(-12L, model.FindAttribute("SmallLD/GGIO1.Cnt.stVal", FunctionalConstraint.ST)!.Value);
        Assert.Equal("-12", model.FindAttribute("SmallLD/GGIO1.Cnt.stVal", FunctionalConstraint.ST)!.ValueText);
    }

    [Fact]
    public void Sampled_value_control_block_gets_its_address_and_options()
    {
        var model = SclResolver.Load(SclVectors.Path2003).Ieds[0];
        var msv = Assert.Single(model.LogicalDevices[0].Lln0!.SmvControlBlocks);
        Assert.Equal(FunctionalConstraint.MS, msv.Fc);
        Assert.Equal(["SvEna", "MsvID", "DatSet", "ConfRev", "SmpRate", "OptFlds", "SmpMod", "DstAddress", "NoASDU"], msv.Attributes.Select(a => a.Name));
        Assert.Equal("E1IED_SV", msv.Attribute("MsvID")!.Value);
        Assert.Equal(80UL, msv.Attribute("SmpRate")!.Value);
        Assert.Equal("refreshTime sampleSynchronized sampleRate", msv.Attribute("OptFlds")!.Value!.ToString());
        Assert.Equal(0x4001UL, ((DataAttribute)msv.Attribute("DstAddress")!.Child("APPID")!).Value);
        Assert.Equal(new byte[] { 0x01, 0x0C, 0xCD, 0x04, 0x00, 0x01 }, ((DataAttribute)msv.Attribute("DstAddress")!.Child("Addr")!).Value);
        Assert.Equal("E1IEDPROT/LLN0.Trips", msv.DataSet!.Reference);
        var gcb = model.LogicalDevices[0].Lln0!.GseControlBlocks[0];
        Assert.Equal(0x00AUL, ((DataAttribute)gcb.Attribute("DstAddress")!.Child("VID")!).Value);
        Assert.Equal(6UL, ((DataAttribute)gcb.Attribute("DstAddress")!.Child("PRIORITY")!).Value);
    }

    [Fact]
    public void Inputs_keep_their_external_references()
    {
        var ln = SclDocument.Load(SclVectors.Path2003).Ieds[0].AccessPoints[0].Server!.LDevices[0].LogicalNodes[0];
        var extRef = Assert.Single(ln.Inputs);
        Assert.Equal(("E2IED", "PROT", "XCBR", "1", "Pos", "stVal"), (extRef.IedName, extRef.LdInst, extRef.LnClass, extRef.LnInst, extRef.DoName, extRef.DaName));
        Assert.Equal(("BrkPos", "GOOSE"), (extRef.IntAddr, extRef.ServiceType));
    }

    [Fact]
    public void Log_control_without_its_log_and_an_empty_data_set_are_warnings()
    {
        var xml = File.ReadAllText(SclVectors.Path2007).Replace(
            "<DOI name=\"Mod\">",
            "<DataSet name=\"Empty\"/><LogControl name=\"lcb\" logName=\"Missing\"/><DOI name=\"Mod\">", StringComparison.Ordinal);
        var resolution = SclResolver.Resolve(SclDocument.Parse(xml));
        Assert.False(resolution.HasErrors);
        Assert.Equal(2, resolution.Diagnostics.Count(d => d.Severity == SclSeverity.Warning && d.Code == SclDiagnosticCodes.Structure));
        Assert.Contains(resolution.Diagnostics, d => d.Message.Contains("'Missing'", StringComparison.Ordinal));
        Assert.Single(resolution.Ieds[0].LogicalDevices[0].Lln0!.LogControlBlocks);
    }

    [Fact]
    public void Setting_group_number_out_of_range_is_a_bad_attribute()
    {
        var xml = File.ReadAllText(SclVectors.Path2003).Replace("<Val sGroup=\"4\">", "<Val sGroup=\"4000000000\">", StringComparison.Ordinal);
        var resolution = SclResolver.Resolve(SclDocument.Parse(xml));
        var d = Assert.Single(resolution.Diagnostics);
        Assert.Equal(SclDiagnosticCodes.BadAttribute, d.Code);
        var f = resolution.Ieds[0].FindAttribute("E1IEDPROT/IPTOC1.StrVal.setMag.f", FunctionalConstraint.SG)!;
        Assert.Equal(3, f.SettingGroupValues.Count);
    }

    [Fact]
    public void Template_values_are_used_when_no_instance_value_is_given()
    {
        var model = SclResolver.Load(SclVectors.Path2003).Ieds[0];
        var stVal = model.FindAttribute("E1IEDPROT/LLN0.Mod.stVal", FunctionalConstraint.ST)!;
        Assert.Equal(1L, stVal.Value);
        Assert.Equal(BasicType.INT32, stVal.BasicType);
    }

    [Fact]
    public void Root_without_namespace_is_read_with_a_warning()
    {
        var xml = File.ReadAllText(SclVectors.Path2007).Replace(" xmlns=\"http://www.iec.ch/61850/2003/SCL\"", "", StringComparison.Ordinal);
        var resolution = SclResolver.Resolve(SclDocument.Parse(xml));
        var d = Assert.Single(resolution.Diagnostics);
        Assert.Equal((SclSeverity.Warning, SclDiagnosticCodes.Namespace), (d.Severity, d.Code));
        Assert.False(resolution.HasErrors);
        Assert.Equal(3, resolution.Ieds[0].LogicalNodeCount);
    }

    [Fact]
    public void Elements_of_other_namespaces_are_ignored()
    {
        var xml = File.ReadAllText(SclVectors.Path2007).Replace(
            "<Header id=\"Small2007\" version=\"1\" revision=\"0\"/>",
            "<Header id=\"Small2007\" version=\"1\" revision=\"0\"/><x:IED xmlns:x=\"urn:vendor\" name=\"Hidden\"/>", StringComparison.Ordinal);
        var doc = SclDocument.Parse(xml);
        Assert.Empty(doc.Diagnostics);
        Assert.Equal(["IED1"], doc.Ieds.Select(i => i.Name));
    }

    [Fact]
    public void Ied_option_selects_one_ied_and_an_unknown_name_is_an_error()
    {
        var doc = SclDocument.Load(SclVectors.DerUnit);
        Assert.Equal("DER1", Assert.Single(SclResolver.Resolve(doc, "DER1").Ieds).Name);
        var none = SclResolver.Resolve(doc, "NOPE");
        Assert.Empty(none.Ieds);
        Assert.True(none.HasErrors);
        Assert.Contains("NOPE", none.Diagnostics.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scd_with_two_ieds_gives_two_models_and_a_duplicate_ied_name_is_an_error()
    {
        var xml = File.ReadAllText(SclVectors.Path2007);
        var start = xml.IndexOf("  <IED ", StringComparison.Ordinal);
        var end = xml.IndexOf("</IED>", StringComparison.Ordinal) + "</IED>\n".Length;
        var ied = xml[start..end];
        var scd = xml.Insert(end, ied.Replace("name=\"IED1\"", "name=\"IED2\"", StringComparison.Ordinal).Replace("ldName=\"SmallLD\"", "", StringComparison.Ordinal));
        var resolution = SclResolver.Resolve(SclDocument.Parse(scd));
        Assert.Empty(resolution.Diagnostics);
        Assert.Equal(["IED1", "IED2"], resolution.Ieds.Select(i => i.Name));
        Assert.Equal("IED2LD1", resolution.FindIed("IED2")!.LogicalDevices[0].Name);
        Assert.NotNull(resolution.FindIed("IED2")!.FindAttribute("IED2LD1/GGIO1.Ind1.stVal", FunctionalConstraint.ST));
        Assert.Equal("IED2", Assert.Single(SclResolver.Resolve(SclDocument.Parse(scd), "IED2").Ieds).Name);

        var twice = SclDocument.Parse(xml.Insert(end, ied));
        var d = Assert.Single(twice.Diagnostics);
        Assert.Equal(SclDiagnosticCodes.Duplicate, d.Code);
        Assert.Equal(xml[..end].Count(c => c == '\n') + 1, d.Line);
    }

    [Fact]
    public void Diagnostic_prints_like_a_compiler_message()
    {
        var d = new SclDiagnostic(SclSeverity.Error, SclDiagnosticCodes.UnknownDOType, "DO 'X' has type 'Y', which is no DOType", 12, 7);
        Assert.Equal("12:7: error unknown-dotype: DO 'X' has type 'Y', which is no DOType", d.ToString());
    }
}
