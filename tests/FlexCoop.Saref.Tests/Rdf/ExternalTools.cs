using FlexCoop.Testing;

namespace FlexCoop.Saref.Tests.Rdf;

/// <summary>Debian's rapper and python3-rdflib, found or skipped (failed under CI=true).</summary>
internal static class ExternalTools
{
    public static string RequireRapper() => TestEnvironment.RequireTool("rapper", "raptor2-utils");

    /// <summary>A python3 that can <c>import rdflib</c>: the one on PATH, else Debian's /usr/bin/python3.</summary>
    public static async Task<string> RequirePythonWithRdflibAsync()
    {
        var candidates = new[] { TestEnvironment.FindOnPath("python3"), "/usr/bin/python3" }
            .Where(p => p is not null && File.Exists(p)).Distinct();
        foreach (var python in candidates)
        {
            var (code, _, _) = await TestEnvironment.RunAsync(python!, ["-c", "import rdflib"]);
            if (code == 0) return python!;
        }
        TestEnvironment.SkipOrFail("no python3 can 'import rdflib' (Debian package python3-rdflib)");
        return "";
    }

    /// <summary>A fresh temporary directory, deleted by the caller.</summary>
    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "flexcoop-saref-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>
    /// Parses the Turtle and the JSON-LD file with rdflib and prints "turtle-count jsonld-count isomorphic"
    /// on the first line, then the JSON-LD graph as N-Triples. rdflib 6's Turtle parser rewrites the
    /// lexical form of xsd:double shorthands ("1.5E3" becomes "1500.0") whatever NORMALIZE_LITERALS says,
    /// so for the isomorphism check both graphs get doubles in rdflib's own form; every other literal is
    /// compared exactly as written.
    /// </summary>
    public const string RdflibScript = """
        import sys
        import rdflib
        from rdflib import Literal, XSD
        from rdflib.compare import isomorphic
        rdflib.NORMALIZE_LITERALS = False

        def doubles_as_rdflib_writes_them(graph):
            out = rdflib.Graph()
            for s, p, o in graph:
                if isinstance(o, Literal) and o.datatype == XSD.double:
                    o = Literal(float(o), datatype=XSD.double)
                out.add((s, p, o))
            return out

        turtle = rdflib.Graph()
        turtle.parse(sys.argv[1], format="turtle")
        jsonld = rdflib.Graph()
        jsonld.parse(sys.argv[2], format="json-ld")
        same = isomorphic(doubles_as_rdflib_writes_them(turtle), doubles_as_rdflib_writes_them(jsonld))
        print(len(turtle), len(jsonld), same)
        out = jsonld.serialize(format="nt")
        if isinstance(out, bytes):
            out = out.decode("utf-8")
        sys.stdout.write(out)
        """;
}
