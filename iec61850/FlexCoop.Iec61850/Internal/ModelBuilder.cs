using FlexCoop.Iec61850.Model;
using FlexCoop.Iec61850.Scl;

namespace FlexCoop.Iec61850.Internal;

/// <summary>Builds <see cref="IedModel"/>s from an <see cref="SclDocument"/>; one instance per resolution.</summary>
internal sealed class ModelBuilder
{
    private readonly SclDocument _document;
    private readonly SclLimits _limits;
    private readonly List<SclDiagnostic> _diagnostics = [];
    private readonly HashSet<(string Code, int Line, int Column)> _reported = [];
    private readonly Dictionary<string, SclLNodeType> _lnodeTypes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SclDOType> _doTypes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SclDAType> _daTypes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SclEnumType> _enumTypes = new(StringComparer.Ordinal);
    private readonly List<string> _doTypeStack = [];

    // References of nodes left out because of a defect already reported (an unknown type, a bad fc):
    // instance values and FCDAs that point into them are not reported a second time.
    private readonly HashSet<string> _unbuilt = new(StringComparer.Ordinal);
    private readonly List<string> _daTypeStack = [];
    private IedModel _model = null!;
    private int _instanceNodes;

    public ModelBuilder(SclDocument document, SclLimits limits)
    {
        _document = document;
        _limits = limits;
        if (document.DataTypeTemplates is { } t)
        {
            // The first definition wins; duplicates were reported by the parser.
            foreach (var x in t.LNodeTypes) _lnodeTypes.TryAdd(x.Id, x);
            foreach (var x in t.DOTypes) _doTypes.TryAdd(x.Id, x);
            foreach (var x in t.DATypes) _daTypes.TryAdd(x.Id, x);
            foreach (var x in t.EnumTypes) _enumTypes.TryAdd(x.Id, x);
        }
    }

    public SclResolution Build(string? iedName)
    {
        var models = new List<IedModel>();
        if (iedName is not null)
        {
            if (_document.FindIed(iedName) is { } ied)
            {
                if (BuildIed(ied) is { } m) models.Add(m);
            }
            else
            {
                Error(SclDiagnosticCodes.Structure, $"the file has no IED named '{iedName}' (it has: {string.Join(", ", _document.Ieds.Select(i => i.Name))})", new SclPosition(1, 1));
            }
        }
        else
        {
            foreach (var ied in _document.Ieds)
            {
                if (BuildIed(ied) is { } m) models.Add(m);
            }
        }
        var all = _document.Diagnostics.Concat(_diagnostics)
            .OrderBy(d => d.Line).ThenBy(d => d.Column)
            .ToList();
        return new SclResolution(_document, models, all);
    }

    // ---- IED, LD, LN ----

    private IedModel? BuildIed(SclIed ied)
    {
        var ap = ied.AccessPoints.FirstOrDefault(a => a.Server is not null);
        if (ap?.Server is null)
        {
            // An IED that only reaches another's server (ServerAt), or a client-only IED, has no model of its own.
            if (ied.AccessPoints.Count == 0 || ied.AccessPoints.All(a => a.ServerAt is null))
            {
                Warn(SclDiagnosticCodes.Structure, $"IED '{ied.Name}' has no AccessPoint with a Server; it has no data model", ied.Position);
            }
            return null;
        }
        var server = ap.Server;
        _instanceNodes = 0;
        _model = new IedModel(ied, ap.Name, server, _document.Communication?.FindConnectedAP(ied.Name, ap.Name), _document.IsEdition2);
        if (server.LDevices.Count == 0) Error(SclDiagnosticCodes.Structure, $"the Server of IED '{ied.Name}' has no LDevice", server.Position);

        var byInst = new Dictionary<string, LogicalDevice>(StringComparer.Ordinal);
        foreach (var sld in server.LDevices)
        {
            var name = sld.LdName ?? ied.Name + sld.Inst;
            if (name.Length > 64) Error(SclDiagnosticCodes.BadAttribute, $"the logical device name '{name}' is longer than 64 characters", sld.Position);
            if (_model.FindLogicalDevice(name) is not null)
            {
                Error(SclDiagnosticCodes.Duplicate, $"two logical devices are named '{name}'", sld.Position);
                continue;
            }
            if (byInst.ContainsKey(sld.Inst)) continue; // reported by the parser
            var ld = new LogicalDevice(name, sld.Inst, _model, sld);
            _model.Add(ld);
            _model.Index(ld);
            byInst[sld.Inst] = ld;
            if (sld.Ln0 is not null) BuildLogicalNode(ld, sld.Ln0);
            foreach (var sln in sld.LogicalNodes) BuildLogicalNode(ld, sln);
        }

        // Data sets may point into other logical devices of the IED, so they are bound once every LD exists.
        foreach (var ld in _model.LogicalDevices)
        {
            foreach (var ln in ld.LogicalNodes) BindDataSets(ln, byInst);
        }
        foreach (var ld in _model.LogicalDevices)
        {
            foreach (var ln in ld.LogicalNodes) BindControlBlocks(ln, byInst);
        }
        return _model;
    }

    private void BuildLogicalNode(LogicalDevice ld, SclLogicalNode sln)
    {
        if (ld.Child(sln.Name) is not null) return; // duplicate, reported by the parser
        var ln = new LogicalNode(ld, sln);
        ld.AddChild(ln);
        _model.Index(ln);
        if (sln.LnType.Length == 0)
        {
            _unbuilt.Add(ln.Reference); // missing, reported by the parser
            return;
        }
        if (!_lnodeTypes.TryGetValue(sln.LnType, out var type))
        {
            _unbuilt.Add(ln.Reference);
            Error(SclDiagnosticCodes.UnknownLNodeType, $"{(sln.IsLn0 ? "LN0" : "LN")} '{sln.Name}' has lnType '{sln.LnType}', which is no LNodeType", sln.Position);
            return;
        }
        if (!string.Equals(type.LnClass, sln.LnClass, StringComparison.Ordinal))
        {
            Warn(SclDiagnosticCodes.BadAttribute, $"LN '{sln.Name}' is of class {sln.LnClass} but its LNodeType '{type.Id}' is for class {type.LnClass}", sln.Position);
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in type.DataObjects)
        {
            if (!names.Add(d.Name)) continue; // duplicate, reported by the parser
            BuildDataObject(ln, d.Name, d.Type, 0, d.Transient, d.Position, "DO");
        }
        foreach (var doi in sln.Dois)
        {
            if (ln.FindDataObject(doi.Name) is not { } target)
            {
                if (IsUnbuilt(ln, doi.Name)) continue;
                Error(SclDiagnosticCodes.UnresolvedInstance, $"DOI '{doi.Name}' names no data object of LNodeType '{type.Id}'", doi.Position);
                continue;
            }
            ApplyInstance(target, doi.Sdis, doi.Dais);
        }
    }

    // ---- type expansion ----

    private void CountNode(SclPosition position)
    {
        if (++_instanceNodes > _limits.MaxInstanceNodes)
        {
            throw new SclException("limits", $"IED '{_model.Name}' expands to more than {_limits.MaxInstanceNodes} data objects and attributes", position.Line, position.Column);
        }
    }

    private void BuildDataObject(ModelNode parent, string name, string typeId, uint count, bool transient, SclPosition position, string what)
    {
        var reference = Reference(parent, name);
        if (typeId.Length == 0)
        {
            _unbuilt.Add(reference); // missing, reported by the parser
            return;
        }
        if (!_doTypes.TryGetValue(typeId, out var type))
        {
            _unbuilt.Add(reference);
            Error(SclDiagnosticCodes.UnknownDOType, $"{what} '{name}' has type '{typeId}', which is no DOType", position);
            return;
        }
        if (_doTypeStack.Contains(typeId, StringComparer.Ordinal))
        {
            _unbuilt.Add(reference);
            Error(SclDiagnosticCodes.TypeCycle, $"{what} '{name}' of DOType '{typeId}' is inside DOType '{typeId}' itself ({string.Join(" > ", _doTypeStack)} > {typeId})", position);
            return;
        }
        if (_doTypeStack.Count + _daTypeStack.Count >= _limits.MaxTypeDepth)
        {
            throw new SclException("limits", $"types nested deeper than {_limits.MaxTypeDepth}", position.Line, position.Column);
        }
        CountNode(position);
        var obj = new DataObject(name, parent, type.Cdc, typeId, count, transient, position);
        parent.AddChild(obj);
        _model.Index(obj);
        _model.DataObjectCount++;
        _doTypeStack.Add(typeId);
        foreach (var member in type.Members)
        {
            if (IsDuplicate(obj, member)) continue; // reported by the parser
            switch (member)
            {
                case SclSdo sdo:
                    BuildDataObject(obj, sdo.Name, sdo.Type, sdo.Count, false, sdo.Position, "SDO");
                    break;
                case SclDa da:
                    if (!FunctionalConstraints.TryParse(da.Fc, out var fc) || !fc.IsData())
                    {
                        _unbuilt.Add(Reference(obj, da.Name));
                        Error(SclDiagnosticCodes.BadAttribute, $"DA '{da.Name}' has fc '{da.Fc}', which is not a functional constraint of data", da.Position);
                        break;
                    }
                    var trg = (da.Dchg ? TriggerOptions.DataChange : 0) | (da.Qchg ? TriggerOptions.QualityChange : 0) | (da.Dupd ? TriggerOptions.DataUpdate : 0);
                    BuildAttribute(obj, da, fc, trg, "DA");
                    break;
            }
        }
        _doTypeStack.RemoveAt(_doTypeStack.Count - 1);
        obj.ComputeFcMask();
    }

    private static bool IsDuplicate(DataObject obj, SclTemplateMember member)
    {
        foreach (var c in obj.ChildList)
        {
            if (!string.Equals(c.Name, member.Name, StringComparison.Ordinal)) continue;
            if (member is SclDa da && c is DataAttribute a && !string.Equals(a.Fc.ToString(), da.Fc, StringComparison.Ordinal)) continue;
            return true;
        }
        return false;
    }

    private void BuildAttribute(ModelNode parent, SclAttributeDefinition def, FunctionalConstraint fc, TriggerOptions trg, string what)
    {
        if (!BasicTypes.TryParse(def.BType, out var bType))
        {
            _unbuilt.Add(Reference(parent, def.Name));
            Error(SclDiagnosticCodes.BadAttribute, $"{what} '{def.Name}' has bType '{def.BType}', which is not a basic type", def.Position);
            return;
        }
        SclEnumType? enumType = null;
        SclDAType? daType = null;
        if (bType == BasicType.Enum)
        {
            if (def.Type is null)
            {
                Error(SclDiagnosticCodes.MissingAttribute, $"{what} '{def.Name}' of bType Enum has no 'type'", def.Position);
            }
            else if (!_enumTypes.TryGetValue(def.Type, out enumType))
            {
                Error(SclDiagnosticCodes.UnknownEnumType, $"{what} '{def.Name}' has type '{def.Type}', which is no EnumType", def.Position);
            }
        }
        else if (bType == BasicType.Struct)
        {
            if (def.Type is null)
            {
                _unbuilt.Add(Reference(parent, def.Name));
                Error(SclDiagnosticCodes.MissingAttribute, $"{what} '{def.Name}' of bType Struct has no 'type'", def.Position);
                return;
            }
            if (!_daTypes.TryGetValue(def.Type, out daType))
            {
                _unbuilt.Add(Reference(parent, def.Name));
                Error(SclDiagnosticCodes.UnknownDAType, $"{what} '{def.Name}' has type '{def.Type}', which is no DAType", def.Position);
                return;
            }
            if (_daTypeStack.Contains(def.Type, StringComparer.Ordinal))
            {
                _unbuilt.Add(Reference(parent, def.Name));
                Error(SclDiagnosticCodes.TypeCycle, $"{what} '{def.Name}' of DAType '{def.Type}' is inside DAType '{def.Type}' itself ({string.Join(" > ", _daTypeStack)} > {def.Type})", def.Position);
                return;
            }
            if (_doTypeStack.Count + _daTypeStack.Count >= _limits.MaxTypeDepth)
            {
                throw new SclException("limits", $"types nested deeper than {_limits.MaxTypeDepth}", def.Position.Line, def.Position.Column);
            }
        }
        CountNode(def.Position);
        var attribute = new DataAttribute(def.Name, parent, fc, bType, def.Position)
        {
            TypeId = def.Type,
            EnumType = enumType,
            Count = def.Count,
            TriggerOptions = trg,
            ValKind = def.ValKind,
            SAddr = def.SAddr,
        };
        parent.AddChild(attribute);
        _model.Index(attribute);
        _model.DataAttributeCount++;
        if (daType is not null)
        {
            _daTypeStack.Add(daType.Id);
            foreach (var bda in daType.Components)
            {
                if (attribute.Child(bda.Name) is not null) continue;
                BuildAttribute(attribute, bda, fc, trg, "BDA");
            }
            _daTypeStack.RemoveAt(_daTypeStack.Count - 1);
            if (def.Values.Count > 0) Error(SclDiagnosticCodes.BadValue, $"{what} '{def.Name}' is a structure and cannot have a Val", def.Values[0].Position);
        }
        else if (def.Values.Count > 0)
        {
            ApplyValues(attribute, def.Values);
        }
    }

    // ---- instance values ----

    private void ApplyInstance(ModelNode node, IReadOnlyList<SclSdi> sdis, IReadOnlyList<SclDai> dais)
    {
        // A name may stand for two attributes (setMag with FC SG and with FC SE): an instance value applies to both.
        foreach (var sdi in sdis)
        {
            var found = false;
            foreach (var child in node.ChildList)
            {
                if (!string.Equals(child.Name, sdi.Name, StringComparison.Ordinal)) continue;
                if (child is DataObject || child is DataAttribute { IsStructure: true })
                {
                    found = true;
                    ApplyInstance(child, sdi.Sdis, sdi.Dais);
                }
            }
            if (!found && !IsUnbuilt(node, sdi.Name))
            {
                Error(SclDiagnosticCodes.UnresolvedInstance, $"SDI '{sdi.Name}' names no sub data object or structure of '{node.Reference}'", sdi.Position);
            }
        }
        foreach (var dai in dais)
        {
            var found = false;
            foreach (var child in node.ChildList)
            {
                if (child is not DataAttribute attribute || !string.Equals(child.Name, dai.Name, StringComparison.Ordinal)) continue;
                found = true;
                if (dai.SAddr is not null) attribute.SAddr = dai.SAddr;
                if (dai.ValKind is not null) attribute.ValKind = dai.ValKind;
                if (dai.Values.Count == 0) continue;
                if (attribute.IsStructure)
                {
                    Error(SclDiagnosticCodes.BadValue, $"DAI '{dai.Name}' is a structure and cannot have a Val; use SDI and DAI for its components", dai.Values[0].Position);
                    continue;
                }
                ApplyValues(attribute, dai.Values);
            }
            if (!found && !IsUnbuilt(node, dai.Name))
            {
                Error(SclDiagnosticCodes.UnresolvedInstance, $"DAI '{dai.Name}' names no attribute of '{node.Reference}'", dai.Position);
            }
        }
    }

    private void ApplyValues(DataAttribute attribute, IReadOnlyList<SclVal> values)
    {
        var parsed = new List<object?>(values.Count);
        var ok = true;
        foreach (var val in values)
        {
            if (ValueParser.TryParse(attribute.BasicType, val.Text, attribute.EnumType, out var v, out var error))
            {
                parsed.Add(v);
            }
            else
            {
                if (attribute.BasicType != BasicType.Enum || attribute.EnumType is not null)
                {
                    Error(SclDiagnosticCodes.BadValue, $"Val of '{attribute.Name}': {error}", val.Position);
                }
                parsed.Add(null);
                ok = false;
            }
        }
        // Arrays: the values of elements are validated above but not kept; the attribute has no single value.
        if (attribute.Count > 0) return;
        var groups = new List<object?>();
        object? plain = null;
        string? plainText = null;
        var hasPlain = false;
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i].SGroup is { } g and > 0)
            {
                while (groups.Count < g) groups.Add(null);
                groups[(int)g - 1] = parsed[i];
            }
            else if (!hasPlain)
            {
                hasPlain = true;
                plain = parsed[i];
                plainText = values[i].Text;
            }
        }
        if (!hasPlain && groups.Count > 0)
        {
            var first = values.First(v => v.SGroup is > 0);
            plain = groups[(int)first.SGroup!.Value - 1];
            plainText = first.Text;
        }
        if (!ok && plain is null) return;
        attribute.Value = plain;
        attribute.ValueText = plainText;
        if (groups.Count > 0) attribute.SettingGroupValues = groups;
    }

    // ---- data sets ----

    private void BindDataSets(LogicalNode ln, Dictionary<string, LogicalDevice> byInst)
    {
        if (ln.Source.DataSets.Count == 0) return;
        var sets = new List<DataSet>();
        foreach (var sds in ln.Source.DataSets)
        {
            if (sets.Any(s => string.Equals(s.Name, sds.Name, StringComparison.Ordinal))) continue; // duplicate, reported
            var members = new List<DataSetMember>(sds.Members.Count);
            foreach (var fcda in sds.Members)
            {
                if (ResolveFcda(fcda, ln.LogicalDevice, byInst) is { } m) members.Add(m);
            }
            if (sds.Members.Count == 0) Warn(SclDiagnosticCodes.Structure, $"DataSet '{sds.Name}' has no members", sds.Position);
            var ds = new DataSet(ln, sds, members);
            sets.Add(ds);
            _model.Index(ds);
        }
        ln.DataSets = sets;
    }

    private DataSetMember? ResolveFcda(SclFcda fcda, LogicalDevice home, Dictionary<string, LogicalDevice> byInst)
    {
        if (!FunctionalConstraints.TryParse(fcda.Fc, out var fc) || !fc.IsData())
        {
            Error(SclDiagnosticCodes.BadAttribute, $"FCDA {fcda} has fc '{fcda.Fc}', which is not a functional constraint of data", fcda.Position);
            return null;
        }
        string? Fail(string why, ModelNode? at = null, string? child = null)
        {
            if (at is not null && child is not null && IsUnbuilt(at, child)) return null;
            Error(SclDiagnosticCodes.UnresolvedFcda, $"FCDA {fcda} designates nothing: {why}", fcda.Position);
            return null;
        }
        if (fcda.LdInst is null) { Fail("it has no ldInst"); return null; }
        if (fcda.LnClass is null) { Fail("it has no lnClass"); return null; }
        if (fcda.DoName is null) { Fail("it has no doName"); return null; }
        if (!byInst.TryGetValue(fcda.LdInst, out var ld)) { Fail($"the IED has no LDevice inst '{fcda.LdInst}'"); return null; }
        var lnName = string.Equals(fcda.LnClass, "LLN0", StringComparison.Ordinal) ? "LLN0" : fcda.Prefix + fcda.LnClass + fcda.LnInst;
        if (ld.FindLogicalNode(lnName) is not { } ln) { Fail($"LDevice '{fcda.LdInst}' has no LN '{lnName}'", ld, lnName); return null; }
        ModelNode node = ln;
        foreach (var part in fcda.DoName.Split('.'))
        {
            if (node.Child(StripIndex(part)) is not DataObject d) { Fail($"'{node.Reference}' has no data object '{part}'", node, StripIndex(part)); return null; }
            node = d;
        }
        if (fcda.DaName is { Length: > 0 })
        {
            foreach (var part in fcda.DaName.Split('.'))
            {
                var name = StripIndex(part);
                var candidates = node.ChildList.OfType<DataAttribute>().Where(a => string.Equals(a.Name, name, StringComparison.Ordinal)).ToList();
                if (candidates.Count == 0) { Fail($"'{node.Reference}' has no attribute '{part}'", node, name); return null; }
                node = candidates.FirstOrDefault(a => a.Fc == fc) ?? candidates[0];
            }
            var attribute = (DataAttribute)node;
            if (attribute.Fc != fc) { Fail($"'{attribute.Reference}' has functional constraint {attribute.Fc}, not {fc}"); return null; }
        }
        else if (!((DataObject)node).HasFc(fc))
        {
            Fail($"'{node.Reference}' has no attribute of functional constraint {fc}");
            return null;
        }
        return new DataSetMember(fcda, fc, node, IedModel.GetAttributes(node, fc).ToArray());
    }

    private static string Reference(ModelNode parent, string name) =>
        parent is LogicalDevice ? parent.Reference + "/" + name : parent.Reference + "." + name;

    private bool IsUnbuilt(ModelNode node, string child) =>
        _unbuilt.Count > 0 && (_unbuilt.Contains(node.Reference) || _unbuilt.Contains(Reference(node, child)));

    private static string StripIndex(string part)
    {
        var i = part.IndexOf('(', StringComparison.Ordinal);
        return i < 0 ? part : part[..i];
    }

    // ---- control blocks ----

    private DataSet? FindDataSet(LogicalNode ln, string? name, string what, string cbName, SclPosition position)
    {
        if (name is null) return null;
        if (ln.FindDataSet(name) is { } ds) return ds;
        Error(SclDiagnosticCodes.UnknownDataSet, $"{what} '{cbName}' has datSet '{name}', which is no DataSet of {ln.Name}", position);
        return null;
    }

    private void BindControlBlocks(LogicalNode ln, Dictionary<string, LogicalDevice> byInst)
    {
        var src = ln.Source;
        var ed2 = _model.IsEdition2;
        if (src.ReportControls.Count > 0)
        {
            var rcbs = new List<ReportControlBlock>();
            foreach (var rc in src.ReportControls)
            {
                var ds = FindDataSet(ln, rc.DatSet, "ReportControl", rc.Name, rc.Position);
                for (var i = 1; i <= rc.RptEnabledMax; i++)
                {
                    var name = rc.Indexed ? rc.Name + i.ToString("00", System.Globalization.CultureInfo.InvariantCulture) : rc.Name;
                    if (ln.Child(name) is not null)
                    {
                        Error(SclDiagnosticCodes.Duplicate, $"report control block instance '{name}' clashes with another name in {ln.Name}", rc.Position);
                        break;
                    }
                    var rcb = new ReportControlBlock(name, ln, rc, ds);
                    AddReportAttributes(rcb, rc, ds, ed2);
                    Attach(ln, rcb);
                    rcbs.Add(rcb);
                    if (!rc.Indexed) break;
                }
                if (!rc.Indexed && rc.RptEnabledMax > 1)
                {
                    Warn(SclDiagnosticCodes.Structure, $"ReportControl '{rc.Name}' is not indexed, so only one of its {rc.RptEnabledMax} instances can exist", rc.Position);
                }
            }
            ln.ReportControlBlocks = rcbs;
        }
        if (src.LogControls.Count > 0)
        {
            var lcbs = new List<LogControlBlock>();
            foreach (var lc in src.LogControls)
            {
                if (ln.Child(lc.Name) is not null) { Error(SclDiagnosticCodes.Duplicate, $"LogControl '{lc.Name}' clashes with another name in {ln.Name}", lc.Position); continue; }
                var ds = FindDataSet(ln, lc.DatSet, "LogControl", lc.Name, lc.Position);
                var ld = lc.LdInst is null ? ln.LogicalDevice : byInst.GetValueOrDefault(lc.LdInst);
                var logLnName = string.Equals(lc.LnClass, "LLN0", StringComparison.Ordinal) ? "LLN0" : lc.Prefix + lc.LnClass + lc.LnInst;
                var logLn = ld?.FindLogicalNode(logLnName);
                if (logLn is null || !logLn.Logs.Contains(lc.LogName, StringComparer.Ordinal))
                {
                    Warn(SclDiagnosticCodes.Structure, $"LogControl '{lc.Name}' writes to log '{lc.LogName}' of {(ld?.Name ?? lc.LdInst)}/{logLnName}, which has no Log of that name", lc.Position);
                }
                var lcb = new LogControlBlock(ln, lc, ds);
                Add(lcb, "LogEna", BasicType.BOOLEAN, lc.LogEna);
                Add(lcb, "LogRef", BasicType.ObjRef, $"{ld?.Name ?? lc.LdInst}/{logLnName}${lc.LogName}");
                Add(lcb, "DatSet", BasicType.ObjRef, ds?.Reference ?? "");
                Add(lcb, "OldEntrTm", BasicType.EntryTime, null);
                Add(lcb, "NewEntrTm", BasicType.EntryTime, null);
                Add(lcb, "OldEntr", BasicType.EntryID, new byte[8]);
                Add(lcb, "NewEntr", BasicType.EntryID, new byte[8]);
                Add(lcb, "TrgOps", BasicType.TrgOps, lc.TrgOps);
                Add(lcb, "IntgPd", BasicType.INT32U, (ulong)lc.IntgPd);
                Attach(ln, lcb);
                lcbs.Add(lcb);
            }
            ln.LogControlBlocks = lcbs;
        }
        if (src.GseControls.Count > 0)
        {
            var gcbs = new List<GseControlBlock>();
            foreach (var gc in src.GseControls)
            {
                if (ln.Child(gc.Name) is not null) { Error(SclDiagnosticCodes.Duplicate, $"GSEControl '{gc.Name}' clashes with another name in {ln.Name}", gc.Position); continue; }
                var ds = FindDataSet(ln, gc.DatSet, "GSEControl", gc.Name, gc.Position);
                var address = _model.ConnectedAP?.Gse.FirstOrDefault(g =>
                    string.Equals(g.LdInst, ln.LogicalDevice.Inst, StringComparison.Ordinal) && string.Equals(g.CbName, gc.Name, StringComparison.Ordinal));
                var gcb = new GseControlBlock(ln, gc, ds, address);
                Add(gcb, "GoEna", BasicType.BOOLEAN, false);
                Add(gcb, "GoID", BasicType.VisString129, gc.AppId);
                Add(gcb, "DatSet", BasicType.ObjRef, ds?.Reference ?? "");
                Add(gcb, "ConfRev", BasicType.INT32U, (ulong)gc.ConfRev);
                Add(gcb, "NdsCom", BasicType.BOOLEAN, false);
                AddDstAddress(gcb, address?.Address);
                if (ed2)
                {
                    Add(gcb, "MinTime", BasicType.INT32U, address?.MinTime is { } min ? (ulong)min : null);
                    Add(gcb, "MaxTime", BasicType.INT32U, address?.MaxTime is { } max ? (ulong)max : null);
                    Add(gcb, "FixedOffs", BasicType.BOOLEAN, gc.FixedOffs);
                }
                Attach(ln, gcb);
                gcbs.Add(gcb);
            }
            ln.GseControlBlocks = gcbs;
        }
        if (src.SmvControls.Count > 0)
        {
            var scbs = new List<SmvControlBlock>();
            foreach (var sc in src.SmvControls)
            {
                if (ln.Child(sc.Name) is not null) { Error(SclDiagnosticCodes.Duplicate, $"SampledValueControl '{sc.Name}' clashes with another name in {ln.Name}", sc.Position); continue; }
                var ds = FindDataSet(ln, sc.DatSet, "SampledValueControl", sc.Name, sc.Position);
                var address = _model.ConnectedAP?.Smv.FirstOrDefault(g =>
                    string.Equals(g.LdInst, ln.LogicalDevice.Inst, StringComparison.Ordinal) && string.Equals(g.CbName, sc.Name, StringComparison.Ordinal));
                var scb = new SmvControlBlock(ln, sc, ds, address);
                Add(scb, "SvEna", BasicType.BOOLEAN, false);
                if (!sc.Multicast) Add(scb, "Resv", BasicType.BOOLEAN, false);
                Add(scb, sc.Multicast ? "MsvID" : "UsvID", BasicType.VisString129, sc.SmvId);
                Add(scb, "DatSet", BasicType.ObjRef, ds?.Reference ?? "");
                Add(scb, "ConfRev", BasicType.INT32U, (ulong)sc.ConfRev);
                Add(scb, "SmpRate", BasicType.INT16U, (ulong)sc.SmpRate);
                Add(scb, "OptFlds", BasicType.SvOptFlds, sc.SmvOpts);
                Add(scb, "SmpMod", BasicType.Enum, sc.SmpMod switch { "SmpPerSec" => 1, "SecPerSmp" => 2, _ => 0 });
                AddDstAddress(scb, address?.Address);
                Add(scb, "NoASDU", BasicType.INT16U, (ulong)sc.NofAsdu);
                Attach(ln, scb);
                scbs.Add(scb);
            }
            ln.SmvControlBlocks = scbs;
        }
        if (src.SettingControl is { } sgc)
        {
            var sgcb = new SettingGroupControlBlock(ln, sgc);
            Add(sgcb, "NumOfSG", BasicType.INT8U, (ulong)sgc.NumOfSGs);
            Add(sgcb, "ActSG", BasicType.INT8U, (ulong)sgc.ActSG);
            Add(sgcb, "EditSG", BasicType.INT8U, 0UL);
            Add(sgcb, "CnfEdit", BasicType.BOOLEAN, false);
            Add(sgcb, "LActTm", BasicType.Timestamp, null);
            if (ed2) Add(sgcb, "ResvTms", BasicType.INT16U, sgc.ResvTms is { } r ? (ulong)r : 0UL);
            Attach(ln, sgcb);
            ln.SettingGroupControlBlock = sgcb;
        }
    }

    private void AddReportAttributes(ReportControlBlock rcb, SclReportControl rc, DataSet? ds, bool ed2)
    {
        Add(rcb, "RptID", BasicType.VisString129, rc.RptId ?? "");
        Add(rcb, "RptEna", BasicType.BOOLEAN, false);
        if (!rc.Buffered) Add(rcb, "Resv", BasicType.BOOLEAN, false);
        Add(rcb, "DatSet", BasicType.ObjRef, ds?.Reference ?? "");
        Add(rcb, "ConfRev", BasicType.INT32U, (ulong)rc.ConfRev);
        Add(rcb, "OptFlds", BasicType.OptFlds, rc.OptFields);
        Add(rcb, "BufTm", BasicType.INT32U, (ulong)rc.BufTime);
        Add(rcb, "SqNum", rc.Buffered ? BasicType.INT16U : BasicType.INT8U, 0UL);
        Add(rcb, "TrgOps", BasicType.TrgOps, rc.TrgOps);
        Add(rcb, "IntgPd", BasicType.INT32U, (ulong)rc.IntgPd);
        Add(rcb, "GI", BasicType.BOOLEAN, false);
        if (rc.Buffered)
        {
            Add(rcb, "PurgeBuf", BasicType.BOOLEAN, false);
            Add(rcb, "EntryID", BasicType.EntryID, new byte[8]);
            Add(rcb, "TimeofEntry", BasicType.EntryTime, null);
            if (ed2) Add(rcb, "ResvTms", BasicType.INT16, 0L);
        }
        if (ed2) Add(rcb, "Owner", BasicType.Octet64, null);
    }

    private void AddDstAddress(ControlBlock cb, SclAddress? address)
    {
        var dst = Add(cb, "DstAddress", BasicType.PhyComAddr, null);
        Add(dst, "Addr", BasicType.Octet6, address?.MacAddress ?? new byte[6]);
        Add(dst, "PRIORITY", BasicType.INT8U, (ulong)(address?.VlanPriority ?? 4));
        Add(dst, "VID", BasicType.INT16U, (ulong)(address?.VlanId ?? 0));
        Add(dst, "APPID", BasicType.INT16U, (ulong)(address?.AppId ?? 0));
    }

    private DataAttribute Add(ModelNode parent, string name, BasicType type, object? value)
    {
        var fc = parent is ControlBlock cb ? cb.Fc : ((DataAttribute)parent).Fc;
        var attribute = new DataAttribute(name, parent, fc, type, parent.Position) { Value = value };
        parent.AddChild(attribute);
        return attribute;
    }

    private void Attach(LogicalNode ln, ControlBlock cb)
    {
        ln.AddChild(cb);
        _model.Index(cb);
        foreach (var a in cb.ChildList)
        {
            _model.Index(a);
            foreach (var c in a.ChildList) _model.Index(c);
        }
    }

    // ---- diagnostics ----

    private void Error(string code, string message, SclPosition position) => Report(SclSeverity.Error, code, message, position);

    private void Warn(string code, string message, SclPosition position) => Report(SclSeverity.Warning, code, message, position);

    private void Report(SclSeverity severity, string code, string message, SclPosition position)
    {
        // Templates are expanded once per instance; a defect in a type is reported once.
        if (_reported.Add((code, position.Line, position.Column)))
        {
            _diagnostics.Add(new SclDiagnostic(severity, code, message, position.Line, position.Column));
        }
    }
}
