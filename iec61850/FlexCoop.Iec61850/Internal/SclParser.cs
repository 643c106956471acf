using System.Globalization;
using System.Text;
using FlexCoop.Iec61850.Scl;

namespace FlexCoop.Iec61850.Internal;

/// <summary>Maps the element tree of an SCL file onto the typed <see cref="SclDocument"/> records.</summary>
internal sealed class SclParser
{
    /// <summary>The SCL namespace of both editions.</summary>
    public const string Namespace = "http://www.iec.ch/61850/2003/SCL";

    private readonly List<SclDiagnostic> _diagnostics = [];
    private string _ns = Namespace;

    public static SclDocument Load(string path, SclLimits? limits)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024);
        return Load(stream, limits) with { Source = path };
    }

    public static SclDocument Load(Stream stream, SclLimits? limits)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);
        return Read(reader, limits);
    }

    public static SclDocument Parse(string xml, SclLimits? limits)
    {
        ArgumentNullException.ThrowIfNull(xml);
        using var reader = new StringReader(xml);
        return Read(reader, limits);
    }

    private static SclDocument Read(TextReader reader, SclLimits? limits)
    {
        var root = XmlLiteElement.Load(reader, (limits ?? SclLimits.Default).Validated());
        return new SclParser().ReadDocument(root);
    }

    private SclDocument ReadDocument(XmlLiteElement root)
    {
        if (!string.Equals(root.Name, "SCL", StringComparison.Ordinal))
        {
            throw new SclException("scl", $"the root element is '{root.Name}', not 'SCL'", root.Line, root.Column);
        }
        _ns = root.Namespace;
        if (!string.Equals(root.Namespace, Namespace, StringComparison.Ordinal))
        {
            Warn(root, SclDiagnosticCodes.Namespace, root.Namespace.Length == 0
                ? $"SCL has no namespace; expected {Namespace}"
                : $"SCL is in namespace {root.Namespace}; expected {Namespace}");
        }

        SclHeader? header = null;
        SclCommunication? communication = null;
        SclDataTypeTemplates? templates = null;
        var ieds = new List<SclIed>();
        foreach (var child in Children(root))
        {
            switch (child.Name)
            {
                case "Header":
                    header = ReadHeader(child);
                    break;
                case "Communication":
                    communication = ReadCommunication(child);
                    break;
                case "IED":
                    if (ReadIed(child) is { } ied) ieds.Add(ied);
                    break;
                case "DataTypeTemplates":
                    if (templates is not null) Error(child, SclDiagnosticCodes.Structure, "a second DataTypeTemplates element is ignored");
                    else templates = ReadTemplates(child);
                    break;
            }
        }
        if (header is null) Error(root, SclDiagnosticCodes.Structure, "SCL has no Header");
        CheckUnique(ieds, i => i.Name, i => i.Position, "IED");

        return new SclDocument
        {
            Version = root.Attr("version"),
            Revision = root.Attr("revision"),
            Release = root.Attr("release"),
            Header = header,
            Communication = communication,
            Ieds = ieds,
            DataTypeTemplates = templates,
            Diagnostics = _diagnostics,
        };
    }

    // ---- Header ----

    private SclHeader ReadHeader(XmlLiteElement e)
    {
        var history = new List<SclHistoryItem>();
        foreach (var h in Children(e, "History"))
        {
            foreach (var item in Children(h, "Hitem"))
            {
                history.Add(new SclHistoryItem(item.Attr("version") ?? "", item.Attr("revision") ?? "", item.Attr("when") ?? "",
                    item.Attr("who"), item.Attr("what"), item.Attr("why")));
            }
        }
        return new SclHeader
        {
            // Header/@id is a required xs:normalizedString without a length facet: present but
            // empty is valid (tools such as libiec61850's examples write id="").
            Id = RequiredAllowEmpty(e, "id") ?? "",
            Version = e.Attr("version"),
            Revision = e.Attr("revision"),
            ToolId = e.Attr("toolID"),
            NameStructure = e.Attr("nameStructure"),
            History = history,
            Position = e.Position,
        };
    }

    // ---- Communication ----

    private SclCommunication ReadCommunication(XmlLiteElement e)
    {
        var subNetworks = new List<SclSubNetwork>();
        foreach (var sn in Children(e, "SubNetwork"))
        {
            if (Required(sn, "name") is not { } name) continue;
            var aps = new List<SclConnectedAP>();
            foreach (var ap in Children(sn, "ConnectedAP"))
            {
                var iedName = Required(ap, "iedName");
                var apName = Required(ap, "apName");
                if (iedName is null || apName is null) continue;
                var gse = new List<SclGseAddress>();
                foreach (var g in Children(ap, "GSE"))
                {
                    var ldInst = Required(g, "ldInst");
                    var cbName = Required(g, "cbName");
                    if (ldInst is null || cbName is null) continue;
                    gse.Add(new SclGseAddress
                    {
                        LdInst = ldInst,
                        CbName = cbName,
                        Address = ReadAddress(Child(g, "Address")),
                        MinTime = TextUInt(Child(g, "MinTime")),
                        MaxTime = TextUInt(Child(g, "MaxTime")),
                        Position = g.Position,
                    });
                }
                var smv = new List<SclSmvAddress>();
                foreach (var s in Children(ap, "SMV"))
                {
                    var ldInst = Required(s, "ldInst");
                    var cbName = Required(s, "cbName");
                    if (ldInst is null || cbName is null) continue;
                    smv.Add(new SclSmvAddress { LdInst = ldInst, CbName = cbName, Address = ReadAddress(Child(s, "Address")), Position = s.Position });
                }
                aps.Add(new SclConnectedAP
                {
                    IedName = iedName,
                    ApName = apName,
                    Address = ReadAddress(Child(ap, "Address")),
                    Gse = gse,
                    Smv = smv,
                    Position = ap.Position,
                });
            }
            var bitRate = Child(sn, "BitRate");
            subNetworks.Add(new SclSubNetwork
            {
                Name = name,
                Type = sn.Attr("type"),
                Desc = sn.Attr("desc"),
                BitRate = bitRate is null ? null : string.Join(' ', new[] { bitRate.Text?.Trim(), bitRate.Attr("multiplier"), bitRate.Attr("unit") ?? "b/s" }.Where(s => !string.IsNullOrEmpty(s))),
                ConnectedAPs = aps,
                Position = sn.Position,
            });
        }
        CheckUnique(subNetworks, s => s.Name, s => s.Position, "SubNetwork");
        return new SclCommunication { SubNetworks = subNetworks, Position = e.Position };
    }

    private SclAddress ReadAddress(XmlLiteElement? e)
    {
        if (e is null) return SclAddress.Empty;
        var ps = new List<SclAddressParameter>();
        foreach (var p in Children(e, "P"))
        {
            if (Required(p, "type") is { } type) ps.Add(new SclAddressParameter(type, p.Text?.Trim() ?? ""));
        }
        return new SclAddress { Parameters = ps };
    }

    private uint? TextUInt(XmlLiteElement? e)
    {
        if (e is null) return null;
        if (uint.TryParse(e.Text?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var v)) return v;
        Error(e, SclDiagnosticCodes.BadAttribute, $"{e.Name} '{e.Text}' is not an unsigned integer");
        return null;
    }

    // ---- IED ----

    private SclIed? ReadIed(XmlLiteElement e)
    {
        if (Required(e, "name") is not { } name) return null;
        var aps = new List<SclAccessPoint>();
        SclServices services = SclServices.Empty;
        foreach (var child in Children(e))
        {
            switch (child.Name)
            {
                case "Services":
                    services = ReadServices(child);
                    break;
                case "AccessPoint":
                    if (ReadAccessPoint(child) is { } ap) aps.Add(ap);
                    break;
            }
        }
        CheckUnique(aps, a => a.Name, a => a.Position, "AccessPoint");
        return new SclIed
        {
            Name = name,
            Desc = e.Attr("desc"),
            Type = e.Attr("type"),
            Manufacturer = e.Attr("manufacturer"),
            ConfigVersion = e.Attr("configVersion"),
            OriginalSclVersion = e.Attr("originalSclVersion"),
            OriginalSclRevision = e.Attr("originalSclRevision"),
            Services = services,
            AccessPoints = aps,
            Position = e.Position,
        };
    }

    private SclServices ReadServices(XmlLiteElement e)
    {
        var items = new List<SclService>();
        foreach (var child in Children(e))
        {
            var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var a in child.Attributes) attributes[a.Key] = a.Value;
            items.Add(new SclService(child.Name, attributes));
        }
        return new SclServices { Items = items };
    }

    private SclAccessPoint? ReadAccessPoint(XmlLiteElement e)
    {
        if (Required(e, "name") is not { } name) return null;
        SclServer? server = null;
        string? serverAt = null;
        foreach (var child in Children(e))
        {
            switch (child.Name)
            {
                case "Server":
                    server = ReadServer(child);
                    break;
                case "ServerAt":
                    serverAt = Required(child, "apName");
                    break;
            }
        }
        return new SclAccessPoint
        {
            Name = name,
            Desc = e.Attr("desc"),
            Router = Bool(e, "router", false),
            Clock = Bool(e, "clock", false),
            Server = server,
            ServerAt = serverAt,
            Position = e.Position,
        };
    }

    private SclServer ReadServer(XmlLiteElement e)
    {
        var auth = SclAuthentication.None;
        if (Child(e, "Authentication") is { } a)
        {
            auth = 0;
            if (Bool(a, "none", true)) auth |= SclAuthentication.None;
            if (Bool(a, "password", false)) auth |= SclAuthentication.Password;
            if (Bool(a, "weak", false)) auth |= SclAuthentication.Weak;
            if (Bool(a, "strong", false)) auth |= SclAuthentication.Strong;
            if (Bool(a, "certificate", false)) auth |= SclAuthentication.Certificate;
            if (auth == 0) auth = SclAuthentication.None;
        }
        var lds = new List<SclLDevice>();
        foreach (var ld in Children(e, "LDevice"))
        {
            if (ReadLDevice(ld) is { } device) lds.Add(device);
        }
        CheckUnique(lds, l => l.Inst, l => l.Position, "LDevice inst");
        return new SclServer
        {
            Timeout = UInt(e, "timeout", 30),
            Authentication = auth,
            LDevices = lds,
            Position = e.Position,
        };
    }

    private SclLDevice? ReadLDevice(XmlLiteElement e)
    {
        if (Required(e, "inst") is not { } inst) return null;
        SclLogicalNode? ln0 = null;
        var lns = new List<SclLogicalNode>();
        foreach (var child in Children(e))
        {
            switch (child.Name)
            {
                case "LN0":
                    if (ln0 is not null) Error(child, SclDiagnosticCodes.Duplicate, $"LDevice '{inst}' has a second LN0");
                    else ln0 = ReadLogicalNode(child, isLn0: true);
                    break;
                case "LN":
                    if (ReadLogicalNode(child, isLn0: false) is { } ln) lns.Add(ln);
                    break;
            }
        }
        if (ln0 is null) Error(e, SclDiagnosticCodes.Structure, $"LDevice '{inst}' has no LN0");
        var all = ln0 is null ? lns : [ln0, .. lns];
        CheckUnique(all, l => l.Name, l => l.Position, "LN");
        return new SclLDevice { Inst = inst, LdName = e.Attr("ldName"), Desc = e.Attr("desc"), Ln0 = ln0, LogicalNodes = lns, Position = e.Position };
    }

    private SclLogicalNode? ReadLogicalNode(XmlLiteElement e, bool isLn0)
    {
        var lnClass = Required(e, "lnClass");
        var lnType = Required(e, "lnType");
        if (lnClass is null) return null;
        var dois = new List<SclDoi>();
        var dataSets = new List<SclDataSet>();
        var reports = new List<SclReportControl>();
        var logControls = new List<SclLogControl>();
        var gse = new List<SclGseControl>();
        var smv = new List<SclSmvControl>();
        var inputs = new List<SclExtRef>();
        var logs = new List<string>();
        SclSettingControl? settingControl = null;
        foreach (var child in Children(e))
        {
            switch (child.Name)
            {
                case "DOI":
                    if (ReadDoi(child) is { } doi) dois.Add(doi);
                    break;
                case "DataSet":
                    if (ReadDataSet(child) is { } ds) dataSets.Add(ds);
                    break;
                case "ReportControl":
                    if (ReadReportControl(child) is { } rc) reports.Add(rc);
                    break;
                case "LogControl":
                    if (ReadLogControl(child) is { } lc) logControls.Add(lc);
                    break;
                case "GSEControl":
                    if (!isLn0) Error(child, SclDiagnosticCodes.Structure, "GSEControl is only allowed in LN0");
                    else if (ReadGseControl(child) is { } gc) gse.Add(gc);
                    break;
                case "SampledValueControl":
                    if (!isLn0) Error(child, SclDiagnosticCodes.Structure, "SampledValueControl is only allowed in LN0");
                    else if (ReadSmvControl(child) is { } sc) smv.Add(sc);
                    break;
                case "SettingControl":
                    if (!isLn0) Error(child, SclDiagnosticCodes.Structure, "SettingControl is only allowed in LN0");
                    else settingControl = ReadSettingControl(child);
                    break;
                case "Inputs":
                    foreach (var x in Children(child, "ExtRef")) inputs.Add(ReadExtRef(x));
                    break;
                case "Log":
                    logs.Add(child.Attr("name") ?? "");
                    break;
            }
        }
        CheckUnique(dois, d => d.Name + (d.Ix is null ? "" : "(" + d.Ix + ")"), d => d.Position, "DOI");
        CheckUnique(dataSets, d => d.Name, d => d.Position, "DataSet");
        var controlNames = reports.Select(r => (r.Name, r.Position))
            .Concat(logControls.Select(r => (r.Name, r.Position)))
            .Concat(gse.Select(r => (r.Name, r.Position)))
            .Concat(smv.Select(r => (r.Name, r.Position)))
            .ToList();
        CheckUnique(controlNames, c => c.Name, c => c.Position, "control block");
        var inst = e.Attr("inst") ?? "";
        if (isLn0 && inst.Length > 0) Error(e, SclDiagnosticCodes.BadAttribute, $"LN0 inst must be empty, not '{inst}'");
        if (isLn0 && !string.Equals(lnClass, "LLN0", StringComparison.Ordinal)) Error(e, SclDiagnosticCodes.BadAttribute, $"LN0 lnClass must be LLN0, not '{lnClass}'");
        if (!isLn0 && !IsLnInst(inst)) Error(e, SclDiagnosticCodes.BadAttribute, $"LN inst '{inst}' is not 1 to 12 digits");
        return new SclLogicalNode
        {
            IsLn0 = isLn0,
            Prefix = isLn0 ? "" : e.Attr("prefix") ?? "",
            LnClass = lnClass,
            Inst = isLn0 ? "" : inst,
            LnType = lnType ?? "",
            Desc = e.Attr("desc"),
            Dois = dois,
            DataSets = dataSets,
            ReportControls = reports,
            LogControls = logControls,
            GseControls = gse,
            SmvControls = smv,
            SettingControl = settingControl,
            Inputs = inputs,
            Logs = logs,
            Position = e.Position,
        };
    }

    private static bool IsLnInst(string inst)
    {
        if (inst.Length > 12) return false;
        foreach (var c in inst)
        {
            if (c is < '0' or > '9') return false;
        }
        return true;
    }

    private SclDoi? ReadDoi(XmlLiteElement e)
    {
        if (Required(e, "name") is not { } name) return null;
        var (sdis, dais) = ReadInstanceChildren(e);
        return new SclDoi { Name = name, Ix = e.Attr("ix"), Desc = e.Attr("desc"), Sdis = sdis, Dais = dais, Position = e.Position };
    }

    private (List<SclSdi>, List<SclDai>) ReadInstanceChildren(XmlLiteElement e)
    {
        var sdis = new List<SclSdi>();
        var dais = new List<SclDai>();
        foreach (var child in Children(e))
        {
            switch (child.Name)
            {
                case "SDI":
                    if (Required(child, "name") is { } sdiName)
                    {
                        var (s, d) = ReadInstanceChildren(child);
                        sdis.Add(new SclSdi { Name = sdiName, Ix = child.Attr("ix"), Sdis = s, Dais = d, Position = child.Position });
                    }
                    break;
                case "DAI":
                    if (Required(child, "name") is { } daiName)
                    {
                        dais.Add(new SclDai
                        {
                            Name = daiName,
                            Ix = child.Attr("ix"),
                            SAddr = child.Attr("sAddr"),
                            ValKind = ValKind(child),
                            ValImport = child.Attr("valImport") is null ? null : Bool(child, "valImport", false),
                            Values = ReadVals(child),
                            Position = child.Position,
                        });
                    }
                    break;
            }
        }
        return (sdis, dais);
    }

    private List<SclVal> ReadVals(XmlLiteElement e)
    {
        var vals = new List<SclVal>();
        foreach (var v in Children(e, "Val"))
        {
            uint? sGroup = null;
            if (v.Attr("sGroup") is { } text)
            {
                // A setting group number is an INT8U in the SGCB (NumOfSG): 1..255.
                if (!uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var g) || g is 0 or > 255)
                {
                    Error(v, SclDiagnosticCodes.BadAttribute, $"Val sGroup '{text}' is not a setting group number (1..255)");
                    continue;
                }
                sGroup = g;
            }
            vals.Add(new SclVal(v.Text ?? "", sGroup, v.Position));
        }
        return vals;
    }

    private SclValKind? ValKind(XmlLiteElement e)
    {
        switch (e.Attr("valKind"))
        {
            case null: return null;
            case "Spec": return SclValKind.Spec;
            case "Conf": return SclValKind.Conf;
            case "RO": return SclValKind.RO;
            case "Set": return SclValKind.Set;
            case var other:
                Error(e, SclDiagnosticCodes.BadAttribute, $"valKind '{other}' is not Spec, Conf, RO or Set");
                return null;
        }
    }

    private SclExtRef ReadExtRef(XmlLiteElement e) => new()
    {
        IedName = e.Attr("iedName"),
        LdInst = e.Attr("ldInst"),
        Prefix = e.Attr("prefix"),
        LnClass = e.Attr("lnClass"),
        LnInst = e.Attr("lnInst"),
        DoName = e.Attr("doName"),
        DaName = e.Attr("daName"),
        IntAddr = e.Attr("intAddr"),
        ServiceType = e.Attr("serviceType"),
        SrcLDInst = e.Attr("srcLDInst"),
        SrcPrefix = e.Attr("srcPrefix"),
        SrcLNClass = e.Attr("srcLNClass"),
        SrcLNInst = e.Attr("srcLNInst"),
        SrcCBName = e.Attr("srcCBName"),
        Position = e.Position,
    };

    // ---- Data sets and control blocks ----

    private SclDataSet? ReadDataSet(XmlLiteElement e)
    {
        if (Required(e, "name") is not { } name) return null;
        var members = new List<SclFcda>();
        foreach (var child in Children(e))
        {
            if (string.Equals(child.Name, "FCDA", StringComparison.Ordinal))
            {
                if (Required(child, "fc") is not { } fc) continue;
                members.Add(new SclFcda
                {
                    LdInst = child.Attr("ldInst"),
                    Prefix = child.Attr("prefix") ?? "",
                    LnClass = child.Attr("lnClass"),
                    LnInst = child.Attr("lnInst") ?? "",
                    DoName = child.Attr("doName"),
                    DaName = child.Attr("daName"),
                    Fc = fc,
                    Ix = child.Attr("ix"),
                    Position = child.Position,
                });
            }
            else if (string.Equals(child.Name, "FCCB", StringComparison.Ordinal))
            {
                Warn(child, SclDiagnosticCodes.Structure, "FCCB data set members are not supported and are left out");
            }
        }
        return new SclDataSet { Name = name, Desc = e.Attr("desc"), Members = members, Position = e.Position };
    }

    private SclTrgOps ReadTrgOps(XmlLiteElement parent)
    {
        if (Child(parent, "TrgOps") is not { } t) return SclTrgOps.None;
        return new SclTrgOps(Bool(t, "dchg", false), Bool(t, "qchg", false), Bool(t, "dupd", false), Bool(t, "period", false), Bool(t, "gi", true));
    }

    private SclReportControl? ReadReportControl(XmlLiteElement e)
    {
        if (Required(e, "name") is not { } name) return null;
        var optFields = SclOptFields.None;
        if (Child(e, "OptFields") is { } o)
        {
            optFields = new SclOptFields(Bool(o, "seqNum", false), Bool(o, "timeStamp", false), Bool(o, "dataSet", false),
                Bool(o, "reasonCode", false), Bool(o, "dataRef", false), Bool(o, "entryID", false), Bool(o, "configRef", false),
                Bool(o, "bufOvfl", true), Bool(o, "segmentation", false));
        }
        else
        {
            Error(e, SclDiagnosticCodes.Structure, $"ReportControl '{name}' has no OptFields");
        }
        var max = 1u;
        if (Child(e, "RptEnabled") is { } r)
        {
            max = UInt(r, "max", 1);
            if (max == 0) Error(r, SclDiagnosticCodes.BadAttribute, "RptEnabled max must be at least 1");
        }
        if (max > 99) Error(e, SclDiagnosticCodes.BadAttribute, $"RptEnabled max {max} is over 99, the most indexed names allow");
        return new SclReportControl
        {
            Name = name,
            Desc = e.Attr("desc"),
            DatSet = NonEmpty(e.Attr("datSet")),
            RptId = e.Attr("rptID"),
            ConfRev = UInt(e, "confRev", 0),
            Buffered = Bool(e, "buffered", false),
            BufTime = UInt(e, "bufTime", 0),
            IntgPd = UInt(e, "intgPd", 0),
            Indexed = Bool(e, "indexed", true),
            TrgOps = ReadTrgOps(e),
            OptFields = optFields,
            RptEnabledMax = Math.Clamp(max, 1, 99),
            Position = e.Position,
        };
    }

    private SclLogControl? ReadLogControl(XmlLiteElement e)
    {
        var name = Required(e, "name");
        var logName = Required(e, "logName");
        if (name is null || logName is null) return null;
        return new SclLogControl
        {
            Name = name,
            Desc = e.Attr("desc"),
            DatSet = NonEmpty(e.Attr("datSet")),
            IntgPd = UInt(e, "intgPd", 0),
            LdInst = e.Attr("ldInst"),
            Prefix = e.Attr("prefix") ?? "",
            LnClass = e.Attr("lnClass") ?? "LLN0",
            LnInst = e.Attr("lnInst") ?? "",
            LogName = logName,
            LogEna = Bool(e, "logEna", true),
            ReasonCode = Bool(e, "reasonCode", true),
            BufTime = UInt(e, "bufTime", 0),
            TrgOps = ReadTrgOps(e),
            Position = e.Position,
        };
    }

    private SclGseControl? ReadGseControl(XmlLiteElement e)
    {
        var name = Required(e, "name");
        var appId = Required(e, "appID");
        if (name is null || appId is null) return null;
        var type = e.Attr("type") ?? "GOOSE";
        if (type is not ("GOOSE" or "GSSE")) Error(e, SclDiagnosticCodes.BadAttribute, $"GSEControl type '{type}' is not GOOSE or GSSE");
        return new SclGseControl
        {
            Name = name,
            Desc = e.Attr("desc"),
            DatSet = NonEmpty(e.Attr("datSet")),
            ConfRev = UInt(e, "confRev", 0),
            AppId = appId,
            Type = type,
            FixedOffs = Bool(e, "fixedOffs", false),
            Position = e.Position,
        };
    }

    private SclSmvControl? ReadSmvControl(XmlLiteElement e)
    {
        var name = Required(e, "name");
        var smvId = Required(e, "smvID");
        if (name is null || smvId is null) return null;
        if (e.Attr("smpRate") is null) Required(e, "smpRate");
        if (e.Attr("nofASDU") is null) Required(e, "nofASDU");
        var opts = SclSmvOpts.None;
        if (Child(e, "SmvOpts") is { } o)
        {
            opts = new SclSmvOpts(Bool(o, "refreshTime", false), Bool(o, "sampleSynchronized", true), Bool(o, "sampleRate", false),
                Bool(o, "dataSet", false), Bool(o, "security", false));
        }
        var smpMod = e.Attr("smpMod") ?? "SmpPerPeriod";
        if (smpMod is not ("SmpPerPeriod" or "SmpPerSec" or "SecPerSmp")) Error(e, SclDiagnosticCodes.BadAttribute, $"smpMod '{smpMod}' is not SmpPerPeriod, SmpPerSec or SecPerSmp");
        return new SclSmvControl
        {
            Name = name,
            Desc = e.Attr("desc"),
            DatSet = NonEmpty(e.Attr("datSet")),
            ConfRev = UInt(e, "confRev", 0),
            SmvId = smvId,
            SmpRate = UInt(e, "smpRate", 0),
            NofAsdu = UInt(e, "nofASDU", 0),
            Multicast = Bool(e, "multicast", true),
            SmpMod = smpMod,
            SmvOpts = opts,
            Position = e.Position,
        };
    }

    private SclSettingControl ReadSettingControl(XmlLiteElement e)
    {
        if (e.Attr("numOfSGs") is null) Required(e, "numOfSGs");
        var num = UInt(e, "numOfSGs", 1);
        var act = UInt(e, "actSG", 1);
        if (num == 0) Error(e, SclDiagnosticCodes.BadAttribute, "numOfSGs must be at least 1");
        if (act == 0 || act > num) Error(e, SclDiagnosticCodes.BadAttribute, $"actSG {act} is not in 1..{num}");
        return new SclSettingControl
        {
            NumOfSGs = num,
            ActSG = act,
            ResvTms = e.Attr("resvTms") is null ? null : UInt(e, "resvTms", 0),
            Desc = e.Attr("desc"),
            Position = e.Position,
        };
    }

    // ---- DataTypeTemplates ----

    private SclDataTypeTemplates ReadTemplates(XmlLiteElement e)
    {
        var lnodeTypes = new List<SclLNodeType>();
        var doTypes = new List<SclDOType>();
        var daTypes = new List<SclDAType>();
        var enumTypes = new List<SclEnumType>();
        foreach (var child in Children(e))
        {
            switch (child.Name)
            {
                case "LNodeType":
                    if (ReadLNodeType(child) is { } lt) lnodeTypes.Add(lt);
                    break;
                case "DOType":
                    if (ReadDOType(child) is { } dt) doTypes.Add(dt);
                    break;
                case "DAType":
                    if (ReadDAType(child) is { } at) daTypes.Add(at);
                    break;
                case "EnumType":
                    if (ReadEnumType(child) is { } et) enumTypes.Add(et);
                    break;
            }
        }
        CheckUnique(lnodeTypes, t => t.Id, t => t.Position, "LNodeType id");
        CheckUnique(doTypes, t => t.Id, t => t.Position, "DOType id");
        CheckUnique(daTypes, t => t.Id, t => t.Position, "DAType id");
        CheckUnique(enumTypes, t => t.Id, t => t.Position, "EnumType id");
        return new SclDataTypeTemplates { LNodeTypes = lnodeTypes, DOTypes = doTypes, DATypes = daTypes, EnumTypes = enumTypes, Position = e.Position };
    }

    private SclLNodeType? ReadLNodeType(XmlLiteElement e)
    {
        var id = Required(e, "id");
        var lnClass = Required(e, "lnClass");
        if (id is null || lnClass is null) return null;
        var dos = new List<SclDo>();
        foreach (var d in Children(e, "DO"))
        {
            var name = Required(d, "name");
            var type = Required(d, "type");
            if (name is null) continue;
            dos.Add(new SclDo { Name = name, Type = type ?? "", Transient = Bool(d, "transient", false), Desc = d.Attr("desc"), Position = d.Position });
        }
        CheckUnique(dos, d => d.Name, d => d.Position, $"DO in LNodeType '{id}'");
        return new SclLNodeType { Id = id, LnClass = lnClass, Desc = e.Attr("desc"), DataObjects = dos, Position = e.Position };
    }

    private SclDOType? ReadDOType(XmlLiteElement e)
    {
        var id = Required(e, "id");
        var cdc = Required(e, "cdc");
        if (id is null) return null;
        var members = new List<SclTemplateMember>();
        foreach (var child in Children(e))
        {
            switch (child.Name)
            {
                case "DA":
                    if (ReadDa(child) is { } da) members.Add(da);
                    break;
                case "SDO":
                    var name = Required(child, "name");
                    var type = Required(child, "type");
                    if (name is null) break;
                    members.Add(new SclSdo { Name = name, Type = type ?? "", Count = UInt(child, "count", 0), Desc = child.Attr("desc"), Position = child.Position });
                    break;
            }
        }
        // A setting-group attribute appears twice under one name, once with FC SG and once with SE: DAs are unique per FC.
        CheckUnique(members, m => m is SclDa da ? m.Name + " [" + da.Fc + "]" : m.Name, m => m.Position, $"DA or SDO in DOType '{id}'");
        return new SclDOType { Id = id, Cdc = cdc ?? "", CdcNs = e.Attr("cdcNs"), Desc = e.Attr("desc"), Members = members, Position = e.Position };
    }

    private SclDa? ReadDa(XmlLiteElement e)
    {
        var name = Required(e, "name");
        var bType = Required(e, "bType");
        var fc = Required(e, "fc");
        if (name is null || bType is null || fc is null) return null;
        return new SclDa
        {
            Name = name,
            BType = bType,
            Type = NonEmpty(e.Attr("type")),
            Count = Count(e),
            ValKind = ValKind(e),
            SAddr = e.Attr("sAddr"),
            Desc = e.Attr("desc"),
            Values = ReadVals(e),
            Fc = fc,
            Dchg = Bool(e, "dchg", false),
            Qchg = Bool(e, "qchg", false),
            Dupd = Bool(e, "dupd", false),
            Position = e.Position,
        };
    }

    private uint Count(XmlLiteElement e)
    {
        // Edition 2.1 allows count to name an attribute holding the size; treat that as unknown (0) with a warning.
        var text = e.Attr("count");
        if (text is null || uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _)) return UInt(e, "count", 0);
        Warn(e, SclDiagnosticCodes.BadAttribute, $"count '{text}' refers to an attribute; the array is treated as a single element");
        return 0;
    }

    private SclDAType? ReadDAType(XmlLiteElement e)
    {
        if (Required(e, "id") is not { } id) return null;
        var bdas = new List<SclBda>();
        foreach (var b in Children(e, "BDA"))
        {
            var name = Required(b, "name");
            var bType = Required(b, "bType");
            if (name is null || bType is null) continue;
            bdas.Add(new SclBda
            {
                Name = name,
                BType = bType,
                Type = NonEmpty(b.Attr("type")),
                Count = Count(b),
                ValKind = ValKind(b),
                SAddr = b.Attr("sAddr"),
                Desc = b.Attr("desc"),
                Values = ReadVals(b),
                Position = b.Position,
            });
        }
        CheckUnique(bdas, b => b.Name, b => b.Position, $"BDA in DAType '{id}'");
        return new SclDAType { Id = id, Desc = e.Attr("desc"), Components = bdas, Position = e.Position };
    }

    private SclEnumType? ReadEnumType(XmlLiteElement e)
    {
        if (Required(e, "id") is not { } id) return null;
        var values = new List<SclEnumVal>();
        var positions = new List<(SclEnumVal Value, SclPosition Position)>();
        foreach (var v in Children(e, "EnumVal"))
        {
            var ordText = Required(v, "ord");
            if (ordText is null) continue;
            if (!int.TryParse(ordText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ord))
            {
                Error(v, SclDiagnosticCodes.BadAttribute, $"EnumVal ord '{ordText}' is not an integer");
                continue;
            }
            var val = new SclEnumVal(ord, v.Text?.Trim() ?? "");
            values.Add(val);
            positions.Add((val, v.Position));
        }
        CheckUnique(positions, p => p.Value.Ord.ToString(CultureInfo.InvariantCulture), p => p.Position, $"EnumVal ord in EnumType '{id}'");
        CheckUnique(positions.Where(p => p.Value.Name.Length > 0).ToList(), p => p.Value.Name, p => p.Position, $"EnumVal name in EnumType '{id}'");
        return new SclEnumType { Id = id, Desc = e.Attr("desc"), Values = values, Position = e.Position };
    }

    // ---- helpers ----

    private IEnumerable<XmlLiteElement> Children(XmlLiteElement e)
    {
        foreach (var c in e.Children)
        {
            if (string.Equals(c.Namespace, _ns, StringComparison.Ordinal)) yield return c;
        }
    }

    private IEnumerable<XmlLiteElement> Children(XmlLiteElement e, string name)
    {
        foreach (var c in e.Children)
        {
            if (string.Equals(c.Name, name, StringComparison.Ordinal) && string.Equals(c.Namespace, _ns, StringComparison.Ordinal)) yield return c;
        }
    }

    private XmlLiteElement? Child(XmlLiteElement e, string name) => Children(e, name).FirstOrDefault();

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private string? Required(XmlLiteElement e, string attribute)
    {
        var value = e.Attr(attribute);
        if (string.IsNullOrEmpty(value))
        {
            Error(e, SclDiagnosticCodes.MissingAttribute, $"{e.Name} has no '{attribute}'");
            return null;
        }
        return value;
    }

    private string? RequiredAllowEmpty(XmlLiteElement e, string attribute)
    {
        var value = e.Attr(attribute);
        if (value is null) Error(e, SclDiagnosticCodes.MissingAttribute, $"{e.Name} has no '{attribute}'");
        return value;
    }

    private bool Bool(XmlLiteElement e, string attribute, bool defaultValue)
    {
        switch (e.Attr(attribute))
        {
            case null: return defaultValue;
            case "true" or "1": return true;
            case "false" or "0": return false;
            case var other:
                Error(e, SclDiagnosticCodes.BadAttribute, $"{e.Name} {attribute} '{other}' is not a boolean");
                return defaultValue;
        }
    }

    private uint UInt(XmlLiteElement e, string attribute, uint defaultValue)
    {
        var text = e.Attr(attribute);
        if (text is null) return defaultValue;
        if (uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v)) return v;
        Error(e, SclDiagnosticCodes.BadAttribute, $"{e.Name} {attribute} '{text}' is not an unsigned integer");
        return defaultValue;
    }

    private void CheckUnique<T>(IReadOnlyList<T> items, Func<T, string> key, Func<T, SclPosition> position, string what)
    {
        if (items.Count < 2) return;
        var seen = new Dictionary<string, SclPosition>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var k = key(item);
            var p = position(item);
            if (!seen.TryAdd(k, p))
            {
                _diagnostics.Add(new SclDiagnostic(SclSeverity.Error, SclDiagnosticCodes.Duplicate,
                    $"{what} '{k}' is defined twice (first at line {seen[k].Line})", p.Line, p.Column));
            }
        }
    }

    private void Error(XmlLiteElement e, string code, string message) =>
        _diagnostics.Add(new SclDiagnostic(SclSeverity.Error, code, message, e.Line, e.Column));

    private void Warn(XmlLiteElement e, string code, string message) =>
        _diagnostics.Add(new SclDiagnostic(SclSeverity.Warning, code, message, e.Line, e.Column));
}
