using System.Text;
using System.Xml;
using CsCheck;
using FlexCoop.OpenAdr.Xml;
using FlexCoop.Xml.Internal;

namespace FlexCoop.OpenAdr.Tests.Codec;

/// <summary>
/// The codec's UTF-8 tokenizer held to <see cref="XmlReader"/>: on generated well-formed documents (namespaces
/// declared and redeclared, prefixed and unprefixed attributes, references, CDATA, comments, PIs, CR LF, non-ASCII
/// names and text) both give the same element, attribute and text events; on damaged ones (truncated, a
/// mismatched end tag, a hostile snippet inserted anywhere, a DOCTYPE, invalid UTF-8) both refuse exactly the same.
/// </summary>
public sealed class TokenizerAgreementTests
{
    // ---- the events both readers are compared on -----------------------------------------------

    /// <summary>The tokenizer's events: start (with attributes in document order), end, merged text.</summary>
    internal static List<string> TokenizerEvents(byte[] document, OadrXmlLimits? limits = null)
    {
        var events = new List<string>();
        var t = new Utf8XmlTokenizer(document, limits ?? OadrXmlLimits.Default);
        try
        {
            while (t.Read())
            {
                switch (t.Kind)
                {
                    case XmlTokenKind.StartElement:
                        var start = new StringBuilder($"S {{{t.NamespaceUri}}}{Utf8(t.LocalName)}");
                        for (var i = 0; i < t.AttributeCount; i++)
                        {
                            start.Append($" {{{t.AttributeNamespace(i)}}}{Utf8(t.AttributeLocalName(i))}={t.AttributeValue(i)}");
                        }
                        events.Add(start.ToString());
                        if (t.IsEmptyElement) events.Add($"E {{{t.NamespaceUri}}}{Utf8(t.LocalName)}");
                        break;
                    case XmlTokenKind.EndElement:
                        events.Add($"E {{{t.NamespaceUri}}}{Utf8(t.LocalName)}");
                        break;
                    case XmlTokenKind.Text:
                        var text = Utf8(t.GetText());
                        if (text.Length > 0) events.Add("T " + text);
                        break;
                }
            }
        }
        finally
        {
            t.Dispose();
        }
        return events;
    }

    /// <summary>The same events from <see cref="XmlReader"/>: adjacent text, CDATA and whitespace merged, comments and PIs dropped.</summary>
    internal static List<string> XmlReaderEvents(byte[] document)
    {
        var events = new List<string>();
        var settings = OadrXmlLimits.Default.CreateReaderSettings();
        using var r = XmlReader.Create(new MemoryStream(document), settings);
        var text = new StringBuilder();
        void Flush()
        {
            if (text.Length > 0) events.Add("T " + text);
            text.Clear();
        }
        while (r.Read())
        {
            switch (r.NodeType)
            {
                case XmlNodeType.Element:
                    Flush();
                    var start = new StringBuilder($"S {{{r.NamespaceURI}}}{r.LocalName}");
                    var empty = r.IsEmptyElement;
                    for (var more = r.MoveToFirstAttribute(); more; more = r.MoveToNextAttribute())
                    {
                        start.Append($" {{{r.NamespaceURI}}}{r.LocalName}={r.Value}");
                    }
                    r.MoveToElement();
                    events.Add(start.ToString());
                    if (empty) events.Add($"E {{{r.NamespaceURI}}}{r.LocalName}");
                    break;
                case XmlNodeType.EndElement:
                    Flush();
                    events.Add($"E {{{r.NamespaceURI}}}{r.LocalName}");
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    if (r.Depth > 0) text.Append(r.Value);
                    break;
            }
        }
        Flush();
        return events;
    }

    private static string Utf8(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    /// <summary>Null when the tokenizer reads the whole document, else its error (any other exception fails the test).</summary>
    internal static OadrFormatException? TokenizerError(byte[] document)
    {
        try
        {
            TokenizerEvents(document);
            return null;
        }
        catch (OadrFormatException ex)
        {
            Assert.Contains(ex.Rule, new[] { "xml", "dtd", "limits" });
            return ex;
        }
    }

    /// <summary>Null when XmlReader reads the whole document, else what it threw.</summary>
    internal static Exception? XmlReaderError(byte[] document)
    {
        try
        {
            XmlReaderEvents(document);
            return null;
        }
        catch (Exception ex) when (ex is XmlException or DecoderFallbackException or ArgumentException)
        {
            return ex;
        }
    }

    // ---- generated documents -------------------------------------------------------------------

    /// <summary>A well-formed document built from a seed (so a failure reproduces from the seed CsCheck prints).</summary>
    internal static Gen<string> Documents { get; } = Gen.Int.Select(seed => new DocumentBuilder(new Random(seed)).Build());

    [Fact]
    public void Generated_well_formed_documents_give_the_same_events_as_XmlReader()
    {
        Documents.Sample(text =>
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            var expected = XmlReaderEvents(bytes);
            var actual = TokenizerEvents(bytes);
            Assert.True(expected.SequenceEqual(actual), $"{text}\n--- XmlReader:\n{string.Join("\n", expected)}\n--- tokenizer:\n{string.Join("\n", actual)}");
        }, iter: 2000);
    }

    [Fact]
    public void Truncated_documents_are_refused_exactly_when_XmlReader_refuses_them()
    {
        Gen.Select(Documents, Gen.Int[0, int.MaxValue]).Sample((text, at) =>
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            AssertSameVerdict(bytes.AsSpan(0, at % bytes.Length).ToArray(), text);
        }, iter: 1000);
    }

    [Fact]
    public void Documents_with_a_mismatched_end_tag_are_refused()
    {
        Gen.Select(Documents, Gen.Int[0, int.MaxValue]).Sample((text, pick) =>
        {
            var ends = new List<int>();
            for (var i = text.IndexOf("</", StringComparison.Ordinal); i >= 0; i = text.IndexOf("</", i + 2, StringComparison.Ordinal)) ends.Add(i);
            if (ends.Count == 0) return;
            var at = ends[pick % ends.Count] + 2;
            var damaged = Encoding.UTF8.GetBytes(text.Insert(at, "z"));
            var error = TokenizerError(damaged);
            Assert.NotNull(error);
            Assert.Equal("xml", error.Rule);
            Assert.NotNull(XmlReaderError(damaged));
        }, iter: 500);
    }

    /// <summary>Snippets that break a document in most places and are harmless in some (inside a comment, CDATA or PI).</summary>
    private static readonly string[] Snippets =
    [
        "&bogus;", "&", "&#0;", "&#xD800;", "&#x110000;", "&#65", "&#X41;", "<", "</x>", "<x>", "]]>", "\u0001", "\uFFFE", "\uFFFF",
        "<!ENTITY e 'x'>", "<!DOCTYPE r>", "<?xml version=\"1.0\"?>", " a=\"1\"", " xmlns:p=\"\"", " xmlns:xml=\"urn:x\"", ":", "<![CDATA[", "-->", "--",
        "<!--", "?>", "\"", "'", "<1>", "<a b='<'/>", "<a:b/>", "&amp;", "<x y='1' y='2'/>", "<p:x xmlns:p='urn:a' xmlns:q='urn:a' p:y='1' q:y='2'/>",
    ];

    [Fact]
    public void A_hostile_snippet_inserted_anywhere_is_refused_exactly_when_XmlReader_refuses_it()
    {
        Gen.Select(Documents, Gen.Int[0, Snippets.Length - 1], Gen.Int[0, int.MaxValue]).Sample((text, snippet, at) =>
        {
            var position = PositionAfterDeclaration(text, at);
            AssertSameVerdict(Encoding.UTF8.GetBytes(text.Insert(position, Snippets[snippet])), text);
        }, iter: 3000);
    }

    [Fact]
    public void A_doctype_inserted_before_the_root_is_refused_with_rule_dtd()
    {
        Gen.Select(Documents, Gen.Int[0, 2]).Sample((text, kind) =>
        {
            var doctype = kind switch
            {
                0 => "<!DOCTYPE r>",
                1 => "<!DOCTYPE r [<!ENTITY e \"x\">]>",
                _ => "<!DOCTYPE r SYSTEM \"http://127.0.0.1:9/r.dtd\">",
            };
            var afterDeclaration = text.StartsWith("<?xml", StringComparison.Ordinal) ? text.IndexOf("?>", StringComparison.Ordinal) + 2 : 0;
            var damaged = Encoding.UTF8.GetBytes(text.Insert(afterDeclaration, doctype));
            var error = TokenizerError(damaged);
            Assert.NotNull(error);
            Assert.Equal("dtd", error.Rule);
            Assert.NotNull(XmlReaderError(damaged));
        }, iter: 300);
    }

    private static readonly byte[][] BadUtf8 =
    [
        [0xFF], [0x80], [0xC3], [0xE2, 0x82], [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80],
    ];

    [Fact]
    public void Invalid_utf8_anywhere_is_refused_like_XmlReader_refuses_it()
    {
        Gen.Select(Documents, Gen.Int[0, BadUtf8.Length - 1], Gen.Int[0, int.MaxValue]).Sample((text, bad, at) =>
        {
            // Insert at a character boundary, so the only fault is the inserted sequence.
            var position = PositionAfterDeclaration(text, at);
            var bytes = Encoding.UTF8.GetBytes(text[..position]).Concat(BadUtf8[bad]).Concat(Encoding.UTF8.GetBytes(text[position..])).ToArray();
            var error = TokenizerError(bytes);
            Assert.NotNull(error);
            Assert.Equal("xml", error.Rule);
            Assert.Contains("UTF-8", error.Detail, StringComparison.Ordinal);
            // XmlReader silently drops a sequence cut short by the end of the input; the tokenizer refuses it.
            var cutShortAtTheEnd = position == text.Length && BadUtf8[bad] is [0xC3] or [0xE2, 0x82];
            if (!cutShortAtTheEnd) Assert.NotNull(XmlReaderError(bytes));
        }, iter: 500);
    }

    /// <summary>
    /// A character boundary at or after the XML declaration. XmlReader reads the declaration leniently (it takes any
    /// version that starts with <c>1.0</c>, such as <c>1.0--</c>, and lets an invalid byte through there), where the
    /// tokenizer holds it to the grammar; inside it the two would disagree by design.
    /// </summary>
    private static int PositionAfterDeclaration(string text, int at)
    {
        var start = text.StartsWith("<?xml", StringComparison.Ordinal) ? text.IndexOf("?>", StringComparison.Ordinal) + 2 : 0;
        var position = start + at % (text.Length - start + 1);
        if (position > 0 && position < text.Length && char.IsLowSurrogate(text[position])) position--;
        return position;
    }

    private static void AssertSameVerdict(byte[] damaged, string original)
    {
        var mine = TokenizerError(damaged);
        var theirs = XmlReaderError(damaged);
        var shown = Encoding.UTF8.GetString(damaged);
        Assert.True((mine is null) == (theirs is null),
            $"tokenizer: {(mine?.Message ?? "accepted")}; XmlReader: {(theirs?.Message ?? "accepted")}\n--- damaged:\n{shown}\n--- original:\n{original}");
        if (mine is null) Assert.Equal(XmlReaderEvents(damaged), TokenizerEvents(damaged));
    }

    // ---- fixed cases ---------------------------------------------------------------------------

    [Theory]
    [InlineData("<r>&lt;&gt;&amp;&apos;&quot;&#65;&#x20AC;&#x1F600;</r>", "T <>&'\"A€😀")]
    [InlineData("<r>a\r\nb\rc</r>", "T a\nb\nc")]
    [InlineData("<r>a<![CDATA[<&>]]>b<!-- c --><?pi x?>c</r>", "T a<&>bc")]
    [InlineData("<r a=' x\ty\r\nz&#10;'/>", "S {}r {}a= x y z\n")]
    [InlineData("<p:r xmlns:p='urn:a'><p:c xmlns:p='urn:b'/><p:c/></p:r>", "S {urn:b}c {http://www.w3.org/2000/xmlns/}p=urn:b")]
    [InlineData("<r xmlns='urn:a'><c xmlns=''/></r>", "S {}c {http://www.w3.org/2000/xmlns/}xmlns=")]
    [InlineData("<r xml:lang='en'/>", "S {}r {http://www.w3.org/XML/1998/namespace}lang=en")]
    [InlineData("\uFEFF<?xml version='1.0' encoding='utf-8' standalone='no'?><!-- c --><r/><?pi?>\n", "S {}r")]
    public void Tokenizer_reads_references_line_ends_cdata_namespaces_and_the_declaration_as_XmlReader_does(string xml, string expectedEvent)
    {
        var bytes = Encoding.UTF8.GetBytes(xml);
        var events = TokenizerEvents(bytes);
        Assert.Contains(expectedEvent, events);
        Assert.Equal(XmlReaderEvents(bytes), events);
    }

    [Theory]
    [InlineData("<r>&nbsp;</r>")]
    [InlineData("<r>&#xFFFE;</r>")]
    [InlineData("<r>]]></r>")]
    [InlineData("<r a='<'/>")]
    [InlineData("<r a='1' a='2'/>")]
    [InlineData("<r xmlns:p='urn:a' xmlns:q='urn:a' p:a='1' q:a='2'/>")]
    [InlineData("<p:r/>")]
    [InlineData("<r><a></b></r>")]
    [InlineData("<r/><r/>")]
    [InlineData("<r/>text")]
    [InlineData("text<r/>")]
    [InlineData(" <?xml version='1.0'?><r/>")]
    [InlineData("<?xml version='1.1'?><r/>")]
    [InlineData("<?xml encoding='utf-8'?><r/>")]
    [InlineData("<r><!-- a -- b --></r>")]
    [InlineData("<r a='1'b='2'/>")]
    [InlineData("<1r/>")]
    [InlineData("<r:/>")]
    [InlineData("<r xmlns:p=''/>")]
    [InlineData("<r xmlns:xmlns='urn:a'/>")]
    [InlineData("<r>\u0001</r>")]
    [InlineData("<r><![CDATA[x</r>")]
    [InlineData("<r><?xml version='1.0'?></r>")]
    [InlineData("<r>")]
    [InlineData("")]
    public void Tokenizer_refuses_what_XmlReader_refuses_with_rule_xml(string xml)
    {
        var bytes = Encoding.UTF8.GetBytes(xml);
        Assert.NotNull(XmlReaderError(bytes));
        var error = TokenizerError(bytes);
        Assert.NotNull(error);
        Assert.Equal("xml", error.Rule);
        Assert.IsType<XmlException>(error.InnerException);
    }

    /// <summary>Builds a random well-formed document with namespaces in scope as XML requires.</summary>
    private sealed class DocumentBuilder(Random rnd)
    {
        private static readonly string[] LocalNames = ["a", "r", "item", "x-1", "v.2", "_u", "é", "naïve", "Ωmega", "中文", "oadrEvent", "eventID"];
        private static readonly string[] Prefixes = ["p", "q", "ns1", "oadr", "ei", "é"];
        private static readonly string[] Uris = ["urn:x:1", "urn:x:2", "http://openadr.org/oadr-2.0b/2012/07", "http://docs.oasis-open.org/ns/energyinterop/201110", "http://example.com/é?a=1&amp;b=2"];
        private static readonly string[] TextPieces =
        [
            "abc", " ", "12.5", "é", "€", "中", "😀", ">", "'", "\"", "\t", "\n", "\r\n", "\r", "]x", "&amp;", "&lt;", "&gt;", "&quot;", "&apos;",
            "&#65;", "&#x20AC;", "&#x1F600;", "&#10;", "&#13;", "&#9;", "  ",
        ];

        private readonly StringBuilder _sb = new();

        public string Build()
        {
            switch (rnd.Next(4))
            {
                case 0:
                    _sb.Append("<?xml version=\"1.0\"?>");
                    break;
                case 1:
                    _sb.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
                    break;
                case 2:
                    _sb.Append("<?xml version='1.0' encoding='utf-8' standalone='yes'?>");
                    break;
            }
            Misc();
            Element(0, []);
            Misc();
            return _sb.ToString();
        }

        private void Misc()
        {
            for (var i = rnd.Next(3); i > 0; i--)
            {
                switch (rnd.Next(3))
                {
                    case 0:
                        _sb.Append(rnd.Next(2) == 0 ? "\n" : " \r\n\t");
                        break;
                    case 1:
                        _sb.Append("<!--").Append(CommentText()).Append("-->");
                        break;
                    default:
                        _sb.Append("<?pi-target").Append(rnd.Next(2) == 0 ? "" : " " + CommentText().Replace("?>", "", StringComparison.Ordinal)).Append("?>");
                        break;
                }
            }
        }

        private string CommentText()
        {
            var text = Text(attribute: false).Replace("-", "", StringComparison.Ordinal);
            return text;
        }

        private void Element(int depth, List<string> inScope)
        {
            var scope = new List<string>(inScope);
            var declarations = new StringBuilder();
            for (var i = rnd.Next(3); i > 0; i--)
            {
                var prefix = Prefixes[rnd.Next(Prefixes.Length)];
                if (declarations.ToString().Contains($"xmlns:{prefix}=", StringComparison.Ordinal)) continue;
                declarations.Append($" xmlns:{prefix}=\"{Uris[rnd.Next(Uris.Length)]}\"");
                scope.Add(prefix);
            }
            if (rnd.Next(4) == 0) declarations.Append(rnd.Next(3) == 0 ? " xmlns=''" : $" xmlns='{Uris[rnd.Next(Uris.Length)]}'");
            var name = LocalNames[rnd.Next(LocalNames.Length)];
            if (scope.Count > 0 && rnd.Next(2) == 0) name = scope[rnd.Next(scope.Count)] + ":" + name;
            _sb.Append('<').Append(name).Append(declarations);
            // Distinct local names per element: attributes can never collide, whatever their prefixes.
            var locals = LocalNames.OrderBy(_ => rnd.Next()).Take(rnd.Next(4)).ToList();
            foreach (var local in locals)
            {
                var attributeName = scope.Count > 0 && rnd.Next(3) == 0 ? scope[rnd.Next(scope.Count)] + ":" + local : local;
                var quote = rnd.Next(2) == 0 ? '"' : '\'';
                var value = Text(attribute: true).Replace(quote.ToString(), quote == '"' ? "&quot;" : "&apos;", StringComparison.Ordinal);
                _sb.Append(Blank()).Append(attributeName).Append('=').Append(quote).Append(value).Append(quote);
            }
            if (rnd.Next(5) == 0) _sb.Append(" xml:lang='en'");
            if (depth >= 4 || rnd.Next(5) == 0)
            {
                _sb.Append(rnd.Next(2) == 0 ? "/>" : $"></{name}>");
                return;
            }
            _sb.Append('>');
            for (var i = rnd.Next(5); i > 0; i--)
            {
                switch (rnd.Next(6))
                {
                    case 0:
                    case 1:
                        _sb.Append(Text(attribute: false));
                        break;
                    case 2:
                        _sb.Append("<![CDATA[").Append(Text(attribute: false).Replace("]]>", "", StringComparison.Ordinal)).Append("<&]]>");
                        break;
                    case 3:
                        _sb.Append("<!--").Append(CommentText()).Append("-->");
                        break;
                    default:
                        Element(depth + 1, scope);
                        break;
                }
            }
            _sb.Append("</").Append(name).Append(rnd.Next(4) == 0 ? " \n" : "").Append('>');
        }

        private string Blank() => rnd.Next(4) == 0 ? "\n\t" : " ";

        private string Text(bool attribute)
        {
            var sb = new StringBuilder();
            for (var i = rnd.Next(6); i > 0; i--) sb.Append(TextPieces[rnd.Next(TextPieces.Length)]);
            var text = sb.ToString();
            return attribute ? text : text.Replace("]]>", "]] >", StringComparison.Ordinal);
        }
    }
}
