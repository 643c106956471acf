using System.Net;
using DnsClient;
using DnsClient.Protocol;
using FlexCoop.Usef.Signing;

namespace FlexCoop.Usef.Participants;

/// <summary>Settings of the DNS lookup (immutable; bind from configuration).</summary>
public sealed record DnsUftpParticipantDirectoryOptions
{
    /// <summary>Name servers to ask; empty uses the system's resolvers.</summary>
    public IReadOnlyList<IPEndPoint> NameServers { get; init; } = [];

    /// <summary>Time allowed per query.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Retries per query.</summary>
    public int Retries { get; init; } = 1;

    /// <summary>Whether answers are cached for their TTL.</summary>
    public bool UseCache { get; init; } = true;
}

/// <summary>
/// Looks participants up in DNS: TXT records at <c>_&lt;role&gt;._usef.&lt;domain&gt;</c> (role in
/// lower case, e.g. <c>_dso._usef.example.com</c>). Each TXT string is either a public key
/// <c>cs1.&lt;base64 Ed25519 key&gt;</c> (crypto scheme 1, libsodium Ed25519; several for a rollover)
/// or the endpoint URL (<c>https://...</c>). Strings of other forms are ignored.
/// </summary>
public sealed class DnsUftpParticipantDirectory : IUftpParticipantDirectory
{
    /// <summary>Prefix of a TXT string holding an Ed25519 public key.</summary>
    public const string KeyPrefix = "cs1.";

    private readonly LookupClient _client;

    public DnsUftpParticipantDirectory(DnsUftpParticipantDirectoryOptions? options = null)
    {
        options ??= new DnsUftpParticipantDirectoryOptions();
        var lookup = options.NameServers.Count > 0
            ? new LookupClientOptions(options.NameServers.Select(e => new NameServer(e)).ToArray())
            : new LookupClientOptions();
        lookup.Timeout = options.Timeout;
        lookup.Retries = options.Retries;
        lookup.UseCache = options.UseCache;
        lookup.UseTcpFallback = true;
        lookup.ThrowDnsErrors = false;
        lookup.ContinueOnDnsError = false;
        _client = new LookupClient(lookup);
    }

    /// <summary>The DNS name for a participant: <c>_dso._usef.example.com</c>.</summary>
    public static string RecordName(string domain, UftpRole role) => $"_{role.ToString().ToLowerInvariant()}._usef.{domain}";

    public async ValueTask<UftpParticipant?> FindAsync(string domain, UftpRole role, CancellationToken cancellationToken = default)
    {
        if (!UftpSimpleTypes.IsInternetDomain(domain)) return null;
        IDnsQueryResponse response;
        try
        {
            response = await _client.QueryAsync(RecordName(domain, role), QueryType.TXT, QueryClass.IN, cancellationToken).ConfigureAwait(false);
        }
        catch (DnsResponseException ex)
        {
            throw new UftpTransportException($"DNS lookup of {RecordName(domain, role)} failed: {ex.Message}", 0, ex);
        }
        if (response.HasError) return null;
        var keys = new List<UftpPublicKey>();
        Uri? endpoint = null;
        foreach (var txt in response.Answers.TxtRecords())
        {
            var text = string.Concat(txt.Text).Trim();
            if (text.StartsWith(KeyPrefix, StringComparison.Ordinal))
            {
                try
                {
                    keys.Add(UftpPublicKey.FromBase64(text[KeyPrefix.Length..]));
                }
                catch (UftpSignatureException)
                {
                    // A broken key record is skipped; the others still count.
                }
            }
            else if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
            {
                endpoint ??= uri;
            }
        }
        return keys.Count == 0 && endpoint is null ? null : new UftpParticipant(domain, role, endpoint, new ValueList<UftpPublicKey>(keys));
    }
}
