using System.Globalization;
using System.Net;
using System.Text;
using FlexCoop.Conformance.Replay;

namespace FlexCoop.Conformance.Reports;

/// <summary>A self-contained HTML page: summary, then every message in order with its verdict and findings.</summary>
public static class HtmlReport
{
    public static string Render(ReplayReport report, Func<MessageVerdict, string?>? body = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>FlexCoop replay: ")
          .Append(E(report.Source)).Append("</title><style>")
          .Append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;width:100%}")
          .Append("td,th{border-bottom:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top}")
          .Append(".pass{color:#176f2c}.fail{color:#b00020;font-weight:bold}.unreadable{color:#a35c00}.notchecked{color:#777}")
          .Append("pre{background:#f6f6f6;padding:.6em;overflow-x:auto;font-size:85%}details{margin:.2em 0}")
          .Append("</style></head><body>");
        sb.Append("<h1>Replay of ").Append(E(report.Source)).Append("</h1>");
        sb.Append(CultureInfo.InvariantCulture, $"<p>{report.Verdicts.Count} messages: <span class=\"pass\">{report.Count(Verdict.Pass)} passed</span>, ")
          .Append(CultureInfo.InvariantCulture, $"<span class=\"fail\">{report.Count(Verdict.Fail)} failed</span>, ")
          .Append(CultureInfo.InvariantCulture, $"<span class=\"unreadable\">{report.Count(Verdict.Unreadable)} unreadable</span>, ")
          .Append(CultureInfo.InvariantCulture, $"<span class=\"notchecked\">{report.Count(Verdict.NotChecked)} not checked</span>.</p>");
        sb.Append("<table><thead><tr><th>#</th><th>time</th><th>party</th><th>message</th><th>verdict</th><th>findings</th></tr></thead><tbody>");
        foreach (var v in report.Verdicts)
        {
            var cls = v.Verdict.ToString().ToLowerInvariant();
            sb.Append("<tr id=\"m").Append(v.Seq.ToString(CultureInfo.InvariantCulture)).Append('-').Append(v.Direction).Append("\">")
              .Append("<td>").Append(v.Seq.ToString(CultureInfo.InvariantCulture)).Append("</td>")
              .Append("<td>").Append(E(v.Time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture))).Append("</td>")
              .Append("<td>").Append(E(v.Party ?? "")).Append("</td>")
              .Append("<td>").Append(E(v.Direction)).Append(' ').Append(E(v.MessageType)).Append("</td>")
              .Append("<td class=\"").Append(cls).Append("\">").Append(cls).Append("</td><td>");
            foreach (var f in v.Findings)
            {
                sb.Append("<div><b>").Append(E(f.Rule)).Append("</b>: ").Append(E(f.Message));
                if (f.Location.Length > 0) sb.Append(" <code>").Append(E(f.Location)).Append("</code>");
                sb.Append("</div>");
            }
            if (body?.Invoke(v) is { Length: > 0 } text)
            {
                sb.Append("<details><summary>message</summary><pre>").Append(E(text)).Append("</pre></details>");
            }
            sb.Append("</td></tr>");
        }
        sb.Append("</tbody></table></body></html>");
        return sb.ToString();
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
