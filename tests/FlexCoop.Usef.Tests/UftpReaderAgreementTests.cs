using System.Security.Cryptography;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using CsCheck;
using FlexCoop.Testing;
using FlexCoop.Usef.Internal;
using FlexCoop.Usef.Xml;

namespace FlexCoop.Usef.Tests;

/// <summary>
/// The codec reads UFTP on the UTF-8 tokenizer it shares with FlexCoop.OpenAdr instead of an XmlReader. These tests
/// hold it to what the XmlReader-based reader did: the same verdict (message, or rule and path) on every public
/// fixture, recorded in vectors/codec-verdicts-before-tokenizer.tsv, and the same message from every form an
/// XmlReader-based writer can give one document (indentation, CR LF, single quotes, UTF-16, comments, references).
/// </summary>
public sealed class UftpReaderAgreementTests
{
    private static string VerdictsFile => Path.Combine(TestEnvironment.RepoRoot, "tests", "FlexCoop.Usef.Tests", "vectors", "codec-verdicts-before-tokenizer.tsv");

    private static string[] RecordedFixtures() =>
        [.. File.ReadAllLines(VerdictsFile).Where(line => line.Length > 0 && line[0] != '#').Select(line => line.Split('\t')[0])];

    public static TheoryData<string> Fixtures() => new(RecordedFixtures());

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Fixture_gets_the_verdict_the_xml_reader_based_reader_gave(string fixture)
    {
        var expected = File.ReadAllLines(VerdictsFile).Single(l => l.StartsWith(fixture + "\t", StringComparison.Ordinal)).Split('\t');
        string[] actual;
        try
        {
            var doc = UftpXml.ParseDocument(File.ReadAllBytes(UftpTestFiles.Vector(fixture)));
            var bytes = doc.Payload is { } message ? UftpXml.Serialize(message) : UftpXml.Serialize(doc.Signed!);
            var type = doc.Payload?.GetType().Name ?? nameof(SignedMessage);
            actual = [fixture, "accepted", type, Convert.ToHexString(SHA256.HashData(bytes))[..16]];
        }
        catch (UftpFormatException ex)
        {
            actual = [fixture, "refused", ex.Rule, ex.Path];
        }
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Every_public_fixture_has_a_recorded_verdict()
    {
        var root = Path.GetDirectoryName(UftpTestFiles.Vector("uftplib-2022/TestFlexOrder.XML"))!;
        var all = Directory.GetFiles(Path.GetDirectoryName(root)!, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".xml", StringComparison.OrdinalIgnoreCase))
            .Select(f => Path.GetRelativePath(Path.GetDirectoryName(root)!, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
        Assert.Equal(all, RecordedFixtures().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Generated_message_reads_the_same_in_every_form_an_xml_writer_gives_it()
    {
        Gen.OneOf(UftpGenerators.ByType.Values.ToArray()).Sample(message =>
        {
            var document = XDocument.Parse(Encoding.UTF8.GetString(UftpXml.Serialize(message)));
            foreach (var (form, bytes) in Forms(document))
            {
                var parsed = UftpXml.Parse(bytes);
                Assert.True(message.Equals(parsed), $"{form}: {Encoding.UTF8.GetString(bytes)}");
            }
        }, iter: 150);
    }

    [Fact]
    public void Large_flex_offer_reads_back_every_isp()
    {
        var isps = Enumerable.Range(1, 2000).Select(i => new PowerIsp(i % 2 == 0 ? -i * 1000L : long.MaxValue - i, i, 1 + (i % 3))).ToArray();
        var offer = Offer(new FlexOfferOption("big", 1.5m, isps, 0.5m));
        var parsed = (FlexOffer)UftpXml.Parse(UftpXml.Serialize(offer));
        Assert.Equal(isps, parsed.OfferOptions[0].Isps);
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("-0", 0L)]
    [InlineData("+17", 17L)]
    [InlineData(" 42 ", 42L)]
    [InlineData("-9223372036854775808", long.MinValue)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void Integer_from_utf8_reads_xs_integer(string text, long expected)
    {
        Assert.Equal(0, XmlInput.ParseInteger(Encoding.ASCII.GetBytes(text), out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("", -1)]
    [InlineData("-", -1)]
    [InlineData("1.0", -1)]
    [InlineData("1e3", -1)]
    [InlineData("١", -1)]
    [InlineData("9223372036854775808", 1)]
    [InlineData("-9223372036854775809", 1)]
    [InlineData("99999999999999999999999", 1)]
    public void Integer_from_utf8_refuses_what_is_not_a_64_bit_xs_integer(string text, int status)
    {
        Assert.Equal(status, XmlInput.ParseInteger(Encoding.UTF8.GetBytes(text), out _));
    }

    [Fact]
    public void Integer_from_utf8_agrees_with_long_parse()
    {
        Gen.Long.Sample(n =>
        {
            var text = n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(0, XmlInput.ParseInteger(Encoding.ASCII.GetBytes(text), out var value));
            Assert.Equal(n, value);
        });
    }

    [Fact]
    public void Error_path_names_the_isp_by_its_position()
    {
        var isps = Enumerable.Range(1, 40).Select(i => new PowerIsp(i, i)).ToArray();
        var offer = Offer(new FlexOfferOption("a", 1m, isps), new FlexOfferOption("b", 2m, isps));
        var xml = Encoding.UTF8.GetString(UftpXml.Serialize(offer));
        var at = xml.LastIndexOf("Start=\"37\"", StringComparison.Ordinal);
        var bad = xml[..at] + "Start=\"x37\"" + xml[(at + "Start=\"37\"".Length)..];
        var error = Assert.Throws<UftpFormatException>(() => UftpXml.Parse(bad));
        Assert.Equal("xsd", error.Rule);
        Assert.Equal("/FlexOffer/OfferOption[2]/ISP[37]/@Start", error.Path);
    }

    private static FlexOffer Offer(params FlexOfferOption[] options)
    {
        var now = new DateTimeOffset(2025, 6, 1, 8, 0, 0, TimeSpan.Zero);
        return new FlexOffer
        {
            SenderDomain = "agr.example.org", RecipientDomain = "dso.example.com", TimeStamp = now, MessageId = Guid.NewGuid(), ConversationId = Guid.NewGuid(),
            IspDuration = TimeSpan.FromMinutes(15), TimeZone = "Europe/Amsterdam", Period = new DateOnly(2025, 6, 2), CongestionPoint = EntityAddress.FromEan("871685900012345678"),
            ExpirationDateTime = now.AddHours(2), FlexRequestMessageId = Guid.NewGuid(), Currency = "EUR", OfferOptions = options,
        };
    }

    /// <summary>One document in the forms XmlWriter (the reader's old companion) can give it.</summary>
    private static IEnumerable<(string Form, byte[] Bytes)> Forms(XDocument document)
    {
        yield return ("indented, CR LF", Write(document, new XmlWriterSettings { Indent = true, NewLineChars = "\r\n", Encoding = new UTF8Encoding(false) }));
        yield return ("UTF-16 with byte order mark", Write(document, new XmlWriterSettings { Encoding = new UnicodeEncoding(bigEndian: false, byteOrderMark: true) }));
        yield return ("UTF-8 with byte order mark, tabs", Write(document, new XmlWriterSettings { Indent = true, IndentChars = "\t", Encoding = new UTF8Encoding(true) }));
        using (var stream = new MemoryStream())
        {
            using (var writer = new XmlTextWriter(stream, new UTF8Encoding(false)) { QuoteChar = '\'', Formatting = Formatting.Indented })
            {
                document.Save(writer);
            }
            yield return ("single quotes", stream.ToArray());
        }
        var commented = new XDocument(document);
        commented.AddFirst(new XComment(" before the root "), new XProcessingInstruction("note", "x"));
        commented.Root!.AddFirst(new XComment(" inside "));
        commented.Add(new XComment(" after the root "));
        yield return ("comments and PIs", Write(commented, new XmlWriterSettings { Encoding = new UTF8Encoding(false) }));
        // Every attribute character written as a character reference.
        var text = Encoding.UTF8.GetString(Write(document, new XmlWriterSettings { Encoding = new UTF8Encoding(false), OmitXmlDeclaration = true }));
        var referenced = new StringBuilder();
        var inValue = false;
        var inReference = false;
        foreach (var c in text)
        {
            if (c == '"') inValue = !inValue;
            if (inValue && c == '&') inReference = true;
            if (inValue && !inReference && c is >= 'a' and <= 'z') referenced.Append("&#x").Append(((int)c).ToString("X", System.Globalization.CultureInfo.InvariantCulture)).Append(';');
            else referenced.Append(c);
            if (c == ';') inReference = false;
        }
        yield return ("character references", Encoding.UTF8.GetBytes(referenced.ToString()));
    }

    private static byte[] Write(XDocument document, XmlWriterSettings settings)
    {
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, settings))
        {
            document.Save(writer);
        }
        return stream.ToArray();
    }
}
