namespace FlexCoop.Xmpp.Tests;

public sealed class JidTests
{
    [Fact]
    public void Parse_full_jid_splits_three_parts()
    {
        var jid = Jid.Parse("Ven1@Example.COM/device/1");
        Assert.Equal("ven1", jid.Local);
        Assert.Equal("example.com", jid.Domain);
        Assert.Equal("device/1", jid.Resource);
        Assert.Equal("ven1@example.com/device/1", jid.ToString());
        Assert.Equal(Jid.Parse("ven1@example.com"), jid.Bare);
    }

    [Fact]
    public void Parse_domain_only_and_trailing_dot()
    {
        var jid = Jid.Parse("example.com.");
        Assert.Null(jid.Local);
        Assert.Equal("example.com", jid.Domain);
        Assert.True(jid.IsBare);
    }

    [Theory]
    [InlineData("")]
    [InlineData("@example.com")]
    [InlineData("user@")]
    [InlineData("user@example.com/")]
    [InlineData("us er@example.com")]
    [InlineData("us\"er@example.com")]
    [InlineData("a@b@example.com")]
    [InlineData("user@exa mple.com")]
    public void Invalid_jids_are_refused(string text)
    {
        Assert.False(Jid.TryParse(text, out _));
        Assert.Throws<XmppJidException>(() => Jid.Parse(text));
    }

    [Fact]
    public void Parts_longer_than_1023_bytes_are_refused()
    {
        Assert.False(Jid.TryParse(new string('a', 1024) + "@example.com", out _));
        Assert.True(Jid.TryParse(new string('a', 1023) + "@example.com", out _));
        Assert.False(Jid.TryParse("u@example.com/" + new string('\u00e9', 512), out _));
    }

    [Fact]
    public void Escape_local_round_trips_and_parses()
    {
        const string name = "d'artagnan & co@home/x\\20";
        var escaped = Jid.EscapeLocal(name);
        Assert.Equal("d\\27artagnan\\20\\26\\20co\\40home\\2fx\\5c20", escaped);
        Assert.Equal(name, Jid.UnescapeLocal(escaped));
        Assert.Equal(escaped, Jid.Parse(escaped + "@example.com").Local);
    }
}
