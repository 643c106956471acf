using System.Globalization;
using System.Net;
using System.Text;
using System.Xml;

namespace FlexCoop.Conformance.Uftp;

/// <summary>Writes a <see cref="UftpSuiteReport"/> as text, JUnit XML or a self-contained HTML page.</summary>
public static class UftpSuiteReports
{
    /// <summary>One line per case (<c>PASS  id  title</c>) with its findings indented below, then a summary line.</summary>
    public static string ToText(UftpSuiteReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder();
        foreach (var r in report.Results)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{Label(r.Verdict),-15} {r.Case.Id,-40} {r.Case.Title}\n");
            foreach (var f in r.Findings) sb.Append("                ").Append(f).Append('\n');
        }
        sb.Append(Summary(report)).Append('\n');
        return sb.ToString();
    }

    /// <summary>The summary line: counts per verdict and the overall outcome.</summary>
    public static string Summary(UftpSuiteReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return string.Create(CultureInfo.InvariantCulture,
            $"{report.Role} {report.Domain} at {report.Endpoint}: {report.Results.Count} cases, {report.Count(UftpVerdict.Pass)} passed, {report.Count(UftpVerdict.Fail)} failed, " +
            $"{report.Count(UftpVerdict.NotApplicable)} not applicable, {report.Count(UftpVerdict.NotImplemented)} not implemented ({report.Duration.TotalSeconds:0.0} s): {(report.Passed ? "PASSED" : "FAILED")}");
    }

    /// <summary>JUnit XML: one test suite, one test case per case; Fail is a failure, NotImplemented an error, NotApplicable skipped.</summary>
    public static void WriteJUnit(UftpSuiteReport report, Stream output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        using var w = XmlWriter.Create(output, new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) });
        w.WriteStartDocument();
        w.WriteStartElement("testsuites");
        w.WriteStartElement("testsuite");
        w.WriteAttributeString("name", $"uftp {report.Role} {report.Domain}");
        w.WriteAttributeString("tests", report.Results.Count.ToString(CultureInfo.InvariantCulture));
        w.WriteAttributeString("failures", report.Count(UftpVerdict.Fail).ToString(CultureInfo.InvariantCulture));
        w.WriteAttributeString("errors", report.Count(UftpVerdict.NotImplemented).ToString(CultureInfo.InvariantCulture));
        w.WriteAttributeString("skipped", report.Count(UftpVerdict.NotApplicable).ToString(CultureInfo.InvariantCulture));
        w.WriteAttributeString("timestamp", report.Started.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
        w.WriteAttributeString("time", report.Duration.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture));
        foreach (var r in report.Results)
        {
            w.WriteStartElement("testcase");
            w.WriteAttributeString("classname", "uftp." + r.Case.Id[..Math.Max(0, r.Case.Id.IndexOf('.', StringComparison.Ordinal))]);
            w.WriteAttributeString("name", r.Case.Id);
            w.WriteAttributeString("time", r.Duration.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture));
            var text = string.Join("\n", r.Findings);
            switch (r.Verdict)
            {
                case UftpVerdict.Fail:
                    w.WriteStartElement("failure");
                    w.WriteAttributeString("message", r.Findings.Count > 0 ? r.Findings[0] : "failed");
                    w.WriteString($"{r.Case.Title}\nrequirement: {r.Case.Requirement}\n{text}");
                    w.WriteEndElement();
                    break;
                case UftpVerdict.NotImplemented:
                    w.WriteStartElement("error");
                    w.WriteAttributeString("message", "not implemented");
                    w.WriteString(r.Case.Title);
                    w.WriteEndElement();
                    break;
                case UftpVerdict.NotApplicable:
                    w.WriteStartElement("skipped");
                    w.WriteAttributeString("message", r.Findings.Count > 0 ? r.Findings[0] : "not applicable");
                    w.WriteEndElement();
                    break;
                default:
                    if (text.Length > 0)
                    {
                        w.WriteStartElement("system-out");
                        w.WriteString(text);
                        w.WriteEndElement();
                    }
                    break;
            }
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndDocument();
    }

    /// <summary>A self-contained HTML page: the summary, then a row per case with its verdict, requirement and findings.</summary>
    public static string ToHtml(UftpSuiteReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>FlexCoop UFTP conformance: ").Append(E(report.Domain)).Append("</title><style>")
          .Append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;width:100%}")
          .Append("td,th{border-bottom:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top}")
          .Append(".pass{color:#176f2c}.fail{color:#b00020;font-weight:bold}.notapplicable{color:#777}.notimplemented{color:#a35c00;font-weight:bold}")
          .Append("</style></head><body>");
        sb.Append("<h1>UFTP conformance of ").Append(E(report.Role.ToString())).Append(' ').Append(E(report.Domain)).Append("</h1>");
        sb.Append("<p>").Append(E(Summary(report))).Append("</p>");
        sb.Append("<table><thead><tr><th>case</th><th>verdict</th><th>what</th><th>findings</th></tr></thead><tbody>");
        foreach (var r in report.Results)
        {
            var cls = r.Verdict.ToString().ToLowerInvariant();
            sb.Append("<tr id=\"").Append(E(r.Case.Id)).Append("\"><td><code>").Append(E(r.Case.Id)).Append("</code></td>")
              .Append("<td class=\"").Append(cls).Append("\">").Append(E(Label(r.Verdict))).Append("</td>")
              .Append("<td>").Append(E(r.Case.Title)).Append("<br><small>requirement: ").Append(E(r.Case.Requirement)).Append("</small></td><td>");
            foreach (var f in r.Findings) sb.Append("<div>").Append(E(f)).Append("</div>");
            sb.Append("</td></tr>");
        }
        sb.Append("</tbody></table></body></html>");
        return sb.ToString();
    }

    private static string Label(UftpVerdict verdict) => verdict switch
    {
        UftpVerdict.Pass => "PASS",
        UftpVerdict.Fail => "FAIL",
        UftpVerdict.NotApplicable => "N/A",
        _ => "NOT-IMPLEMENTED",
    };

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
