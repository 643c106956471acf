using System.Text;
using System.Xml;
using System.Xml.Linq;
using CsCheck;
using FlexCoop.OpenAdr.Codec;
using FlexCoop.Testing;

namespace FlexCoop.OpenAdr.Tests.Codec;

/// <summary>
/// Real messages, damaged: elements dropped, duplicated, swapped; bytes truncated and bit-flipped; DTDs and
/// external entities injected. Parsing only ever succeeds or throws <see cref="OadrFormatException"/>; for
/// structural damage the codec's verdict matches the official schema's.
/// </summary>
public sealed class MutationTests
{
    private static readonly Lazy<byte[][]> Sources = new(LoadSources);

    private static byte[][] LoadSources()
    {
        var list = OwnVectorMessages.All.Keys.Order(StringComparer.Ordinal).Select(Vectors.Read).ToList();
        var samples = Path.Combine(TestEnvironment.SharedDir, "vectors", "openadr20b", "alliance-spec-samples");
        if (Directory.Exists(samples))
        {
            foreach (var name in new[]
            {
                "Sample_oadrDistributeEvent_W_Baseline.xml", "Sample_oadrDistributeEvent_W_GML.xml", "Sample_oadrUpdateReport_Telemetry_Status.xml",
                "Sample_oadrCreatedPartyRegistration_httpPull.xml", "Sample_oadrCreateOpt_Schedule.xml", "Sample_oadrRegisiterReport.xml",
                "Sample_oadrCreatedEvent.xml", "Sample_oadrUpdatedReport_W_Cancel.xml", "sample_oadrPayload_20b.xml",
            })
            {
                list.Add(File.ReadAllBytes(Path.Combine(samples, name)));
            }
        }
        return [.. list];
    }

    private enum Damage
    {
        Drop,
        Duplicate,
        SwapWithNext,
    }

    /// <summary>Parses, allowing only success or a typed format error whose cause is the XML reader or the codec.</summary>
    private static OadrFormatException? TryParse(byte[] bytes)
    {
        try
        {
            OadrCodec.Parse(bytes);
            return null;
        }
        catch (OadrFormatException ex)
        {
            Assert.Contains(ex.Rule, new[] { "xml", "dtd", "limits", "xsd" });
            Assert.True(ex.InnerException is null or XmlException, $"unexpected cause {ex.InnerException}");
            return ex;
        }
    }

    private static byte[] Mutate(byte[] source, Damage damage, int pick)
    {
        var doc = XDocument.Load(new MemoryStream(source), LoadOptions.PreserveWhitespace);
        var elements = doc.Root!.Descendants().ToList();
        var target = elements[pick % elements.Count];
        switch (damage)
        {
            case Damage.Drop:
                target.Remove();
                break;
            case Damage.Duplicate:
                target.AddAfterSelf(new XElement(target));
                break;
            case Damage.SwapWithNext:
                var next = target.ElementsAfterSelf().FirstOrDefault();
                if (next is null) return source;
                next.Remove();
                target.AddBeforeSelf(next);
                break;
        }
        var output = new MemoryStream();
        doc.Save(output, SaveOptions.DisableFormatting);
        return output.ToArray();
    }

    [Fact]
    public void Structurally_damaged_messages_are_refused_exactly_when_the_schema_refuses_them()
    {
        OadrSchemaSupport.Require();
        var sources = Sources.Value;
        Gen.Select(Gen.Int[0, sources.Length - 1], Gen.Enum<Damage>(), Gen.Int[0, 10_000]).Sample((source, damage, pick) =>
        {
            var bytes = Mutate(sources[source], damage, pick);
            var schemaErrors = OadrSchemaSupport.Validate(bytes);
            var error = TryParse(bytes);
            if (error is null)
            {
                // Accepted by the codec: the schema must agree, except for rules the codec does not check
                // (XML IDs unique across the document).
                Assert.True(
                    schemaErrors.Count == 0 || schemaErrors.All(e => e.Contains("already used", StringComparison.Ordinal) || e.Contains("unique", StringComparison.OrdinalIgnoreCase)),
                    $"codec accepted, schema refused ({damage} #{pick} in source {source}): {string.Join("; ", schemaErrors)}");
            }
            else
            {
                Assert.Equal("xsd", error.Rule);
                Assert.StartsWith("/", error.Path, StringComparison.Ordinal);
                Assert.True(schemaErrors.Count > 0, $"codec refused ({error.Message}), schema accepted ({damage} #{pick} in source {source})");
            }
        }, iter: 400);
    }

    [Fact]
    public void Truncated_messages_only_ever_give_format_errors()
    {
        var sources = Sources.Value;
        Gen.Select(Gen.Int[0, sources.Length - 1], Gen.Int[0, int.MaxValue]).Sample((source, position) =>
        {
            var bytes = sources[source];
            // Anywhere before the root's closing '>' (cutting only trailing blanks leaves a whole document).
            var lastMarkup = Array.LastIndexOf(bytes, (byte)'>');
            var cut = bytes.AsSpan(0, position % lastMarkup).ToArray();
            var error = TryParse(cut);
            Assert.NotNull(error);
        }, iter: 300);
    }

    [Fact]
    public void Bit_flipped_messages_only_ever_give_format_errors_or_parse()
    {
        var sources = Sources.Value;
        Gen.Select(Gen.Int[0, sources.Length - 1], Gen.Int[0, int.MaxValue].Array[1, 8]).Sample((source, flips) =>
        {
            var bytes = (byte[])sources[source].Clone();
            foreach (var f in flips)
            {
                var bit = f % (bytes.Length * 8);
                bytes[bit / 8] ^= (byte)(1 << (bit % 8));
            }
            TryParse(bytes);
        }, iter: 1000);
    }

    [Theory]
    [InlineData("<!DOCTYPE oadrPayload [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>")]
    [InlineData("<!DOCTYPE oadrPayload [<!ENTITY xxe SYSTEM \"http://127.0.0.1:9/x\">]>")]
    [InlineData("<!DOCTYPE oadrPayload SYSTEM \"http://127.0.0.1:9/oadr.dtd\">")]
    [InlineData("<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;\">]>")]
    public void Injected_dtd_or_external_entity_is_refused_with_rule_dtd(string doctype)
    {
        foreach (var source in Sources.Value)
        {
            var text = Encoding.UTF8.GetString(source);
            var afterDeclaration = text.StartsWith("<?xml", StringComparison.Ordinal) ? text.IndexOf("?>", StringComparison.Ordinal) + 2 : 0;
            var injected = string.Concat(text.AsSpan(0, afterDeclaration), doctype, text.AsSpan(afterDeclaration));
            var error = TryParse(Encoding.UTF8.GetBytes(injected));
            Assert.NotNull(error);
            Assert.Equal("dtd", error.Rule);
        }
    }

    [Fact]
    public void Entity_reference_in_a_value_without_a_dtd_is_not_well_formed()
    {
        var text = Encoding.UTF8.GetString(Vectors.Read("distribute-two-events.xml")).Replace("EVT-1", "&xxe;", StringComparison.Ordinal);
        var error = TryParse(Encoding.UTF8.GetBytes(text));
        Assert.NotNull(error);
        Assert.Equal("xml", error.Rule);
    }
}
