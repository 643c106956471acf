using System.Globalization;
using System.Net;
using System.Text;
using System.Xml;

namespace FlexCoop.Conformance.Iec61850;

/// <summary>
/// JUnit XML and HTML for an <see cref="Iec61850SuiteReport"/>. (The replay reports in
/// <c>Reports/</c> take a replay report; a suite of cases needs test cases with checks and timelines.)
/// </summary>
public static class Iec61850SuiteReports
{
    /// <summary>JUnit XML: one testsuite per group; Fail is a failure, NotImplemented and Inconclusive are errors, NotApplicable is skipped.</summary>
    public static void WriteJUnit(Iec61850SuiteReport report, Stream output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        var inv = CultureInfo.InvariantCulture;
        using var w = XmlWriter.Create(output, new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) });
        w.WriteStartElement("testsuites");
        w.WriteAttributeString("name", $"IEC 61850 server conformance {report.Server} ({report.Model})");
        w.WriteAttributeString("tests", report.Cases.Count.ToString(inv));
        w.WriteAttributeString("failures", report.Count(Iec61850Verdict.Fail).ToString(inv));
        w.WriteAttributeString("errors", (report.Count(Iec61850Verdict.NotImplemented) + report.Count(Iec61850Verdict.Inconclusive)).ToString(inv));
        w.WriteAttributeString("time", report.Duration.TotalSeconds.ToString("0.000", inv));
        foreach (var group in report.Cases.GroupBy(c => c.Group))
        {
            w.WriteStartElement("testsuite");
            w.WriteAttributeString("name", group.Key);
            w.WriteAttributeString("tests", group.Count().ToString(inv));
            w.WriteAttributeString("failures", group.Count(c => c.Verdict == Iec61850Verdict.Fail).ToString(inv));
            w.WriteAttributeString("errors", group.Count(c => c.Verdict is Iec61850Verdict.NotImplemented or Iec61850Verdict.Inconclusive).ToString(inv));
            w.WriteAttributeString("skipped", group.Count(c => c.Verdict == Iec61850Verdict.NotApplicable).ToString(inv));
            foreach (var c in group)
            {
                w.WriteStartElement("testcase");
                w.WriteAttributeString("classname", "iec61850-server." + c.Group);
                w.WriteAttributeString("name", $"{c.Id} {c.Title}");
                w.WriteAttributeString("time", c.Duration.TotalSeconds.ToString("0.000", inv));
                switch (c.Verdict)
                {
                    case Iec61850Verdict.Fail:
                        w.WriteStartElement("failure");
                        w.WriteAttributeString("message", c.Message ?? "failed");
                        w.WriteString(Details(c));
                        w.WriteEndElement();
                        break;
                    case Iec61850Verdict.NotImplemented or Iec61850Verdict.Inconclusive:
                        w.WriteStartElement("error");
                        w.WriteAttributeString("type", c.Verdict.ToString());
                        w.WriteAttributeString("message", c.Message ?? c.Verdict.ToString());
                        w.WriteEndElement();
                        break;
                    case Iec61850Verdict.NotApplicable:
                        w.WriteStartElement("skipped");
                        w.WriteAttributeString("message", c.Message ?? "not applicable");
                        w.WriteEndElement();
                        break;
                }
                w.WriteElementString("system-out", Details(c));
                w.WriteEndElement();
            }
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }

    private static string Details(Iec61850CaseResult c)
    {
        var sb = new StringBuilder();
        foreach (var t in c.Timeline) sb.Append(CultureInfo.InvariantCulture, $"{t.At.TotalMilliseconds,8:0.0} ms  {t.Event}\n");
        return sb.ToString();
    }

    /// <summary>A self-contained HTML page: the verdict table, then each case's checks and timeline.</summary>
    public static string RenderHtml(Iec61850SuiteReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        static string E(string? s) => WebUtility.HtmlEncode(s ?? "");
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>IEC 61850 server conformance</title><style>")
          .Append("body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}")
          .Append(".Pass{background:#dfd}.Fail{background:#fdd}.NotImplemented{background:#fec}.Inconclusive{background:#eee}.NotApplicable{background:#f6f6f6;color:#666}")
          .Append("pre{background:#f8f8f8;padding:.5em}</style></head><body>");
        sb.Append(inv, $"<h1>IEC 61850 server conformance: {E(report.Server)}</h1><p>Model {E(report.Model)}, started {report.Started:u}, {report.Duration.TotalSeconds:0.0} s. ");
        foreach (var v in Enum.GetValues<Iec61850Verdict>()) sb.Append(inv, $"{v}: {report.Count(v)}. ");
        sb.Append("</p><table><tr><th>case</th><th>group</th><th>title</th><th>verdict</th><th>why</th></tr>");
        foreach (var c in report.Cases)
        {
            sb.Append(inv, $"<tr class=\"{c.Verdict}\"><td><a href=\"#{E(c.Id)}\">{E(c.Id)}</a></td><td>{E(c.Group)}</td><td>{E(c.Title)}</td><td>{c.Verdict}</td><td>{E(c.Message)}</td></tr>");
        }
        sb.Append("</table>");
        foreach (var c in report.Cases)
        {
            sb.Append(inv, $"<h2 id=\"{E(c.Id)}\">{E(c.Id)} {E(c.Title)}: {c.Verdict}</h2><ul>");
            foreach (var check in c.Checks) sb.Append(inv, $"<li class=\"{(check.Passed ? "Pass" : "Fail")}\">{E(check.Description)}{(check.Detail is null ? "" : ": " + E(check.Detail))}</li>");
            sb.Append("</ul><pre>").Append(E(Details(c))).Append("</pre>");
        }
        sb.Append("</body></html>");
        return sb.ToString();
    }
}
