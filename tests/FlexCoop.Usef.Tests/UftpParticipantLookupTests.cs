using FlexCoop.Usef.Participants;
using FlexCoop.Usef.Signing;

namespace FlexCoop.Usef.Tests;

public sealed class UftpParticipantLookupTests
{
    private static DnsUftpParticipantDirectory Directory(TinyDnsServer dns) =>
        new(new DnsUftpParticipantDirectoryOptions { NameServers = [dns.EndPoint], UseCache = false, Retries = 0, Timeout = TimeSpan.FromSeconds(5) });

    [Fact]
    public void Record_name_uses_the_lower_case_role()
    {
        Assert.Equal("_dso._usef.dso.example.com", DnsUftpParticipantDirectory.RecordName("dso.example.com", UftpRole.DSO));
    }

    [Fact]
    public async Task Dns_txt_records_give_keys_and_endpoint()
    {
        using var key1 = UftpSigningKey.Generate();
        using var key2 = UftpSigningKey.Generate();
        await using var dns = new TinyDnsServer(new()
        {
            ["_dso._usef.dso.example.com"] = ["cs1." + key1.PublicKey.ToBase64(), "https://uftp.dso.example.com/shapeshifter/api/v3/message", "cs1." + key2.PublicKey.ToBase64(), "v=spf1 -all"],
        });

        var found = await Directory(dns).FindAsync("dso.example.com", UftpRole.DSO, TestContext.Current.CancellationToken);

        Assert.NotNull(found);
        Assert.Equal(new Uri("https://uftp.dso.example.com/shapeshifter/api/v3/message"), found.Endpoint);
        Assert.Equal(new[] { key1.PublicKey, key2.PublicKey }, found.PublicKeys);
        Assert.True(dns.Queries >= 1);
    }

    [Fact]
    public async Task Keys_published_as_the_specification_says_and_the_endpoint_cname_are_read()
    {
        using var oldKey = UftpSigningKey.Generate();
        using var newKey = UftpSigningKey.Generate();
        // cs1. + base64(signing key || encryption key), two key strings in one TXT during a rollover.
        var withEncryption = Convert.ToBase64String([.. newKey.PublicKey.Bytes, .. new byte[32]]);
        await using var dns = new TinyDnsServer(
            new() { ["_agr._usef.agr.example.org"] = [$"cs1.{oldKey.PublicKey.ToBase64()} cs1.{withEncryption}"] },
            new() { ["_http._agr._usef.agr.example.org"] = "uftp.agr.example.org" });

        var found = await Directory(dns).FindAsync("agr.example.org", UftpRole.AGR, TestContext.Current.CancellationToken);

        Assert.Equal(new[] { oldKey.PublicKey, newKey.PublicKey }, found!.PublicKeys);
        Assert.Equal(new Uri("https://uftp.agr.example.org/shapeshifter/api/v3/message"), found.Endpoint);
    }

    [Fact]
    public async Task Record_layout_is_configurable()
    {
        using var key = UftpSigningKey.Generate();
        await using var dns = new TinyDnsServer(new() { ["_dso.uftp-keys.dso.example.com"] = ["cs1." + key.PublicKey.ToBase64()] });
        var directory = new DnsUftpParticipantDirectory(new DnsUftpParticipantDirectoryOptions { NameServers = [dns.EndPoint], UseCache = false, Retries = 0, RecordNameFormat = "_{role}.uftp-keys.{domain}" });
        var found = await directory.FindAsync("dso.example.com", UftpRole.DSO, TestContext.Current.CancellationToken);
        Assert.Equal(new[] { key.PublicKey }, found!.PublicKeys);
        Assert.Throws<ArgumentException>(() => new DnsUftpParticipantDirectory(new DnsUftpParticipantDirectoryOptions { RecordNameFormat = "_{role}._usef" }));
        Assert.Null(DnsUftpParticipantDirectory.ParseKey("cs1." + Convert.ToBase64String(new byte[48])));
        Assert.Null(DnsUftpParticipantDirectory.ParseKey("cs2." + key.PublicKey.ToBase64()));
    }

    [Fact]
    public async Task Unknown_name_gives_null()
    {
        await using var dns = new TinyDnsServer(new());
        Assert.Null(await Directory(dns).FindAsync("nobody.example.com", UftpRole.AGR, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Broken_key_record_is_skipped()
    {
        using var key = UftpSigningKey.Generate();
        await using var dns = new TinyDnsServer(new() { ["_agr._usef.agr.example.org"] = ["cs1.not-base64!!", "cs1." + key.PublicKey.ToBase64()] });
        var found = await Directory(dns).FindAsync("agr.example.org", UftpRole.AGR, TestContext.Current.CancellationToken);
        Assert.Equal(new[] { key.PublicKey }, found!.PublicKeys);
        Assert.Null(found.Endpoint);
        Assert.Equal(new Uri("https://agr.example.org/shapeshifter/api/v3/message"), UftpEndpoints.Resolve(found));
    }

    [Fact]
    public async Task Signed_message_opens_with_a_key_found_in_dns()
    {
        using var key = UftpSigningKey.Generate();
        await using var dns = new TinyDnsServer(new() { ["_agr._usef.agr.example.org"] = ["cs1." + key.PublicKey.ToBase64()] });
        var envelope = UftpSigner.Seal(Trade.Prognosis(), UftpRole.AGR, key);

        var opened = await UftpSigner.OpenAsync(envelope, Directory(dns), cancellationToken: TestContext.Current.CancellationToken);
        Assert.IsType<DPrognosis>(opened.Message);

        var wrongRole = new SignedMessage(envelope.SenderDomain, UftpRole.DSO, envelope.Body);
        var error = await Assert.ThrowsAsync<UftpSignatureException>(async () => await UftpSigner.OpenAsync(wrongRole, Directory(dns), cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(UftpSignatureFailure.UnknownSender, error.Failure);
    }

    [Fact]
    public async Task Static_directory_from_options_then_dns_in_a_composite()
    {
        using var key = UftpSigningKey.Generate();
        var configured = StaticUftpParticipantDirectory.FromOptions([
            new UftpParticipantOptions { Domain = "dso.example.com", Role = UftpRole.DSO, Endpoint = new Uri("https://127.0.0.1:8443/shapeshifter/api/v3/message"), PublicKeys = [key.PublicKey.ToBase64()] },
        ]);
        await using var dns = new TinyDnsServer(new() { ["_agr._usef.agr.example.org"] = ["https://agr.example.org/uftp"] });
        var directory = new CompositeUftpParticipantDirectory(configured, Directory(dns));

        var dso = await directory.FindAsync("dso.example.com", UftpRole.DSO, TestContext.Current.CancellationToken);
        Assert.Equal(8443, dso!.Endpoint!.Port);
        Assert.Equal(key.PublicKey, Assert.Single(dso.PublicKeys));
        Assert.Equal(new Uri("https://agr.example.org/uftp"), (await directory.FindAsync("agr.example.org", UftpRole.AGR, TestContext.Current.CancellationToken))!.Endpoint);
        Assert.Null(await directory.FindAsync("agr.example.org", UftpRole.CRO, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Options_with_a_bad_domain_are_refused() =>
        Assert.Throws<ArgumentException>(() => new UftpParticipantOptions { Domain = "Not A Domain" }.ToParticipant());
}
