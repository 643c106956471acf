using System.Text;
using CsCheck;
using FlexCoop.Usef.Internal;
using FlexCoop.Usef.Signing;
using FlexCoop.Usef.Xml;

namespace FlexCoop.Usef.Tests;

/// <summary>The byte-level reading of plain SignedMessage envelopes agrees with the full XML reader, and leaves everything else to it.</summary>
public sealed class UftpEnvelopeFastPathTests
{
    private static readonly string Body = Convert.ToBase64String(Enumerable.Range(0, 200).Select(i => (byte)i).ToArray());

    /// <summary>What the full reader makes of a document: the envelope, or the rule it breaks.</summary>
    private static (SignedMessage? Envelope, string? Rule) Full(byte[] xml)
    {
        try
        {
            return (UftpXml.ParseDocument(xml).Signed, null);
        }
        catch (UftpFormatException ex)
        {
            return (null, ex.Rule);
        }
    }

    private static (SignedMessage? Envelope, string? Rule) Public(byte[] xml)
    {
        try
        {
            return (UftpXml.ParseSignedMessage(xml), null);
        }
        catch (UftpFormatException ex)
        {
            return (null, ex.Rule);
        }
    }

    [Fact]
    public void Plain_envelopes_in_any_attribute_order_quoting_and_spacing_read_as_the_full_reader_reads_them()
    {
        var attributes = Gen.Shuffle(new[] { ("SenderDomain", "agr.example.org"), ("SenderRole", "AGR"), ("Body", Body) });
        Gen.Select(attributes, Gen.OneOfConst("\"", "'"), Gen.OneOfConst(" ", "\n  ", "\t"), Gen.OneOfConst("", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<?xml version='1.0'?>\n", "\uFEFF"), Gen.OneOfConst("/>", "></SignedMessage>", " />"))
            .Sample((attrs, q, space, declaration, end) =>
            {
                var xml = Encoding.UTF8.GetBytes(declaration + "<SignedMessage" + string.Concat(attrs.Select(a => $"{space}{a.Item1}={q}{a.Item2}{q}")) + end + "\n");
                var fast = SignedMessageFastPath.TryRead(xml, 64 * 1024);
                Assert.NotNull(fast);
                Assert.Equal(Full(xml).Envelope, fast);
            }, iter: 200);
    }

    [Theory]
    [InlineData("<!DOCTYPE x [<!ENTITY e \"agr.example.org\">]><SignedMessage SenderDomain=\"&e;\" SenderRole=\"AGR\" Body=\"{0}\"/>")]
    [InlineData("<SignedMessage SenderDomain=\"agr.example&#46;org\" SenderRole=\"AGR\" Body=\"{0}\"/>")]
    [InlineData("<SignedMessage SenderDomain=\"agr.example.org\" SenderRole=\"AGR\" SenderRole=\"DSO\" Body=\"{0}\"/>")]
    [InlineData("<SignedMessage SenderDomain=\"agr.example.org\" SenderRole=\"AGR\" Body=\"{0}\" Extra=\"1\"/>")]
    [InlineData("<SignedMessage SenderDomain=\"agr.example.org\" SenderRole=\"agr\" Body=\"{0}\"/>")]
    [InlineData("<SignedMessage SenderDomain=\"AGR.example.org\" SenderRole=\"AGR\" Body=\"{0}\"/>")]
    [InlineData("<SignedMessage SenderDomain=\"agr.example.org\" SenderRole=\"AGR\" Body=\"{0}!\"/>")]
    [InlineData("<SignedMessage SenderDomain=\"agr.example.org\" SenderRole=\"AGR\"/>")]
    [InlineData("<SignedMessage SenderDomain=\"agr.example.org\" SenderRole=\"AGR\" Body=\"{0}\"><x/></SignedMessage>")]
    [InlineData("<SignedMessage SenderDomain=\"agr.example.org\" SenderRole=\"AGR\" Body=\"{0}\"/><!-- trailing -->")]
    [InlineData("<SignedMessage SenderDomain=\"agr.example.org\" SenderRole=\"AGR\" Body=\"{0}\"/>garbage")]
    [InlineData("<?xml version=\"1.0\" encoding=\"UTF-16\"?><SignedMessage SenderDomain=\"agr.example.org\" SenderRole=\"AGR\" Body=\"{0}\"/>")]
    [InlineData("<SignedMessage xmlns=\"urn:x\" SenderDomain=\"agr.example.org\" SenderRole=\"AGR\" Body=\"{0}\"/>")]
    [InlineData("<SignedMessage SenderDomain=\"agr.example.org\" SenderRole=\"AGR\" Body=\"{0}\"")]
    public void Anything_unusual_is_left_to_the_full_reader_and_judged_the_same(string template)
    {
        var xml = Encoding.UTF8.GetBytes(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, Body));
        Assert.Null(SignedMessageFastPath.TryRead(xml, 64 * 1024));
        Assert.Equal(Full(xml), Public(xml));
    }

    [Fact]
    public void Body_with_line_breaks_or_over_the_attribute_limit_goes_the_full_way()
    {
        var wrapped = Encoding.UTF8.GetBytes($"<SignedMessage SenderDomain=\"agr.example.org\" SenderRole=\"AGR\" Body=\"{Body[..40]}\n{Body[40..]}\"/>");
        Assert.Null(SignedMessageFastPath.TryRead(wrapped, 64 * 1024));
        Assert.Equal(Full(wrapped), Public(wrapped));
        var plain = Encoding.UTF8.GetBytes($"<SignedMessage SenderDomain=\"agr.example.org\" SenderRole=\"AGR\" Body=\"{Body}\"/>");
        Assert.Null(SignedMessageFastPath.TryRead(plain, Body.Length - 1));
        Assert.Equal("limits", Assert.Throws<UftpFormatException>(() => UftpXml.ParseSignedMessage(plain, UftpXmlLimits.Default with { MaxAttributeCharacters = Body.Length - 1 })).Rule);
    }

    [Fact]
    public void What_the_signer_writes_takes_the_fast_path_and_opens()
    {
        using var key = UftpSigningKey.Generate();
        var xml = UftpXml.Serialize(UftpSigner.Seal(Trade.Prognosis(), UftpRole.AGR, key));
        var fast = SignedMessageFastPath.TryRead(xml, 64 * 1024);
        Assert.NotNull(fast);
        Assert.Equal(Trade.Prognosis().Isps, UftpSigner.Open(fast, [key.PublicKey]).Message is DPrognosis p ? p.Isps : default);
    }
}
