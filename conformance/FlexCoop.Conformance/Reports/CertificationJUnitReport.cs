using System.Globalization;
using System.Text;
using System.Xml;
using FlexCoop.Conformance.Certification;

namespace FlexCoop.Conformance.Reports;

/// <summary>
/// Writes a certification run as JUnit XML: one test case per certification case. Fail is a
/// <c>failure</c>; Inconclusive and NotImplemented are <c>error</c>s (so CI does not count them as
/// passed); NotApplicable is <c>skipped</c>. The case's timeline goes to <c>system-out</c>.
/// </summary>
public static class CertificationJUnitReport
{
    public static void Write(SuiteResult result, Stream output)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(output);
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) };
        using var w = XmlWriter.Create(output, settings);
        w.WriteStartDocument();
        w.WriteStartElement("testsuites");
        w.WriteAttributeString("name", result.Suite);
        w.WriteStartElement("testsuite");
        w.WriteAttributeString("name", result.Suite);
        w.WriteAttributeString("tests", result.Results.Count.ToString(CultureInfo.InvariantCulture));
        w.WriteAttributeString("failures", result.Count(CaseVerdict.Fail).ToString(CultureInfo.InvariantCulture));
        w.WriteAttributeString("errors", (result.Count(CaseVerdict.Inconclusive) + result.Count(CaseVerdict.NotImplemented)).ToString(CultureInfo.InvariantCulture));
        w.WriteAttributeString("skipped", result.Count(CaseVerdict.NotApplicable).ToString(CultureInfo.InvariantCulture));
        w.WriteAttributeString("time", result.Duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture));
        w.WriteAttributeString("timestamp", result.Started.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
        w.WriteStartElement("properties");
        foreach (var note in result.Notes)
        {
            w.WriteStartElement("property");
            w.WriteAttributeString("name", "note");
            w.WriteAttributeString("value", note);
            w.WriteEndElement();
        }
        w.WriteEndElement();
        foreach (var r in result.Results)
        {
            w.WriteStartElement("testcase");
            w.WriteAttributeString("classname", $"{result.Suite}.{r.Case.Group}");
            w.WriteAttributeString("name", $"{r.Case.Id} {r.Case.Title}");
            w.WriteAttributeString("time", r.Duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture));
            switch (r.Verdict)
            {
                case CaseVerdict.Fail:
                    w.WriteStartElement("failure");
                    w.WriteAttributeString("type", r.FirstFailure!.Rule);
                    w.WriteAttributeString("message", r.FirstFailure.ToString());
                    w.WriteString((r.Case.Requirement is { Length: > 0 } requirement ? "requirement: " + requirement + "\n" : "") + string.Join("\n", r.Failures));
                    w.WriteEndElement();
                    break;
                case CaseVerdict.Inconclusive or CaseVerdict.NotImplemented:
                    w.WriteStartElement("error");
                    w.WriteAttributeString("type", r.Verdict.ToString());
                    w.WriteAttributeString("message", r.Note ?? r.Verdict.ToString());
                    w.WriteEndElement();
                    break;
                case CaseVerdict.NotApplicable:
                    w.WriteStartElement("skipped");
                    w.WriteAttributeString("message", r.Note ?? "not applicable");
                    w.WriteEndElement();
                    break;
            }
            if (r.Timeline.Count > 0)
            {
                w.WriteStartElement("system-out");
                var sb = new StringBuilder();
                foreach (var t in r.Timeline)
                {
                    sb.Append(t.Time.UtcDateTime.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)).Append(' ')
                      .Append(Arrow(t.Direction)).Append(' ').Append(t.Label).Append('\n');
                }
                w.WriteCData(sb.ToString().Replace("]]>", "]]]]><![CDATA[>", StringComparison.Ordinal));
                w.WriteEndElement();
            }
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndDocument();
    }

    internal static string Arrow(MessageDirection direction) => direction switch
    {
        MessageDirection.FromDevice => "device → harness",
        MessageDirection.ToDevice => "harness → device",
        _ => "note",
    };
}
