using System.Globalization;
using System.Text;

namespace FlexCoop.Saref.Rdf.Internal;

/// <summary>
/// Recursive-descent parser for Turtle, and for N-Triples when <c>ntriples</c> is set (then only
/// the N-Triples subset of the grammar is accepted).
/// </summary>
internal sealed class TurtleParser
{
    private readonly string s;
    private readonly bool ntriples;
    private readonly RdfReaderLimits limits;
    private readonly RdfGraph graph = new();
    private readonly Dictionary<string, RdfBlankNode> labelled = new(StringComparer.Ordinal);
    private string? baseIri;
    private int pos;
    private int depth;
    private int blankCounter;

    public TurtleParser(string text, bool ntriples, string? baseIri, RdfReaderLimits limits)
    {
        s = text;
        this.ntriples = ntriples;
        this.limits = limits;
        if (baseIri is not null && !IriText.HasScheme(baseIri))
        {
            throw new ArgumentException("the base IRI must be absolute", nameof(baseIri));
        }
        this.baseIri = baseIri;
    }

    public RdfGraph Parse()
    {
        if (s.Length > limits.MaxCharacters)
        {
            throw new RdfParseException($"document is longer than the limit of {limits.MaxCharacters} characters", 1, 1);
        }
        if (s.Length > 0 && s[0] == '\uFEFF') pos = 1;
        while (true)
        {
            SkipWs();
            if (pos >= s.Length) break;
            if (ntriples) NTriplesStatement();
            else Statement();
        }
        return graph;
    }

    // ---- statements ----

    private void Statement()
    {
        var c = s[pos];
        if (c == '@')
        {
            if (MatchKeyword("@prefix", caseSensitive: true)) { PrefixDirective(); Expect('.'); return; }
            if (MatchKeyword("@base", caseSensitive: true)) { BaseDirective(); Expect('.'); return; }
            throw Error("unknown directive (expected @prefix or @base)");
        }
        if (c is 'P' or 'p' && MatchKeyword("PREFIX", caseSensitive: false)) { PrefixDirective(); return; }
        if (c is 'B' or 'b' && MatchKeyword("BASE", caseSensitive: false)) { BaseDirective(); return; }

        if (c == '[')
        {
            var node = BlankNodePropertyListOrAnon(out var hadProperties);
            SkipWs();
            if (!hadProperties || (pos < s.Length && s[pos] != '.'))
            {
                PredicateObjectList(node);
            }
        }
        else
        {
            var subject = Subject();
            SkipWs();
            PredicateObjectList(subject);
        }
        Expect('.');
    }

    private void NTriplesStatement()
    {
        RdfTerm subject = s[pos] switch
        {
            '<' => IriRef(),
            '_' => BlankNodeLabel(),
            _ => throw Error("expected a subject (<IRI> or _:label)"),
        };
        SkipInlineWs();
        if (pos >= s.Length || s[pos] != '<') throw Error("expected a predicate <IRI>");
        var predicate = IriRef();
        SkipInlineWs();
        if (pos >= s.Length) throw Error("expected an object");
        RdfTerm obj = s[pos] switch
        {
            '<' => IriRef(),
            '_' => BlankNodeLabel(),
            '"' => Literal(),
            _ => throw Error("expected an object (<IRI>, _:label or \"literal\")"),
        };
        SkipInlineWs();
        if (pos >= s.Length || s[pos] != '.') throw Error("expected '.' at the end of the triple");
        pos++;
        SkipInlineWs();
        if (pos < s.Length && s[pos] == '#')
        {
            while (pos < s.Length && s[pos] is not '\n' and not '\r') pos++;
        }
        if (pos < s.Length && s[pos] is not '\n' and not '\r') throw Error("expected the end of the line after the triple");
        Emit(subject, predicate, obj);
    }

    private void PrefixDirective()
    {
        SkipWs();
        var start = pos;
        var prefix = "";
        if (pos < s.Length && s[pos] != ':')
        {
            prefix = PnPrefix();
        }
        if (pos >= s.Length || s[pos] != ':') { pos = start; throw Error("expected a prefix name ending in ':'"); }
        pos++;
        SkipWs();
        if (pos >= s.Length || s[pos] != '<') throw Error("expected <IRI> after the prefix");
        var iri = IriRef();
        graph.Namespaces.Add(prefix, iri.Value);
    }

    private void BaseDirective()
    {
        SkipWs();
        if (pos >= s.Length || s[pos] != '<') throw Error("expected <IRI> after base");
        baseIri = IriRef().Value;
    }

    // ---- triples ----

    private RdfTerm Subject()
    {
        var c = s[pos];
        return c switch
        {
            '<' => IriRef(),
            '_' when Peek(1) == ':' => BlankNodeLabel(),
            '(' => Collection(),
            '"' or '\'' => throw Error("a literal cannot be a subject"),
            _ => PrefixedName(),
        };
    }

    private void PredicateObjectList(RdfTerm subject)
    {
        Verb(out var predicate);
        ObjectList(subject, predicate);
        while (true)
        {
            SkipWs();
            if (pos >= s.Length || s[pos] != ';') return;
            while (pos < s.Length && s[pos] == ';')
            {
                pos++;
                SkipWs();
            }
            if (pos >= s.Length || s[pos] is '.' or ']') return;
            Verb(out predicate);
            ObjectList(subject, predicate);
        }
    }

    private void Verb(out RdfIri predicate)
    {
        SkipWs();
        if (pos >= s.Length) throw Error("expected a predicate");
        if (s[pos] == 'a' && !ContinuesName(pos + 1))
        {
            pos++;
            predicate = RdfVocabulary.RdfType;
            return;
        }
        predicate = s[pos] == '<' ? IriRef() : s[pos] is '[' or '"' or '\'' or '(' or '_' ? throw Error("expected a predicate IRI") : PrefixedName();
    }

    private void ObjectList(RdfTerm subject, RdfIri predicate)
    {
        while (true)
        {
            SkipWs();
            var obj = Object();
            Emit(subject, predicate, obj);
            SkipWs();
            if (pos < s.Length && s[pos] == ',')
            {
                pos++;
                continue;
            }
            return;
        }
    }

    private RdfTerm Object()
    {
        if (pos >= s.Length) throw Error("expected an object");
        var c = s[pos];
        switch (c)
        {
            case '<': return IriRef();
            case '_' when Peek(1) == ':': return BlankNodeLabel();
            case '[': return BlankNodePropertyListOrAnon(out _);
            case '(': return Collection();
            case '"' or '\'': return Literal();
            case '+' or '-' or '.' or (>= '0' and <= '9'): return NumericLiteral();
        }
        if (MatchWord("true")) return RdfLiteral.Boolean(true);
        if (MatchWord("false")) return RdfLiteral.Boolean(false);
        return PrefixedName();
    }

    private RdfBlankNode BlankNodePropertyListOrAnon(out bool hadProperties)
    {
        var open = pos;
        pos++; // '['
        Enter(open);
        var node = NewBlank();
        SkipWs();
        hadProperties = false;
        if (pos < s.Length && s[pos] == ']')
        {
            pos++;
            depth--;
            return node;
        }
        PredicateObjectList(node);
        SkipWs();
        Expect(']');
        depth--;
        hadProperties = true;
        return node;
    }

    private RdfTerm Collection()
    {
        var open = pos;
        pos++; // '('
        Enter(open);
        var items = new List<RdfTerm>();
        while (true)
        {
            SkipWs();
            if (pos >= s.Length) throw Error("unterminated collection: expected ')'");
            if (s[pos] == ')') { pos++; break; }
            items.Add(Object());
        }
        depth--;
        if (items.Count == 0) return RdfVocabulary.RdfNil;
        var head = NewBlank();
        var current = head;
        for (var i = 0; i < items.Count; i++)
        {
            Emit(current, RdfVocabulary.RdfFirst, items[i]);
            if (i == items.Count - 1)
            {
                Emit(current, RdfVocabulary.RdfRest, RdfVocabulary.RdfNil);
            }
            else
            {
                var next = NewBlank();
                Emit(current, RdfVocabulary.RdfRest, next);
                current = next;
            }
        }
        return head;
    }

    private void Enter(int at)
    {
        if (++depth > limits.MaxDepth)
        {
            pos = at;
            throw Error($"nesting deeper than the limit of {limits.MaxDepth}");
        }
    }

    private void Emit(RdfTerm subject, RdfIri predicate, RdfTerm obj)
    {
        if (graph.Add(new RdfTriple(subject, predicate, obj)) && graph.Count > limits.MaxTriples)
        {
            throw Error($"more than the limit of {limits.MaxTriples} triples");
        }
    }

    private RdfBlankNode NewBlank() => new("n" + blankCounter++.ToString(CultureInfo.InvariantCulture));

    // ---- terms ----

    private RdfIri IriRef()
    {
        var start = pos;
        pos++; // '<'
        // Fast path: no escapes and nothing forbidden before '>' (the common case).
        for (var i = pos; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '>')
            {
                var value = s.Substring(pos, i - pos);
                pos = i + 1;
                return MakeIri(value, start);
            }
            if (c == '\\' || IriText.IsForbiddenInIriRef(c)) break;
        }
        var sb = new StringBuilder();
        while (true)
        {
            if (pos >= s.Length) throw ErrorAt(start, "unterminated IRI: expected '>'");
            var c = s[pos];
            if (c == '>') { pos++; break; }
            if (c == '\\')
            {
                if (Peek(1) is not ('u' or 'U')) throw Error("only \\u and \\U escapes are allowed in an IRI");
                pos++;
                TurtleNames.AppendCodePoint(sb, Uchar());
                continue;
            }
            if (IriText.IsForbiddenInIriRef(c)) throw Error($"character U+{(int)c:X4} is not allowed in an IRI; write it as \\u{(int)c:X4}");
            if (char.IsSurrogate(c)) ReadSurrogatePair(sb);
            else { sb.Append(c); pos++; }
        }
        return MakeIri(sb.ToString(), start);
    }

    private RdfIri MakeIri(string value, int start)
    {
        if (!IriText.HasScheme(value))
        {
            if (ntriples) throw ErrorAt(start, $"relative IRI <{value}> is not allowed in N-Triples");
            if (baseIri is null) throw ErrorAt(start, $"relative IRI <{value}> and no base IRI");
            value = IriResolver.Resolve(baseIri, value);
        }
        try
        {
            return new RdfIri(value);
        }
        catch (ArgumentException ex)
        {
            throw ErrorAt(start, ex.Message);
        }
    }

    private RdfBlankNode BlankNodeLabel()
    {
        if (Peek(1) != ':') throw Error("expected '_:' to start a blank node label");
        pos += 2;
        var sb = new StringBuilder();
        var cp = CodePointAt(pos);
        if (!(TurtleNames.IsPnCharsU(cp) || cp is >= '0' and <= '9')) throw Error("invalid blank node label");
        AppendAndAdvance(sb, cp);
        while (pos < s.Length)
        {
            cp = CodePointAt(pos);
            if (TurtleNames.IsPnChars(cp)) { AppendAndAdvance(sb, cp); continue; }
            if (cp == '.' && TurtleNames.IsPnChars(CodePointAt(pos + 1))) { AppendAndAdvance(sb, cp); continue; }
            if (cp == '.' && CodePointAt(pos + 1) == '.')
            {
                // several dots in a row followed by a name character are still part of the label
                var look = pos;
                while (look < s.Length && s[look] == '.') look++;
                if (TurtleNames.IsPnChars(CodePointAt(look))) { sb.Append('.', look - pos); pos = look; continue; }
            }
            break;
        }
        var label = sb.ToString();
        if (!labelled.TryGetValue(label, out var node))
        {
            node = NewBlank();
            labelled.Add(label, node);
        }
        return node;
    }

    private RdfIri PrefixedName()
    {
        var start = pos;
        var prefix = "";
        if (pos < s.Length && s[pos] != ':')
        {
            var cp = CodePointAt(pos);
            if (!TurtleNames.IsPnCharsBase(cp)) throw Error(DescribeUnexpected());
            prefix = PnPrefix();
        }
        if (pos >= s.Length || s[pos] != ':') { pos = start; throw Error(DescribeUnexpected()); }
        pos++;
        var ns = graph.Namespaces.Resolve(prefix) ?? throw ErrorAt(start, $"undefined prefix '{prefix}:'");
        var local = PnLocal();
        return MakeIri(ns + local, start);
    }

    private string DescribeUnexpected()
    {
        if (pos >= s.Length) return "unexpected end of document";
        var cp = CodePointAt(pos);
        return $"unexpected character '{char.ConvertFromUtf32(cp)}' (expected an IRI, prefixed name, blank node or literal)";
    }

    private string PnPrefix()
    {
        var sb = new StringBuilder();
        var cp = CodePointAt(pos);
        if (!TurtleNames.IsPnCharsBase(cp)) throw Error("invalid prefix name");
        AppendAndAdvance(sb, cp);
        while (pos < s.Length)
        {
            cp = CodePointAt(pos);
            if (TurtleNames.IsPnChars(cp) || cp == '.') { AppendAndAdvance(sb, cp); continue; }
            break;
        }
        if (sb[^1] == '.') throw Error("a prefix name cannot end with '.'");
        return sb.ToString();
    }

    private string PnLocal()
    {
        var sb = new StringBuilder();
        var first = true;
        while (pos < s.Length)
        {
            var cp = CodePointAt(pos);
            if (cp == '%')
            {
                if (!IsHex(Peek(1)) || !IsHex(Peek(2))) throw Error("'%' in a local name must be followed by two hex digits");
                sb.Append(s, pos, 3);
                pos += 3;
            }
            else if (cp == '\\')
            {
                var e = Peek(1);
                if (!TurtleNames.IsLocalEscapable(e)) throw Error("invalid escape in a local name");
                sb.Append((char)e);
                pos += 2;
            }
            else if (TurtleNames.IsPnCharsU(cp) || cp == ':' || cp is >= '0' and <= '9' || (!first && TurtleNames.IsPnChars(cp)))
            {
                AppendAndAdvance(sb, cp);
            }
            else if (!first && cp == '.')
            {
                // a '.' belongs to the name only when a name character follows (else it ends the statement)
                var look = pos;
                while (look < s.Length && s[look] == '.') look++;
                var next = CodePointAt(look);
                if (look < s.Length && (TurtleNames.IsPnChars(next) || next is ':' or '%' or '\\'))
                {
                    sb.Append('.', look - pos);
                    pos = look;
                }
                else
                {
                    break;
                }
            }
            else
            {
                break;
            }
            first = false;
        }
        return sb.ToString();
    }

    private RdfLiteral Literal()
    {
        var start = pos;
        var quote = s[pos];
        string lexical;
        if (!ntriples && Peek(1) == quote && Peek(2) == quote)
        {
            pos += 3;
            lexical = LongString(quote, start);
        }
        else
        {
            if (ntriples && quote != '"') throw Error("N-Triples literals use double quotes");
            pos++;
            lexical = ShortString(quote, start);
        }
        if (pos < s.Length && s[pos] == '@')
        {
            pos++;
            var tagStart = pos;
            while (pos < s.Length && (char.IsAsciiLetterOrDigit(s[pos]) || s[pos] == '-')) pos++;
            var tag = s[tagStart..pos];
            if (!LanguageTag.IsValid(tag)) throw ErrorAt(tagStart, $"invalid language tag '{tag}'");
            return new RdfLiteral(lexical, null, tag);
        }
        if (pos + 1 < s.Length && s[pos] == '^' && s[pos + 1] == '^')
        {
            pos += 2;
            if (pos >= s.Length) throw Error("expected a datatype IRI after '^^'");
            var dtStart = pos;
            var datatype = s[pos] == '<' ? IriRef() : ntriples ? throw Error("expected a datatype <IRI>") : PrefixedName();
            if (datatype == RdfVocabulary.RdfLangString) throw ErrorAt(dtStart, "rdf:langString needs a language tag, not a datatype");
            return new RdfLiteral(lexical, datatype);
        }
        return new RdfLiteral(lexical);
    }

    private string ShortString(char quote, int start)
    {
        var sb = new StringBuilder();
        while (true)
        {
            if (pos >= s.Length) throw ErrorAt(start, "unterminated string");
            var c = s[pos];
            if (c == quote) { pos++; return sb.ToString(); }
            if (c is '\n' or '\r') throw Error("line break in a short string (use \\n, or a long string)");
            if (c == '\\') { Escape(sb); continue; }
            if (char.IsSurrogate(c)) { ReadSurrogatePair(sb); continue; }
            sb.Append(c);
            pos++;
        }
    }

    private string LongString(char quote, int start)
    {
        var sb = new StringBuilder();
        while (true)
        {
            if (pos >= s.Length) throw ErrorAt(start, "unterminated long string");
            var c = s[pos];
            if (c == quote && Peek(1) == quote && Peek(2) == quote)
            {
                // the closing delimiter is the last three of a run of quotes
                var run = 3;
                while (run < 5 && Peek(run) == quote) run++;
                sb.Append(quote, run - 3);
                pos += run;
                return sb.ToString();
            }
            if (c == '\\') { Escape(sb); continue; }
            if (char.IsSurrogate(c)) { ReadSurrogatePair(sb); continue; }
            sb.Append(c);
            pos++;
        }
    }

    private void Escape(StringBuilder sb)
    {
        var e = Peek(1);
        switch (e)
        {
            case 't': sb.Append('\t'); pos += 2; return;
            case 'b': sb.Append('\b'); pos += 2; return;
            case 'n': sb.Append('\n'); pos += 2; return;
            case 'r': sb.Append('\r'); pos += 2; return;
            case 'f': sb.Append('\f'); pos += 2; return;
            case '"': sb.Append('"'); pos += 2; return;
            case '\'': sb.Append('\''); pos += 2; return;
            case '\\': sb.Append('\\'); pos += 2; return;
            case 'u' or 'U':
                pos++;
                TurtleNames.AppendCodePoint(sb, Uchar());
                return;
            default:
                throw Error("invalid escape sequence");
        }
    }

    /// <summary>At 'u' or 'U': reads the hex digits (and a following low surrogate escape) and returns a scalar value.</summary>
    private int Uchar()
    {
        var start = pos - 1;
        var n = s[pos] == 'u' ? 4 : 8;
        pos++;
        var cp = HexValue(n, start);
        if (cp is >= 0xD800 and <= 0xDBFF && pos + 5 < s.Length && s[pos] == '\\' && s[pos + 1] == 'u')
        {
            var save = pos;
            pos += 2;
            var low = HexValue(4, save);
            if (low is >= 0xDC00 and <= 0xDFFF) return char.ConvertToUtf32((char)cp, (char)low);
            pos = save;
        }
        if (cp is >= 0xD800 and <= 0xDFFF || cp > 0x10FFFF || cp < 0) throw ErrorAt(start, $"escape \\u{cp:X} is not a Unicode scalar value");
        return cp;
    }

    private int HexValue(int digits, int start)
    {
        if (pos + digits > s.Length) throw ErrorAt(start, "incomplete \\u escape");
        var value = 0;
        for (var i = 0; i < digits; i++)
        {
            var c = s[pos + i];
            if (!IsHex(c)) throw ErrorAt(start, "invalid hex digit in \\u escape");
            value = (value * 16) + (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
        }
        pos += digits;
        return value;
    }

    private RdfLiteral NumericLiteral()
    {
        var start = pos;
        if (s[pos] is '+' or '-') pos++;
        var intDigits = Digits();
        var isDecimal = false;
        var isDouble = false;
        if (pos < s.Length && s[pos] == '.')
        {
            if (IsDigit(Peek(1)))
            {
                pos++;
                Digits();
                isDecimal = true;
            }
            else if (intDigits > 0 && Peek(1) is 'e' or 'E' && ExponentFollows(pos + 1))
            {
                pos++;
                isDecimal = true;
            }
        }
        if (pos < s.Length && s[pos] is 'e' or 'E' && (intDigits > 0 || isDecimal) && ExponentFollows(pos))
        {
            pos++;
            if (s[pos] is '+' or '-') pos++;
            Digits();
            isDouble = true;
        }
        if (intDigits == 0 && !isDecimal) { pos = start; throw Error("invalid number"); }
        var lexical = s[start..pos];
        var datatype = isDouble ? RdfVocabulary.XsdDouble : isDecimal ? RdfVocabulary.XsdDecimal : RdfVocabulary.XsdInteger;
        return new RdfLiteral(lexical, datatype);
    }

    private bool ExponentFollows(int at)
    {
        var i = at + 1;
        if (i < s.Length && s[i] is '+' or '-') i++;
        return i < s.Length && IsDigit(s[i]);
    }

    private int Digits()
    {
        var start = pos;
        while (pos < s.Length && IsDigit(s[pos])) pos++;
        return pos - start;
    }

    // ---- helpers ----

    private bool MatchKeyword(string keyword, bool caseSensitive)
    {
        if (string.Compare(s, pos, keyword, 0, keyword.Length, caseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase) != 0) return false;
        var after = pos + keyword.Length;
        if (after < s.Length && !IsWs(s[after]) && s[after] is not '<' and not '#') return false;
        pos = after;
        return true;
    }

    private bool MatchWord(string word)
    {
        if (string.CompareOrdinal(s, pos, word, 0, word.Length) != 0) return false;
        if (ContinuesName(pos + word.Length)) return false;
        pos += word.Length;
        return true;
    }

    /// <summary>True when the character at <paramref name="at"/> would continue a prefixed name.</summary>
    private bool ContinuesName(int at)
    {
        if (at >= s.Length) return false;
        var cp = CodePointAt(at);
        return TurtleNames.IsPnChars(cp) || cp == ':' || (cp == '.' && TurtleNames.IsPnChars(CodePointAt(at + 1)));
    }

    private void Expect(char c)
    {
        SkipWs();
        if (pos >= s.Length) throw Error($"expected '{c}' but the document ended");
        if (s[pos] != c) throw Error($"expected '{c}'");
        pos++;
    }

    private void SkipWs()
    {
        while (pos < s.Length)
        {
            var c = s[pos];
            if (IsWs(c)) { pos++; continue; }
            if (c == '#')
            {
                while (pos < s.Length && s[pos] is not '\n' and not '\r') pos++;
                continue;
            }
            break;
        }
    }

    private void SkipInlineWs()
    {
        while (pos < s.Length && s[pos] is ' ' or '\t') pos++;
    }

    private static bool IsWs(char c) => c is ' ' or '\t' or '\n' or '\r';

    private static bool IsDigit(int c) => c is >= '0' and <= '9';

    private static bool IsHex(int c) => c is >= '0' and <= '9' or >= 'a' and <= 'f' or >= 'A' and <= 'F';

    private int Peek(int offset) => pos + offset < s.Length ? s[pos + offset] : -1;

    private int CodePointAt(int at)
    {
        if (at >= s.Length) return -1;
        var c = s[at];
        if (char.IsHighSurrogate(c) && at + 1 < s.Length && char.IsLowSurrogate(s[at + 1])) return char.ConvertToUtf32(c, s[at + 1]);
        return c;
    }

    private void AppendAndAdvance(StringBuilder sb, int cp)
    {
        TurtleNames.AppendCodePoint(sb, cp);
        pos += cp >= 0x10000 ? 2 : 1;
    }

    private void ReadSurrogatePair(StringBuilder sb)
    {
        if (char.IsHighSurrogate(s[pos]) && pos + 1 < s.Length && char.IsLowSurrogate(s[pos + 1]))
        {
            sb.Append(s, pos, 2);
            pos += 2;
            return;
        }
        throw Error("unpaired surrogate in the document");
    }

    private RdfParseException Error(string message) => ErrorAt(pos, message);

    private RdfParseException ErrorAt(int at, string message)
    {
        at = Math.Min(at, s.Length);
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < at; i++)
        {
            if (s[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }
        return new RdfParseException(message, line, at - lineStart + 1);
    }
}
