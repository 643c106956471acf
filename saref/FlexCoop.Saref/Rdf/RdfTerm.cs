using System.Globalization;
using FlexCoop.Saref.Rdf.Internal;

namespace FlexCoop.Saref.Rdf;

/// <summary>
/// An RDF term: an <see cref="RdfIri"/>, an <see cref="RdfBlankNode"/> or an <see cref="RdfLiteral"/>.
/// Terms are immutable values; two terms are equal when they are the same RDF term
/// (RDF 1.1 Concepts, section 3).
/// </summary>
public abstract record RdfTerm
{
    private protected RdfTerm() { }

    /// <summary>The term in N-Triples syntax.</summary>
    public abstract override string ToString();
}

/// <summary>An absolute IRI. The value is kept exactly as given (no normalisation).</summary>
public sealed record RdfIri : RdfTerm
{
    /// <summary>Creates an IRI; throws <see cref="ArgumentException"/> unless it is absolute (has a scheme) and is valid Unicode.</summary>
    public RdfIri(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!IriText.HasScheme(value))
        {
            throw new ArgumentException($"not an absolute IRI (no scheme): '{value}'", nameof(value));
        }
        if (!UnicodeText.IsWellFormed(value))
        {
            throw new ArgumentException("IRI contains an unpaired surrogate", nameof(value));
        }
        Value = value;
    }

    /// <summary>The IRI as a string.</summary>
    public string Value { get; }

    public override string ToString() => NTriplesSyntax.Iri(Value);

    /// <summary>Same as <c>new RdfIri(value)</c>.</summary>
    public static implicit operator RdfIri(string value) => new(value);

    public static RdfIri FromString(string value) => new(value);
}

/// <summary>
/// A blank node. The label identifies it within one graph only; writers renumber labels, and
/// two graphs that differ only in blank node labels are isomorphic, not equal.
/// </summary>
public sealed record RdfBlankNode : RdfTerm
{
    /// <summary>Creates a blank node with a label of letters, digits, '_', '-' or '.' (not last).</summary>
    public RdfBlankNode(string label)
    {
        ArgumentException.ThrowIfNullOrEmpty(label);
        Label = label;
    }

    /// <summary>The label without the <c>_:</c> prefix.</summary>
    public string Label { get; }

    public override string ToString() => "_:" + Label;
}

/// <summary>
/// A literal: a lexical form, a datatype IRI, and for <c>rdf:langString</c> a language tag
/// (normalised to lower case, as tags compare case-insensitively).
/// </summary>
public sealed record RdfLiteral : RdfTerm
{
    /// <summary>Creates a literal. With a language tag the datatype must be <c>rdf:langString</c> (or null).</summary>
    public RdfLiteral(string lexicalForm, RdfIri? datatype = null, string? language = null)
    {
        ArgumentNullException.ThrowIfNull(lexicalForm);
        if (!UnicodeText.IsWellFormed(lexicalForm))
        {
            throw new ArgumentException("literal contains an unpaired surrogate", nameof(lexicalForm));
        }
        if (language is not null)
        {
            if (!LanguageTag.IsValid(language))
            {
                throw new ArgumentException($"invalid language tag '{language}'", nameof(language));
            }
            if (datatype is not null && datatype != RdfVocabulary.RdfLangString)
            {
                throw new ArgumentException("a literal with a language tag has datatype rdf:langString", nameof(datatype));
            }
            Language = language.ToLowerInvariant();
            Datatype = RdfVocabulary.RdfLangString;
        }
        else
        {
            if (datatype == RdfVocabulary.RdfLangString)
            {
                throw new ArgumentException("an rdf:langString literal needs a language tag", nameof(language));
            }
            Datatype = datatype ?? RdfVocabulary.XsdString;
        }
        LexicalForm = lexicalForm;
    }

    /// <summary>The lexical form, exactly as given.</summary>
    public string LexicalForm { get; }

    /// <summary>The datatype IRI: <c>xsd:string</c> for simple literals, <c>rdf:langString</c> with a language tag.</summary>
    public RdfIri Datatype { get; }

    /// <summary>The language tag in lower case, or null.</summary>
    public string? Language { get; }

    public override string ToString() => NTriplesSyntax.Literal(this);

    /// <summary>A simple literal (<c>xsd:string</c>).</summary>
    public static RdfLiteral String(string value) => new(value);

    /// <summary>A language-tagged string.</summary>
    public static RdfLiteral LangString(string value, string language) => new(value, null, language);

    /// <summary>An <c>xsd:integer</c> in canonical form.</summary>
    public static RdfLiteral Integer(long value) => new(value.ToString(CultureInfo.InvariantCulture), RdfVocabulary.XsdInteger);

    /// <summary>An <c>xsd:decimal</c> in canonical form (at least one digit after the point).</summary>
    public static RdfLiteral Decimal(decimal value) => new(XsdCanonical.Decimal(value), RdfVocabulary.XsdDecimal);

    /// <summary>An <c>xsd:double</c> in canonical form (<c>1.5E3</c>).</summary>
    public static RdfLiteral Double(double value) => new(XsdCanonical.Double(value), RdfVocabulary.XsdDouble);

    /// <summary>An <c>xsd:boolean</c>.</summary>
    public static RdfLiteral Boolean(bool value) => new(value ? "true" : "false", RdfVocabulary.XsdBoolean);

    /// <summary>An <c>xsd:dateTime</c> with its offset (UTC written as <c>Z</c>).</summary>
    public static RdfLiteral DateTime(DateTimeOffset value) => new(XsdCanonical.DateTime(value), RdfVocabulary.XsdDateTime);

    /// <summary>An <c>xsd:duration</c> (e.g. <c>PT1H30M</c>).</summary>
    public static RdfLiteral Duration(TimeSpan value) => new(XsdCanonical.Duration(value), RdfVocabulary.XsdDuration);
}

/// <summary>An RDF triple. The subject is an IRI or blank node; literals are refused.</summary>
public sealed record RdfTriple
{
    public RdfTriple(RdfTerm subject, RdfIri predicate, RdfTerm @object)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentNullException.ThrowIfNull(@object);
        if (subject is RdfLiteral)
        {
            throw new ArgumentException("a literal cannot be the subject of a triple", nameof(subject));
        }
        Subject = subject;
        Predicate = predicate;
        Object = @object;
    }

    public RdfTerm Subject { get; }

    public RdfIri Predicate { get; }

    public RdfTerm Object { get; }

    /// <summary>The triple as one N-Triples line without the line end.</summary>
    public override string ToString() => $"{Subject} {Predicate} {Object} .";
}
