using System.Xml.Linq;

namespace FlexCoop.Cli.Tests;

/// <summary>Reading the JUnit XML a <c>flexcoop conformance</c> run wrote: its test cases, one case by ID, the all-passed check.</summary>
internal static class ConformanceJUnit
{
    /// <summary>Every <c>testcase</c> of the report.</summary>
    public static List<XElement> Cases(string junit) => XDocument.Load(junit).Descendants("testcase").ToList();

    /// <summary>The <c>testcase</c> of case <paramref name="caseId"/> (its name starts with the ID).</summary>
    public static XElement Case(string junit, string caseId) =>
        Cases(junit).Single(t => t.Attribute("name")!.Value.StartsWith(caseId, StringComparison.Ordinal));

    /// <summary>Checks the report has <paramref name="count"/> cases and none failed; returns them.</summary>
    public static List<XElement> AssertAllPassed(string junit, int count)
    {
        var cases = Cases(junit);
        Assert.Equal(count, cases.Count);
        Assert.All(cases, c => Assert.Empty(c.Elements("failure")));
        return cases;
    }
}
