using FlexCoop.Xmpp.Internal;

namespace FlexCoop.Xmpp.Tests;

public sealed class ScramSha1Tests
{
    // RFC 5802 §5: user "user", password "pencil".
    private const string ClientNonce = "fyko+d2lbbFgONRv9qkxdawL";
    private const string ServerFirst = "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096";

    [Fact]
    public void Rfc5802_example_gives_the_published_proof_and_accepts_the_server_signature()
    {
        var scram = new ScramSha1("user", "pencil", ClientNonce);
        Assert.Equal("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL", scram.ClientFirstMessage);
        Assert.Equal("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=", scram.ProcessServerFirst(ServerFirst));
        scram.VerifyServerFinal("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=");
    }

    [Fact]
    public void Wrong_server_signature_is_refused()
    {
        var scram = new ScramSha1("user", "pencil", ClientNonce);
        scram.ProcessServerFirst(ServerFirst);
        Assert.Throws<XmppAuthenticationException>(() => scram.VerifyServerFinal("v=AAAAAAAAAAAAAAAAAAAAAAAAAAA="));
    }

    [Theory]
    [InlineData("r=someoneelse,s=QSXCR+Q6sek8bf92,i=4096")]
    [InlineData("r=fyko+d2lbbFgONRv9qkxdawL,s=QSXCR+Q6sek8bf92,i=4096")]
    [InlineData("r=fyko+d2lbbFgONRv9qkxdawLx,s=QSXCR+Q6sek8bf92,i=0")]
    [InlineData("r=fyko+d2lbbFgONRv9qkxdawLx,s=QSXCR+Q6sek8bf92,i=999999999")]
    [InlineData("r=fyko+d2lbbFgONRv9qkxdawLx,s=!!!,i=4096")]
    [InlineData("garbage")]
    public void Hostile_server_first_messages_are_refused(string serverFirst) =>
        Assert.Throws<XmppAuthenticationException>(() => new ScramSha1("user", "pencil", ClientNonce).ProcessServerFirst(serverFirst));

    [Fact]
    public void Username_with_comma_and_equals_is_escaped() =>
        Assert.Equal("n,,n=a=2Cb=3Dc,r=x", new ScramSha1("a,b=c", "p", "x").ClientFirstMessage);
}
