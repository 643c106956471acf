using System.Text;
using System.Text.RegularExpressions;

namespace FlexCoop.Saref.Rdf.Internal;

/// <summary>Reference resolution of RFC 3986 section 5.2 (strict), on strings, without normalisation.</summary>
internal static partial class IriResolver
{
    // RFC 3986 appendix B: scheme, authority, path, query, fragment.
    [GeneratedRegex(@"^(?:([^:/?#]+):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Components();

    public static string Resolve(string baseIri, string reference)
    {
        var r = Components().Match(reference);
        var b = Components().Match(baseIri);
        string? scheme, authority, query;
        string path;
        if (r.Groups[1].Success)
        {
            scheme = r.Groups[1].Value;
            authority = Opt(r, 2);
            path = RemoveDotSegments(r.Groups[3].Value);
            query = Opt(r, 4);
        }
        else
        {
            scheme = Opt(b, 1);
            if (r.Groups[2].Success)
            {
                authority = r.Groups[2].Value;
                path = RemoveDotSegments(r.Groups[3].Value);
                query = Opt(r, 4);
            }
            else
            {
                authority = Opt(b, 2);
                var rpath = r.Groups[3].Value;
                if (rpath.Length == 0)
                {
                    path = b.Groups[3].Value;
                    query = r.Groups[4].Success ? r.Groups[4].Value : Opt(b, 4);
                }
                else
                {
                    path = rpath.StartsWith('/') ? RemoveDotSegments(rpath) : RemoveDotSegments(Merge(b, rpath));
                    query = Opt(r, 4);
                }
            }
        }
        var sb = new StringBuilder();
        if (scheme is not null) sb.Append(scheme).Append(':');
        if (authority is not null) sb.Append("//").Append(authority);
        sb.Append(path);
        if (query is not null) sb.Append('?').Append(query);
        if (r.Groups[5].Success) sb.Append('#').Append(r.Groups[5].Value);
        return sb.ToString();
    }

    private static string? Opt(Match m, int group) => m.Groups[group].Success ? m.Groups[group].Value : null;

    private static string Merge(Match b, string relativePath)
    {
        var basePath = b.Groups[3].Value;
        if (b.Groups[2].Success && basePath.Length == 0) return "/" + relativePath;
        var slash = basePath.LastIndexOf('/');
        return slash < 0 ? relativePath : basePath[..(slash + 1)] + relativePath;
    }

    private static string RemoveDotSegments(string input)
    {
        if (!input.Contains('.', StringComparison.Ordinal)) return input;
        var output = new StringBuilder();
        var i = input;
        while (i.Length > 0)
        {
            if (i.StartsWith("../", StringComparison.Ordinal)) i = i[3..];
            else if (i.StartsWith("./", StringComparison.Ordinal)) i = i[2..];
            else if (i.StartsWith("/./", StringComparison.Ordinal)) i = i[2..];
            else if (i == "/.") i = "/";
            else if (i.StartsWith("/../", StringComparison.Ordinal) || i == "/..")
            {
                i = i == "/.." ? "/" : i[3..];
                var s = output.ToString();
                var last = s.LastIndexOf('/');
                output.Clear().Append(last < 0 ? "" : s[..last]);
            }
            else if (i is "." or "..") i = "";
            else
            {
                var start = i.StartsWith('/') ? 1 : 0;
                var next = i.IndexOf('/', start);
                if (next < 0) next = i.Length;
                output.Append(i, 0, next);
                i = i[next..];
            }
        }
        return output.ToString();
    }
}
