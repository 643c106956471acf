using System.Globalization;
using System.Xml;
using FlexCoop.Conformance.Replay;

namespace FlexCoop.Conformance.Reports;

/// <summary>Writes a replay report as JUnit XML: one test suite per capture, one test case per message.</summary>
public static class JUnitReport
{
    public static void Write(ReplayReport report, Stream output)
    {
        ArgumentNullException.ThrowIfNull(report);
        var settings = new XmlWriterSettings { Indent = true, Encoding = new System.Text.UTF8Encoding(false) };
        using var w = XmlWriter.Create(output, settings);
        w.WriteStartDocument();
        w.WriteStartElement("testsuites");
        w.WriteStartElement("testsuite");
        w.WriteAttributeString("name", "replay " + report.Source);
        w.WriteAttributeString("tests", report.Verdicts.Count.ToString(CultureInfo.InvariantCulture));
        w.WriteAttributeString("failures", report.Count(Verdict.Fail).ToString(CultureInfo.InvariantCulture));
        w.WriteAttributeString("errors", report.Count(Verdict.Unreadable).ToString(CultureInfo.InvariantCulture));
        w.WriteAttributeString("skipped", report.Count(Verdict.NotChecked).ToString(CultureInfo.InvariantCulture));
        foreach (var v in report.Verdicts)
        {
            w.WriteStartElement("testcase");
            w.WriteAttributeString("classname", $"{v.Protocol}.{v.Party ?? "unknown"}");
            w.WriteAttributeString("name", $"#{v.Seq} {v.Direction} {v.MessageType}");
            w.WriteAttributeString("timestamp", v.Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            switch (v.Verdict)
            {
                case Verdict.Fail:
                    w.WriteStartElement("failure");
                    w.WriteAttributeString("message", v.Findings.Count > 0 ? v.Findings[0].ToString() : "failed");
                    w.WriteString(string.Join("\n", v.Findings));
                    w.WriteEndElement();
                    break;
                case Verdict.Unreadable:
                    w.WriteStartElement("error");
                    w.WriteAttributeString("message", v.Findings.Count > 0 ? v.Findings[0].ToString() : "unreadable");
                    w.WriteEndElement();
                    break;
                case Verdict.NotChecked:
                    w.WriteStartElement("skipped");
                    w.WriteAttributeString("message", "not a message of a protocol replay knows");
                    w.WriteEndElement();
                    break;
            }
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndDocument();
    }
}
