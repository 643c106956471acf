using System.Globalization;
using System.Text;

namespace FlexCoop.Saref.Rdf.Internal;

/// <summary>Term syntax shared by the N-Triples and Turtle writers.</summary>
internal static class NTriplesSyntax
{
    /// <summary><c>&lt;iri&gt;</c> with characters forbidden in an IRIREF written as <c>\uXXXX</c>.</summary>
    public static string Iri(string value)
    {
        var sb = new StringBuilder(value.Length + 2);
        AppendIri(sb, value);
        return sb.ToString();
    }

    public static void AppendIri(StringBuilder sb, string value)
    {
        sb.Append('<');
        foreach (var c in value)
        {
            if (IriText.IsForbiddenInIriRef(c)) AppendUchar(sb, c);
            else sb.Append(c);
        }
        sb.Append('>');
    }

    /// <summary>A literal in canonical N-Triples form: only ", \, LF and CR are escaped (with ECHAR).</summary>
    public static string Literal(RdfLiteral literal)
    {
        var sb = new StringBuilder(literal.LexicalForm.Length + 8);
        AppendLiteral(sb, literal);
        return sb.ToString();
    }

    public static void AppendLiteral(StringBuilder sb, RdfLiteral literal)
    {
        sb.Append('"');
        foreach (var c in literal.LexicalForm)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                default: sb.Append(c); break;
            }
        }
        sb.Append('"');
        if (literal.Language is not null)
        {
            sb.Append('@').Append(literal.Language);
        }
        else if (literal.Datatype != RdfVocabulary.XsdString)
        {
            sb.Append("^^");
            AppendIri(sb, literal.Datatype.Value);
        }
    }

    public static void AppendUchar(StringBuilder sb, char c) =>
        sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
}
