using System.Globalization;
using System.Text;
using System.Xml;

namespace FlexCoop.Iec61850.Scl;

/// <summary>
/// Writes a synthetic but valid SCL file (Edition 2, one IED, one access point) whose resolved
/// model has exactly a requested number of data attributes (as <see cref="Model.IedModel.DataAttributeCount"/>
/// counts them: every DA and BDA instance). Used for memory and speed targets ("a server holding a
/// 10,000-attribute model") and for tests of large models.
/// </summary>
/// <remarks>
/// Each logical device has an LLN0 (Beh: 3 attributes), up to 50 GGIO-like logical nodes of 59
/// attributes (Beh, AnIn1..8 as MV, Ind1..8 as SPS), a data set of the first ten analogue inputs with a
/// buffered and an unbuffered report control block, and the first device one filler LN of INT32
/// settings so that the total is exact.
/// </remarks>
public static class SclModelGenerator
{
    /// <summary>Attributes of one generated GGIO logical node.</summary>
    public const int AttributesPerLogicalNode = 59;

    /// <summary>Attributes of one generated LLN0.</summary>
    public const int AttributesPerLln0 = 3;

    private const int LogicalNodesPerDevice = 50;

    /// <summary>The SCL text of a model of <paramref name="dataAttributes"/> attributes (at least 3) for IED <paramref name="iedName"/>.</summary>
    public static string Generate(int dataAttributes, string iedName = "GEN")
    {
        var sb = new StringBuilder(Math.Min(dataAttributes, 10_000_000) * 12 + 8192);
        using (var w = new StringWriter(sb, CultureInfo.InvariantCulture))
        {
            Write(w, dataAttributes, iedName);
        }
        return sb.ToString();
    }

    /// <summary>Writes the SCL text of a model of <paramref name="dataAttributes"/> attributes to <paramref name="output"/>.</summary>
    public static void Write(TextWriter output, int dataAttributes, string iedName = "GEN")
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentException.ThrowIfNullOrEmpty(iedName);
        ArgumentOutOfRangeException.ThrowIfLessThan(dataAttributes, AttributesPerLln0);

        // N = 3 L + 59 G + r, with L = ceil(G / 50) devices (at least one) and r attributes of filler.
        var ggio = (dataAttributes - AttributesPerLln0) / AttributesPerLogicalNode;
        int devices, rest;
        while (true)
        {
            devices = Math.Max(1, (ggio + LogicalNodesPerDevice - 1) / LogicalNodesPerDevice);
            rest = dataAttributes - devices * AttributesPerLln0 - ggio * AttributesPerLogicalNode;
            if (rest >= 0) break;
            ggio--;
        }

        // The declaration is written by hand: a TextWriter would make XmlWriter declare its own encoding (UTF-16 for a StringWriter).
        output.Write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        using var w = XmlWriter.Create(output, new XmlWriterSettings { Indent = true, IndentChars = "  ", NewLineChars = "\n", OmitXmlDeclaration = true, ConformanceLevel = ConformanceLevel.Document });
        const string ns = "http://www.iec.ch/61850/2003/SCL";
        w.WriteStartElement("SCL", ns);
        w.WriteAttributeString("version", "2007");
        w.WriteAttributeString("revision", "B");
        w.WriteAttributeString("release", "4");
        w.WriteStartElement("Header", ns);
        w.WriteAttributeString("id", "Generated" + dataAttributes.ToString(CultureInfo.InvariantCulture));
        w.WriteAttributeString("toolID", "FlexCoop SclModelGenerator");
        w.WriteEndElement();

        w.WriteStartElement("IED", ns);
        w.WriteAttributeString("name", iedName);
        w.WriteAttributeString("manufacturer", "FlexCoop");
        w.WriteAttributeString("type", "Generated");
        w.WriteStartElement("AccessPoint", ns);
        w.WriteAttributeString("name", "AP1");
        w.WriteStartElement("Server", ns);
        var remaining = ggio;
        for (var d = 1; d <= devices; d++)
        {
            var inDevice = Math.Min(remaining, LogicalNodesPerDevice);
            remaining -= inDevice;
            w.WriteStartElement("LDevice", ns);
            w.WriteAttributeString("inst", "LD" + d.ToString(CultureInfo.InvariantCulture));
            w.WriteStartElement("LN0", ns);
            w.WriteAttributeString("lnClass", "LLN0");
            w.WriteAttributeString("inst", "");
            w.WriteAttributeString("lnType", "GEN_LLN0");
            if (inDevice > 0)
            {
                w.WriteStartElement("DataSet", ns);
                w.WriteAttributeString("name", "Analogs");
                for (var i = 1; i <= Math.Min(inDevice, 10); i++)
                {
                    w.WriteStartElement("FCDA", ns);
                    w.WriteAttributeString("ldInst", "LD" + d.ToString(CultureInfo.InvariantCulture));
                    w.WriteAttributeString("lnClass", "GGIO");
                    w.WriteAttributeString("lnInst", i.ToString(CultureInfo.InvariantCulture));
                    w.WriteAttributeString("doName", "AnIn1");
                    w.WriteAttributeString("fc", "MX");
                    w.WriteEndElement();
                }
                w.WriteEndElement();
                WriteReportControl(w, ns, "brcbA", buffered: true);
                WriteReportControl(w, ns, "urcbA", buffered: false);
            }
            w.WriteEndElement();
            if (d == 1 && rest > 0)
            {
                WriteLn(w, ns, "GGIO", 0, "GEN_REST");
            }
            for (var i = 1; i <= inDevice; i++)
            {
                WriteLn(w, ns, "GGIO", i, "GEN_GGIO");
            }
            w.WriteEndElement();
        }
        w.WriteEndElement(); // Server
        w.WriteEndElement(); // AccessPoint
        w.WriteEndElement(); // IED

        w.WriteStartElement("DataTypeTemplates", ns);
        LNodeType(w, ns, "GEN_LLN0", "LLN0", [("Beh", "GEN_ENS")]);
        var ggioDos = new List<(string, string)> { ("Beh", "GEN_ENS") };
        for (var i = 1; i <= 8; i++) ggioDos.Add(("AnIn" + i.ToString(CultureInfo.InvariantCulture), "GEN_MV"));
        for (var i = 1; i <= 8; i++) ggioDos.Add(("Ind" + i.ToString(CultureInfo.InvariantCulture), "GEN_SPS"));
        LNodeType(w, ns, "GEN_GGIO", "GGIO", ggioDos);
        if (rest > 0)
        {
            LNodeType(w, ns, "GEN_REST", "GGIO", Enumerable.Range(1, rest).Select(i => ("Set" + i.ToString(CultureInfo.InvariantCulture), "GEN_ING")).ToList());
        }
        DOType(w, ns, "GEN_ENS", "ENS", [("stVal", "Enum", "GEN_Beh", "ST"), ("q", "Quality", null, "ST"), ("t", "Timestamp", null, "ST")]);
        DOType(w, ns, "GEN_MV", "MV", [("mag", "Struct", "GEN_AV", "MX"), ("q", "Quality", null, "MX"), ("t", "Timestamp", null, "MX")]);
        DOType(w, ns, "GEN_SPS", "SPS", [("stVal", "BOOLEAN", null, "ST"), ("q", "Quality", null, "ST"), ("t", "Timestamp", null, "ST")]);
        DOType(w, ns, "GEN_ING", "ING", [("setVal", "INT32", null, "SP")]);
        w.WriteStartElement("DAType", ns);
        w.WriteAttributeString("id", "GEN_AV");
        w.WriteStartElement("BDA", ns);
        w.WriteAttributeString("name", "f");
        w.WriteAttributeString("bType", "FLOAT32");
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteStartElement("EnumType", ns);
        w.WriteAttributeString("id", "GEN_Beh");
        string[] modes = ["on", "on-blocked", "test", "test/blocked", "off"];
        for (var i = 0; i < modes.Length; i++)
        {
            w.WriteStartElement("EnumVal", ns);
            w.WriteAttributeString("ord", (i + 1).ToString(CultureInfo.InvariantCulture));
            w.WriteString(modes[i]);
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteEndElement(); // DataTypeTemplates
        w.WriteEndElement(); // SCL
    }

    private static void WriteReportControl(XmlWriter w, string ns, string name, bool buffered)
    {
        w.WriteStartElement("ReportControl", ns);
        w.WriteAttributeString("name", name);
        w.WriteAttributeString("datSet", "Analogs");
        w.WriteAttributeString("confRev", "1");
        w.WriteAttributeString("buffered", buffered ? "true" : "false");
        w.WriteAttributeString("intgPd", "10000");
        w.WriteStartElement("TrgOps", ns);
        w.WriteAttributeString("dchg", "true");
        w.WriteAttributeString("period", "true");
        w.WriteEndElement();
        w.WriteStartElement("OptFields", ns);
        w.WriteAttributeString("seqNum", "true");
        w.WriteAttributeString("timeStamp", "true");
        w.WriteAttributeString("dataSet", "true");
        w.WriteAttributeString("reasonCode", "true");
        w.WriteEndElement();
        w.WriteStartElement("RptEnabled", ns);
        w.WriteAttributeString("max", "2");
        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static void WriteLn(XmlWriter w, string ns, string lnClass, int inst, string lnType)
    {
        w.WriteStartElement("LN", ns);
        if (inst == 0) w.WriteAttributeString("prefix", "Rest");
        w.WriteAttributeString("lnClass", lnClass);
        w.WriteAttributeString("inst", inst == 0 ? "1" : inst.ToString(CultureInfo.InvariantCulture));
        w.WriteAttributeString("lnType", lnType);
        w.WriteEndElement();
    }

    private static void LNodeType(XmlWriter w, string ns, string id, string lnClass, IReadOnlyList<(string Name, string Type)> dos)
    {
        w.WriteStartElement("LNodeType", ns);
        w.WriteAttributeString("id", id);
        w.WriteAttributeString("lnClass", lnClass);
        foreach (var (name, type) in dos)
        {
            w.WriteStartElement("DO", ns);
            w.WriteAttributeString("name", name);
            w.WriteAttributeString("type", type);
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }

    private static void DOType(XmlWriter w, string ns, string id, string cdc, IReadOnlyList<(string Name, string BType, string? Type, string Fc)> das)
    {
        w.WriteStartElement("DOType", ns);
        w.WriteAttributeString("id", id);
        w.WriteAttributeString("cdc", cdc);
        foreach (var (name, bType, type, fc) in das)
        {
            w.WriteStartElement("DA", ns);
            w.WriteAttributeString("name", name);
            w.WriteAttributeString("bType", bType);
            if (type is not null) w.WriteAttributeString("type", type);
            w.WriteAttributeString("fc", fc);
            if (name is "stVal" or "mag" or "setVal") w.WriteAttributeString("dchg", "true");
            if (name == "q") w.WriteAttributeString("qchg", "true");
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }
}
