using System.Globalization;
using System.Text.Json;
using FlexCoop.Saref.Rdf.Internal;

namespace FlexCoop.Saref.Rdf;

/// <summary>
/// Reads JSON-LD 1.1 documents into a graph without fetching anything: compacted documents with an
/// inline <c>@context</c> (as <see cref="JsonLdWriter"/> writes them, or with SAREF prefixes and term
/// definitions) and expanded documents. Supported: prefixes, term definitions with <c>@id</c>,
/// <c>@type</c> coercion (<c>@id</c>, <c>@vocab</c>, a datatype), <c>@language</c> and
/// <c>@container</c> <c>@set</c>/<c>@list</c>; <c>@vocab</c>, <c>@base</c>, default <c>@language</c>;
/// <c>@graph</c>, <c>@id</c>, <c>@type</c>, value objects, native strings, numbers and booleans,
/// nested and blank nodes, <c>@list</c>. Remote contexts, <c>@reverse</c>, <c>@included</c>,
/// <c>@nest</c>, named graphs and JSON literals are refused with a <see cref="JsonLdException"/>
/// naming the JSON path, as is anything over the <see cref="RdfReaderLimits"/>.
/// </summary>
public static class JsonLdReader
{
    /// <summary>Parses a JSON-LD document. Relative IRIs resolve against <c>@base</c>, else <paramref name="baseIri"/>.</summary>
    public static RdfGraph Parse(string json, string? baseIri = null, RdfReaderLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        limits = (limits ?? RdfReaderLimits.Default).Validated();
        if (json.Length > limits.MaxCharacters)
        {
            throw new JsonLdException("$", $"document of {json.Length} characters is larger than the limit of {limits.MaxCharacters}");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = limits.MaxDepth, CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false });
        }
        catch (JsonException ex)
        {
            throw new JsonLdException("$", "not well-formed JSON: " + ex.Message, (int)(ex.LineNumber ?? -1) + 1, ex);
        }
        using (document)
        {
            return new Session(baseIri, limits).Run(document.RootElement);
        }
    }

    /// <summary>Reads a JSON-LD document from <paramref name="reader"/>, refusing more than the limit's characters.</summary>
    public static async Task<RdfGraph> ParseAsync(TextReader reader, string? baseIri = null, RdfReaderLimits? limits = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        limits = (limits ?? RdfReaderLimits.Default).Validated();
        string text;
        try
        {
            text = await BoundedText.ReadAsync(reader, limits.MaxCharacters, cancellationToken).ConfigureAwait(false);
        }
        catch (RdfParseException ex)
        {
            throw new JsonLdException("$", ex.Detail, 0, ex);
        }
        return Parse(text, baseIri, limits);
    }

    /// <summary>True when the text is a JSON object or array whose top level (or first element) has <c>@context</c> or <c>@graph</c>, or an expanded document.</summary>
    public static bool LooksLikeJsonLd(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.AsSpan().TrimStart();
        if (t.Length == 0 || (t[0] != '{' && t[0] != '[')) return false;
        return text.Contains("\"@context\"", StringComparison.Ordinal) || text.Contains("\"@graph\"", StringComparison.Ordinal) || text.Contains("\"@id\"", StringComparison.Ordinal);
    }

    private sealed record TermDefinition(string? Iri, string? TypeMapping, string? Language, bool HasLanguage, bool IsList);

    private sealed class Context
    {
        public Dictionary<string, TermDefinition> Terms { get; init; } = new(StringComparer.Ordinal);
        public string? Vocab { get; set; }
        public string? Base { get; set; }
        public string? Language { get; set; }

        public Context Clone() => new() { Terms = new Dictionary<string, TermDefinition>(Terms, StringComparer.Ordinal), Vocab = Vocab, Base = Base, Language = Language };
    }

    private sealed class Session(string? baseIri, RdfReaderLimits limits)
    {
        private readonly RdfGraph graph = new();
        private readonly Dictionary<string, RdfBlankNode> blankLabels = new(StringComparer.Ordinal);
        private int blankCounter;
        private int depth;

        public RdfGraph Run(JsonElement root)
        {
            var context = new Context { Base = baseIri };
            switch (root.ValueKind)
            {
                case JsonValueKind.Array:
                    var i = 0;
                    foreach (var item in root.EnumerateArray()) TopLevel(item, context, $"$[{i++}]");
                    break;
                case JsonValueKind.Object:
                    TopLevel(root, context, "$");
                    break;
                default:
                    throw new JsonLdException("$", "a JSON-LD document is an object or an array");
            }
            return graph;
        }

        private void TopLevel(JsonElement element, Context context, string path)
        {
            if (element.ValueKind != JsonValueKind.Object) throw new JsonLdException(path, "a top-level item must be a node object");
            if (element.TryGetProperty("@context", out var ctx))
            {
                context = context.Clone();
                ApplyContext(ctx, context, path + ".@context");
                // Prefixes become the graph's prefixes, so writers reuse them.
                foreach (var (term, def) in context.Terms)
                {
                    if (def.Iri is { } iri && (iri.EndsWith('/') || iri.EndsWith('#')) && def.TypeMapping is null && !def.HasLanguage && !def.IsList && graph.Namespaces.Resolve(term) is null)
                    {
                        graph.Namespaces.Add(term, iri);
                    }
                }
            }
            var onlyGraph = element.TryGetProperty("@graph", out var g) && element.EnumerateObject().All(p => p.Name is "@context" or "@graph");
            if (onlyGraph)
            {
                Items(g, path + ".@graph", item => { Node(item.Element, context, item.Path); });
                return;
            }
            Node(element, context, path);
        }

        private void Items(JsonElement element, string path, Action<(JsonElement Element, string Path)> each)
        {
            if (element.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var item in element.EnumerateArray()) each((item, $"{path}[{i++}]"));
            }
            else each((element, path));
        }

        private void ApplyContext(JsonElement ctx, Context context, string path)
        {
            switch (ctx.ValueKind)
            {
                case JsonValueKind.Null:
                    context.Terms.Clear();
                    context.Vocab = null;
                    context.Language = null;
                    return;
                case JsonValueKind.String:
                    throw new JsonLdException(path, $"remote context '{ctx.GetString()}' is not fetched: put the context inline");
                case JsonValueKind.Array:
                    var i = 0;
                    foreach (var item in ctx.EnumerateArray()) ApplyContext(item, context, $"{path}[{i++}]");
                    return;
                case JsonValueKind.Object:
                    break;
                default:
                    throw new JsonLdException(path, "a @context is an object, an array, a string or null");
            }
            // Keywords first, so term definitions see @vocab and @base.
            foreach (var p in ctx.EnumerateObject())
            {
                var at = $"{path}.{p.Name}";
                switch (p.Name)
                {
                    case "@version":
                        if (p.Value.ValueKind != JsonValueKind.Number || p.Value.GetRawText() != "1.1") throw new JsonLdException(at, "@version must be 1.1");
                        break;
                    case "@vocab":
                        context.Vocab = p.Value.ValueKind == JsonValueKind.Null ? null : ExpandIri(String(p.Value, at), context, vocab: true, at);
                        break;
                    case "@base":
                        context.Base = p.Value.ValueKind == JsonValueKind.Null ? null : Resolve(String(p.Value, at), context, at);
                        break;
                    case "@language":
                        context.Language = p.Value.ValueKind == JsonValueKind.Null ? null : Language(String(p.Value, at), at);
                        break;
                    case "@protected" or "@propagate":
                        break;
                    case "@import":
                        throw new JsonLdException(at, "@import loads a remote context and is not supported");
                    default:
                        if (p.Name.StartsWith('@')) throw new JsonLdException(at, $"'{p.Name}' is not a context keyword");
                        break;
                }
            }
            // Term definitions may use each other (prefixes defined in the same context): resolve until stable.
            var pending = ctx.EnumerateObject().Where(p => !p.Name.StartsWith('@')).ToList();
            for (var round = 0; pending.Count > 0; round++)
            {
                var next = new List<JsonProperty>();
                foreach (var p in pending)
                {
                    if (!TryDefine(p, context, $"{path}.{p.Name}", last: round > pending.Count)) next.Add(p);
                }
                if (next.Count == pending.Count && round > pending.Count) break;
                pending = next;
            }
        }

        /// <summary>Defines one term; false when it depends on a term not defined yet.</summary>
        private bool TryDefine(JsonProperty p, Context context, string path, bool last)
        {
            var term = p.Name;
            var value = p.Value;
            if (value.ValueKind == JsonValueKind.Null)
            {
                context.Terms[term] = new TermDefinition(null, null, null, false, false);
                return true;
            }
            string? iriText;
            string? type = null;
            string? language = null;
            var hasLanguage = false;
            var isList = false;
            if (value.ValueKind == JsonValueKind.String)
            {
                iriText = value.GetString();
            }
            else if (value.ValueKind == JsonValueKind.Object)
            {
                iriText = null;
                foreach (var d in value.EnumerateObject())
                {
                    var at = $"{path}.{d.Name}";
                    switch (d.Name)
                    {
                        case "@id":
                            iriText = d.Value.ValueKind == JsonValueKind.Null ? null : String(d.Value, at);
                            break;
                        case "@type":
                            type = String(d.Value, at);
                            break;
                        case "@language":
                            hasLanguage = true;
                            language = d.Value.ValueKind == JsonValueKind.Null ? null : Language(String(d.Value, at), at);
                            break;
                        case "@container":
                            var containers = d.Value.ValueKind == JsonValueKind.Array ? d.Value.EnumerateArray().Select(c => String(c, at)).ToList() : [String(d.Value, at)];
                            foreach (var c in containers)
                            {
                                if (c == "@list") isList = true;
                                else if (c != "@set") throw new JsonLdException(at, $"container '{c}' is not supported (only @set and @list)");
                            }
                            break;
                        case "@reverse" or "@context" or "@nest" or "@index":
                            throw new JsonLdException(at, $"'{d.Name}' in a term definition is not supported");
                        case "@protected" or "@prefix":
                            break;
                        default:
                            throw new JsonLdException(at, $"'{d.Name}' is not a term definition keyword");
                    }
                }
            }
            else
            {
                throw new JsonLdException(path, "a term definition is a string, an object or null");
            }

            string? iri;
            if (iriText is null)
            {
                // No @id: the term is a compact IRI, an absolute IRI, or relative to @vocab.
                iri = term.Contains(':', StringComparison.Ordinal) ? TryExpandCompact(term, context) : context.Vocab is { } v ? v + term : null;
                if (iri is null)
                {
                    if (!last) return false;
                    throw new JsonLdException(path, $"term '{term}' has no IRI (no @id and no @vocab)");
                }
            }
            else if (iriText.StartsWith('@'))
            {
                if (iriText != "@type" && iriText != "@id") throw new JsonLdException(path, $"aliasing '{iriText}' is not supported");
                iri = iriText;
            }
            else
            {
                iri = TryExpandCompact(iriText, context) ?? (context.Vocab is { } v && !iriText.Contains(':', StringComparison.Ordinal) ? v + iriText : null);
                if (iri is null)
                {
                    if (!last) return false;
                    throw new JsonLdException(path, $"'{iriText}' does not expand to an absolute IRI");
                }
            }
            if (type is not null && type != "@id" && type != "@vocab")
            {
                var expanded = TryExpandCompact(type, context) ?? (context.Vocab is { } v && !type.Contains(':', StringComparison.Ordinal) ? v + type : null);
                if (expanded is null)
                {
                    if (!last) return false;
                    throw new JsonLdException(path + ".@type", $"datatype '{type}' does not expand to an absolute IRI");
                }
                type = expanded;
            }
            context.Terms[term] = new TermDefinition(iri, type, language, hasLanguage, isList);
            return true;
        }

        /// <summary>A term, a compact IRI with a defined prefix, or an absolute IRI; null when none applies.</summary>
        private static string? TryExpandCompact(string value, Context context, bool allowTerm = true)
        {
            if (allowTerm && context.Terms.TryGetValue(value, out var t)) return t.Iri;
            var colon = value.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0) return null;
            var prefix = value[..colon];
            var suffix = value[(colon + 1)..];
            if (prefix == "_") return value;
            if (!suffix.StartsWith("//", StringComparison.Ordinal) && context.Terms.TryGetValue(prefix, out var p) && p.Iri is { } ns && !ns.StartsWith('@')) return ns + suffix;
            return IriText.HasScheme(value) ? value : null;
        }

        /// <summary>Vocabulary-relative values (<c>@type</c>, <c>@vocab</c> coercion) may be terms; <c>@id</c> values only compact or absolute IRIs.</summary>
        private string ExpandIri(string value, Context context, bool vocab, string path)
        {
            if (TryExpandCompact(value, context, allowTerm: vocab) is { } iri) return iri;
            if (vocab && context.Vocab is { } v) return v + value;
            return Resolve(value, context, path);
        }

        private string Resolve(string reference, Context context, string path)
        {
            if (IriText.HasScheme(reference)) return reference;
            var b = context.Base ?? throw new JsonLdException(path, $"relative IRI '{reference}' with no @base to resolve it against");
            return IriResolver.Resolve(b, reference);
        }

        private static string Language(string tag, string path) =>
            LanguageTag.IsValid(tag) ? tag : throw new JsonLdException(path, $"'{tag}' is not a language tag");

        private static string String(JsonElement e, string path) =>
            e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new JsonLdException(path, "expected a string");

        private RdfTerm Subject(string id, Context context, string path)
        {
            if (id.StartsWith("_:", StringComparison.Ordinal)) return Blank(id[2..], path);
            var iri = ExpandIri(id, context, vocab: false, path);
            return iri.StartsWith("_:", StringComparison.Ordinal) ? Blank(iri[2..], path) : Iri(iri, path);
        }

        private RdfBlankNode Blank(string label, string path)
        {
            if (label.Length == 0) throw new JsonLdException(path, "empty blank node label");
            if (!blankLabels.TryGetValue(label, out var node)) blankLabels.Add(label, node = NewBlank());
            return node;
        }

        private RdfBlankNode NewBlank() => new("b" + (blankCounter++).ToString(CultureInfo.InvariantCulture));

        private static RdfIri Iri(string value, string path)
        {
            try
            {
                return new RdfIri(value);
            }
            catch (ArgumentException ex)
            {
                throw new JsonLdException(path, ex.Message, 0, ex);
            }
        }

        private void Add(RdfTerm s, RdfIri p, RdfTerm o, string path)
        {
            graph.Add(s, p, o);
            if (graph.Count > limits.MaxTriples) throw new JsonLdException(path, $"more than {limits.MaxTriples} triples");
        }

        /// <summary>A node object: its triples are added; the node is returned.</summary>
        private RdfTerm Node(JsonElement element, Context context, string path)
        {
            if (element.ValueKind != JsonValueKind.Object) throw new JsonLdException(path, "expected a node object");
            if (++depth > limits.MaxDepth) throw new JsonLdException(path, $"nodes nested deeper than {limits.MaxDepth}");
            try
            {
                if (element.TryGetProperty("@context", out var ctx))
                {
                    context = context.Clone();
                    ApplyContext(ctx, context, path + ".@context");
                }
                RdfTerm? subject = null;
                foreach (var p in element.EnumerateObject())
                {
                    if (Keyword(p.Name, context) == "@id") subject = Subject(String(p.Value, $"{path}.{p.Name}"), context, $"{path}.{p.Name}");
                }
                subject ??= NewBlank();
                foreach (var p in element.EnumerateObject())
                {
                    var at = $"{path}.{p.Name}";
                    var keyword = Keyword(p.Name, context);
                    switch (keyword)
                    {
                        case "@context" or "@id":
                            continue;
                        case "@type":
                            Items(p.Value, at, item => Add(subject, RdfVocabulary.RdfType, Iri(ExpandIri(String(item.Element, item.Path), context, vocab: true, item.Path), item.Path), item.Path));
                            continue;
                        case "@graph":
                            throw new JsonLdException(at, "named graphs are not supported (only a top-level @graph)");
                        case "@reverse" or "@included" or "@nest" or "@index" or "@value" or "@list" or "@set" or "@language" or "@direction" or "@json":
                            throw new JsonLdException(at, $"'{p.Name}' is not supported in a node object");
                    }
                    if (p.Name.StartsWith('@')) throw new JsonLdException(at, $"unknown keyword '{p.Name}'");
                    context.Terms.TryGetValue(p.Name, out var def);
                    if (def is { Iri: null }) continue; // a term mapped to null is dropped, as JSON-LD says
                    var predicateIri = def?.Iri ?? TryExpandCompact(p.Name, context) ?? (context.Vocab is { } v && !p.Name.Contains(':', StringComparison.Ordinal) ? v + p.Name : null);
                    if (predicateIri is null || predicateIri.StartsWith("_:", StringComparison.Ordinal))
                    {
                        throw new JsonLdException(at, $"'{p.Name}' is not a term of the context, a compact IRI with a known prefix or an absolute IRI");
                    }
                    var predicate = Iri(predicateIri, at);
                    if (def is { IsList: true } && p.Value.ValueKind == JsonValueKind.Array)
                    {
                        Add(subject, predicate, List(p.Value, def, context, at), at);
                        continue;
                    }
                    Items(p.Value, at, item =>
                    {
                        if (Object(item.Element, def, context, item.Path) is { } o) Add(subject, predicate, o, item.Path);
                    });
                }
                return subject;
            }
            finally
            {
                depth--;
            }
        }

        private static string? Keyword(string key, Context context) =>
            key.StartsWith('@') ? key : context.Terms.TryGetValue(key, out var t) && t.Iri is "@id" or "@type" ? t.Iri : null;

        private RdfTerm List(JsonElement array, TermDefinition? def, Context context, string path)
        {
            var items = new List<RdfTerm>();
            var i = 0;
            foreach (var item in array.EnumerateArray())
            {
                var at = $"{path}[{i++}]";
                if (Object(item, def is null ? null : def with { IsList = false }, context, at) is { } o) items.Add(o);
            }
            RdfTerm head = RdfVocabulary.RdfNil;
            for (var k = items.Count - 1; k >= 0; k--)
            {
                var cell = NewBlank();
                Add(cell, RdfVocabulary.RdfFirst, items[k], path);
                Add(cell, RdfVocabulary.RdfRest, head, path);
                head = cell;
            }
            return head;
        }

        /// <summary>The object a value stands for; null for JSON null (which JSON-LD drops).</summary>
        private RdfTerm? Object(JsonElement value, TermDefinition? def, Context context, string path)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Null:
                    return null;
                case JsonValueKind.Array:
                    throw new JsonLdException(path, "arrays of arrays are not allowed");
                case JsonValueKind.String:
                {
                    var s = value.GetString()!;
                    switch (def?.TypeMapping)
                    {
                        case "@id":
                            return Subject(s, context, path);
                        case "@vocab":
                        {
                            var iri = ExpandIri(s, context, vocab: true, path);
                            return iri.StartsWith("_:", StringComparison.Ordinal) ? Blank(iri[2..], path) : Iri(iri, path);
                        }
                        case { } datatype:
                            return Literal(s, Iri(datatype, path), null, path);
                    }
                    var language = def is { HasLanguage: true } ? def.Language : context.Language;
                    return Literal(s, null, language, path);
                }
                case JsonValueKind.True or JsonValueKind.False:
                    return Literal(value.ValueKind == JsonValueKind.True ? "true" : "false", def?.TypeMapping is { } dt && dt[0] != '@' ? Iri(dt, path) : RdfVocabulary.XsdBoolean, null, path);
                case JsonValueKind.Number:
                    return Number(value, def, path);
                case JsonValueKind.Object:
                    break;
                default:
                    throw new JsonLdException(path, $"unexpected {value.ValueKind}");
            }
            if (value.TryGetProperty("@value", out var v))
            {
                string? type = null;
                string? language = null;
                foreach (var p in value.EnumerateObject())
                {
                    var at = $"{path}.{p.Name}";
                    switch (p.Name)
                    {
                        case "@value":
                            break;
                        case "@type":
                            type = ExpandIri(String(p.Value, at), context, vocab: true, at);
                            break;
                        case "@language":
                            language = Language(String(p.Value, at), at);
                            break;
                        case "@index":
                            break;
                        default:
                            throw new JsonLdException(at, $"'{p.Name}' is not allowed in a value object");
                    }
                }
                if (type is not null && language is not null) throw new JsonLdException(path, "a value object cannot have both @type and @language");
                if (type == "@json") throw new JsonLdException(path, "JSON literals are not supported");
                switch (v.ValueKind)
                {
                    case JsonValueKind.Null:
                        return null;
                    case JsonValueKind.String:
                        return Literal(v.GetString()!, type is null ? null : Iri(type, path), language, path);
                    case JsonValueKind.True or JsonValueKind.False:
                        if (language is not null) throw new JsonLdException(path, "only strings take a @language");
                        return Literal(v.ValueKind == JsonValueKind.True ? "true" : "false", type is null ? RdfVocabulary.XsdBoolean : Iri(type, path), null, path);
                    case JsonValueKind.Number:
                        if (language is not null) throw new JsonLdException(path, "only strings take a @language");
                        return Number(v, type is null ? null : new TermDefinition(null, type, null, false, false), path);
                    default:
                        throw new JsonLdException(path + ".@value", "@value must be a string, a number, a boolean or null");
                }
            }
            if (value.TryGetProperty("@list", out var list))
            {
                if (value.EnumerateObject().Any(p => p.Name is not ("@list" or "@index"))) throw new JsonLdException(path, "a list object has only @list");
                return list.ValueKind == JsonValueKind.Array ? List(list, def, context, path + ".@list") : List(JsonSingleton(list), def, context, path + ".@list");
            }
            if (value.TryGetProperty("@set", out var set))
            {
                throw new JsonLdException(path, "@set objects are not supported; use a plain array");
            }
            return Node(value, context, path);
        }

        private static JsonElement JsonSingleton(JsonElement item)
        {
            using var doc = JsonDocument.Parse("[" + item.GetRawText() + "]");
            return doc.RootElement.Clone();
        }

        private static RdfLiteral Literal(string lexical, RdfIri? datatype, string? language, string path)
        {
            try
            {
                return new RdfLiteral(lexical, language is null ? datatype : null, language);
            }
            catch (ArgumentException ex)
            {
                throw new JsonLdException(path, ex.Message, 0, ex);
            }
        }

        /// <summary>A native number: xsd:integer when it has no fraction or exponent (and no coercion says otherwise), else xsd:double in canonical form.</summary>
        private static RdfLiteral Number(JsonElement value, TermDefinition? def, string path)
        {
            var raw = value.GetRawText();
            var coerced = def?.TypeMapping is { } t && t[0] != '@' ? new RdfIri(t) : null;
            var isInteger = raw.IndexOfAny(['.', 'e', 'E']) < 0;
            if (isInteger && (coerced is null || coerced == RdfVocabulary.XsdInteger) && long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
            {
                return RdfLiteral.Integer(n);
            }
            if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d))
            {
                throw new JsonLdException(path, $"number {raw} is out of range");
            }
            var canonical = XsdCanonical.Double(d);
            return coerced is null ? new RdfLiteral(canonical, RdfVocabulary.XsdDouble) : Literal(canonical, coerced, null, path);
        }
    }
}
