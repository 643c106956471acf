using System.Globalization;
using System.Net;
using System.Text;
using System.Xml;
using FlexCoop.Conformance.Certification;

namespace FlexCoop.Conformance.Reports;

/// <summary>
/// A self-contained HTML page for a certification run: the verdict table, then each case with its
/// failed checks and its message timeline, every XML body pretty-printed and the element a failure
/// is about highlighted with its rule.
/// </summary>
public static class CertificationHtmlReport
{
    private const int MaxBodyCharacters = 256 * 1024;

    public static string Render(SuiteResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(result.Suite)).Append(" certification report</title><style>")
          .Append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;width:100%}")
          .Append("td,th{border-bottom:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top}")
          .Append(".pass{color:#176f2c}.fail{color:#b00020;font-weight:bold}.inconclusive{color:#a35c00}.notapplicable{color:#777}.notimplemented{color:#5b3fa0}")
          .Append("pre{background:#f6f6f6;padding:.6em;overflow-x:auto;font-size:85%}mark{background:#ffd6d6;outline:1px solid #b00020}")
          .Append(".rule{color:#b00020;font-weight:bold}.tl td{font-size:90%}section{margin-top:2em;border-top:2px solid #ccc}")
          .Append("</style></head><body>");
        sb.Append("<h1>").Append(E(result.Suite)).Append("</h1>");
        sb.Append(CultureInfo.InvariantCulture, $"<p>Started {result.Started.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z, {result.Duration.TotalSeconds:0.0} s, {result.Results.Count} cases: ");
        sb.Append(string.Join(", ", Enum.GetValues<CaseVerdict>().Select(v => $"<span class=\"{Cls(v)}\">{result.Count(v)} {Word(v)}</span>"))).Append(".</p>");
        sb.Append("<p><b>Verdict: ").Append(result.AllApplicablePassed ? "<span class=\"pass\">every applicable case passed</span>" : "<span class=\"fail\">not every applicable case passed</span>").Append("</b></p>");
        if (result.Notes.Count > 0)
        {
            sb.Append("<ul>");
            foreach (var n in result.Notes) sb.Append("<li>").Append(E(n)).Append("</li>");
            sb.Append("</ul>");
        }
        sb.Append("<table><thead><tr><th>case</th><th>title</th><th>verdict</th><th>time</th><th>first failed check</th></tr></thead><tbody>");
        foreach (var r in result.Results)
        {
            sb.Append("<tr><td><a href=\"#").Append(E(r.Case.Id)).Append("\">").Append(E(r.Case.Id)).Append("</a></td><td>").Append(E(r.Case.Title))
              .Append("</td><td class=\"").Append(Cls(r.Verdict)).Append("\">").Append(Word(r.Verdict)).Append("</td><td>")
              .Append(r.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)).Append(" s</td><td>");
            if (r.FirstFailure is { } f) sb.Append("<span class=\"rule\">").Append(E(f.Rule)).Append("</span> ").Append(E(f.Message));
            else if (r.Note is { } note) sb.Append(E(note));
            sb.Append("</td></tr>");
        }
        sb.Append("</tbody></table>");
        foreach (var r in result.Results.Where(r => r.Timeline.Count > 0 || r.Failures.Count > 0))
        {
            RenderCase(sb, r);
        }
        sb.Append("</body></html>");
        return sb.ToString();
    }

    private static void RenderCase(StringBuilder sb, CaseResult r)
    {
        sb.Append("<section id=\"").Append(E(r.Case.Id)).Append("\"><h2>").Append(E(r.Case.Id)).Append(" <span class=\"").Append(Cls(r.Verdict)).Append("\">")
          .Append(Word(r.Verdict)).Append("</span></h2><p>").Append(E(r.Case.Title)).Append(" (").Append(E(r.Case.Group))
          .Append(r.Case.Exchange switch { Exchange.Pull => ", pull", Exchange.Push => ", push", _ => "" }).Append(")</p>");
        if (r.Case.Requirement is { Length: > 0 } requirement) sb.Append("<p>Requirement: ").Append(E(requirement)).Append("</p>");
        if (r.Failures.Count > 0)
        {
            sb.Append("<ol>");
            foreach (var f in r.Failures)
            {
                sb.Append("<li><span class=\"rule\">").Append(E(f.Rule)).Append("</span>: ").Append(E(f.Message));
                if (f.Element is { Length: > 0 } el) sb.Append(" <code>").Append(E(el)).Append("</code>");
                if (f.TimelineIndex >= 0) sb.Append(CultureInfo.InvariantCulture, $" (<a href=\"#{E(r.Case.Id)}-m{f.TimelineIndex}\">message {f.TimelineIndex + 1}</a>)");
                sb.Append("</li>");
            }
            sb.Append("</ol>");
        }
        if (r.Note is { } note && r.Verdict != CaseVerdict.Fail) sb.Append("<p>").Append(E(note)).Append("</p>");
        sb.Append("<table class=\"tl\"><thead><tr><th>#</th><th>time (UTC)</th><th>direction</th><th>message</th></tr></thead><tbody>");
        for (var i = 0; i < r.Timeline.Count; i++)
        {
            var t = r.Timeline[i];
            var failures = r.Failures.Where(f => f.TimelineIndex == i).ToList();
            sb.Append(CultureInfo.InvariantCulture, $"<tr id=\"{E(r.Case.Id)}-m{i}\"><td>{i + 1}</td><td>{t.Time.UtcDateTime:HH:mm:ss.fff}</td><td>")
              .Append(E(CertificationJUnitReport.Arrow(t.Direction))).Append("</td><td>");
            if (failures.Count > 0) sb.Append("<span class=\"fail\">").Append(E(t.Label)).Append("</span>");
            else sb.Append(E(t.Label));
            if (t.Body.Length > 0)
            {
                var open = failures.Count > 0 || (t.Direction == MessageDirection.Note);
                if (t.Direction == MessageDirection.Note)
                {
                    sb.Append("<div>").Append(E(t.Body)).Append("</div>");
                }
                else
                {
                    sb.Append(open ? "<details open>" : "<details>").Append("<summary>body</summary><pre>");
                    AppendHighlighted(sb, Pretty(t.Body), failures);
                    sb.Append("</pre></details>");
                }
            }
            sb.Append("</td></tr>");
        }
        sb.Append("</tbody></table></section>");
    }

    /// <summary>Indents XML for reading; text that is not well-formed XML (or has a DTD) is shown as it came.</summary>
    internal static string Pretty(string body)
    {
        if (body.Length > MaxBodyCharacters) return body[..MaxBodyCharacters] + "\n… (cut)";
        try
        {
            var readerSettings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = MaxBodyCharacters, IgnoreWhitespace = true };
            using var reader = XmlReader.Create(new StringReader(body), readerSettings);
            var output = new StringBuilder();
            using (var writer = XmlWriter.Create(output, new XmlWriterSettings { Indent = true, IndentChars = "  ", OmitXmlDeclaration = true }))
            {
                writer.WriteNode(reader, defattr: true);
            }
            return output.ToString();
        }
        catch (XmlException)
        {
            return body;
        }
    }

    /// <summary>Writes the body HTML-encoded, marking the line each failure is about and naming its rule there.</summary>
    private static void AppendHighlighted(StringBuilder sb, string text, IReadOnlyList<CheckFailure> failures)
    {
        var lines = text.Split('\n');
        var marks = new Dictionary<int, List<CheckFailure>>();
        foreach (var f in failures)
        {
            var line = FindLine(lines, f.Element);
            if (!marks.TryGetValue(line, out var list)) marks[line] = list = [];
            list.Add(f);
        }
        for (var i = 0; i < lines.Length; i++)
        {
            if (marks.TryGetValue(i, out var here))
            {
                var title = string.Join("; ", here.Select(f => $"{f.Rule}: {f.Message}"));
                sb.Append("<mark title=\"").Append(E(title)).Append("\">").Append(E(lines[i].TrimEnd('\r'))).Append("</mark>");
                foreach (var f in here) sb.Append("  <span class=\"rule\">← ").Append(E(f.Rule)).Append(": ").Append(E(f.Message)).Append("</span>");
            }
            else
            {
                sb.Append(E(lines[i].TrimEnd('\r')));
            }
            if (i < lines.Length - 1) sb.Append('\n');
        }
    }

    /// <summary>The line an element path (<c>/a/b[2]/ei:venID</c>) or snippet (<c>&lt;ei:venID&gt;x</c>) points at; 0 when unknown.</summary>
    internal static int FindLine(string[] lines, string? element)
    {
        if (string.IsNullOrEmpty(element)) return 0;
        string needle;
        if (element.StartsWith('<'))
        {
            var end = element.IndexOf('<', 1);
            needle = end > 0 ? element[..end] : element;
        }
        else if (element.StartsWith('/'))
        {
            var last = element.Split(' ')[0].TrimEnd('/').Split('/')[^1];
            var bracket = last.IndexOf('[', StringComparison.Ordinal);
            if (bracket >= 0) last = last[..bracket];
            var colon = last.IndexOf(':', StringComparison.Ordinal);
            needle = ":" + (colon >= 0 ? last[(colon + 1)..] : last);
            for (var i = 0; i < lines.Length; i++)
            {
                var l = lines[i];
                if (l.Contains(needle + ">", StringComparison.Ordinal) || l.Contains(needle + " ", StringComparison.Ordinal) || l.Contains(needle + "/>", StringComparison.Ordinal)) return i;
            }
            return 0;
        }
        else
        {
            needle = element;
        }
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Contains(needle, StringComparison.Ordinal)) return i;
        }
        // A snippet's tag alone, when its text differs.
        var gt = needle.IndexOf('>', StringComparison.Ordinal);
        if (gt > 0)
        {
            var tag = needle[..gt];
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].Contains(tag, StringComparison.Ordinal)) return i;
            }
        }
        return 0;
    }

    internal static string Word(CaseVerdict v) => v switch
    {
        CaseVerdict.Pass => "pass",
        CaseVerdict.Fail => "fail",
        CaseVerdict.NotApplicable => "not applicable",
        CaseVerdict.Inconclusive => "inconclusive",
        _ => "not implemented",
    };

    private static string Cls(CaseVerdict v) => v.ToString().ToLowerInvariant();

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
