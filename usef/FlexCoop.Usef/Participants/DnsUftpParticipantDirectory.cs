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

    /// <summary>
    /// The DNS name asked for a participant: <c>{role}</c> is replaced by the role in lower case,
    /// <c>{domain}</c> by the participant's domain. Default <c>_{role}._usef.{domain}</c>
    /// (see the package README for how this follows the specification).
    /// </summary>
    public string RecordNameFormat { get; init; } = DnsUftpParticipantDirectory.DefaultRecordNameFormat;
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

    /// <summary>The record name layout used unless configured otherwise.</summary>
    public const string DefaultRecordNameFormat = "_{role}._usef.{domain}";

    private readonly LookupClient _client;
    private readonly string _recordNameFormat;

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
        if (!options.RecordNameFormat.Contains("{domain}", StringComparison.Ordinal))
        {
            throw new ArgumentException("RecordNameFormat must contain {domain}", nameof(options));
        }
        _recordNameFormat = options.RecordNameFormat;
    }

    /// <summary>The DNS name for a participant: <c>_dso._usef.example.com</c>.</summary>
    public static string RecordName(string domain, UftpRole role) => RecordName(DefaultRecordNameFormat, domain, role);

    /// <summary>The DNS name for a participant in a given layout.</summary>
    public static string RecordName(string format, string domain, UftpRole role)
    {
        ArgumentNullException.ThrowIfNull(format);
        return format.Replace("{role}", role.ToString().ToLowerInvariant(), StringComparison.Ordinal).Replace("{domain}", domain, StringComparison.Ordinal);
    }

    /// <summary>
    /// A key string: <c>cs1.</c> and the base64 of the 32-byte Ed25519 signing key, or of the signing key
    /// followed by a 32-byte encryption key (as the specification's key publication has it); null when broken.
    /// </summary>
    public static UftpPublicKey? ParseKey(string item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!item.StartsWith(KeyPrefix, StringComparison.Ordinal)) return null;
        var buffer = new byte[96];
        if (!Convert.TryFromBase64String(item[KeyPrefix.Length..], buffer, out var length) || length is not (32 or 64)) return null;
        try
        {
            return UftpPublicKey.FromBytes(buffer.AsSpan(0, 32));
        }
        catch (UftpSignatureException)
        {
            return null;
        }
    }

    /// <summary>The name of the endpoint record: <c>_http.</c> before the key record's name.</summary>
    public static string EndpointRecordName(string format, string domain, UftpRole role) => "_http." + RecordName(format, domain, role);

    /// <summary>The endpoint from the CNAME at <c>_http._&lt;role&gt;._usef.&lt;domain&gt;</c>: https://host/shapeshifter/api/v3/message, or null.</summary>
    private async Task<Uri?> EndpointFromCnameAsync(string domain, UftpRole role, CancellationToken cancellationToken)
    {
        var name = EndpointRecordName(_recordNameFormat, domain, role);
        IDnsQueryResponse response;
        try
        {
            response = await _client.QueryAsync(name, QueryType.CNAME, QueryClass.IN, cancellationToken).ConfigureAwait(false);
        }
        catch (DnsResponseException ex)
        {
            throw new UftpTransportException($"DNS lookup of {name} failed: {ex.Message}", 0, ex);
        }
        if (response.HasError) return null;
        var target = response.Answers.CnameRecords().FirstOrDefault()?.CanonicalName.Value.TrimEnd('.');
        return target is { Length: > 0 } && Uri.CheckHostName(target) == UriHostNameType.Dns
            ? new UriBuilder(Uri.UriSchemeHttps, target, 443, UftpEndpoints.MessagePath).Uri
            : null;
    }

    public async ValueTask<UftpParticipant?> FindAsync(string domain, UftpRole role, CancellationToken cancellationToken = default)
    {
        if (!UftpSimpleTypes.IsInternetDomain(domain)) return null;
        IDnsQueryResponse response;
        try
        {
            response = await _client.QueryAsync(RecordName(_recordNameFormat, domain, role), QueryType.TXT, QueryClass.IN, cancellationToken).ConfigureAwait(false);
        }
        catch (DnsResponseException ex)
        {
            throw new UftpTransportException($"DNS lookup of {RecordName(_recordNameFormat, domain, role)} failed: {ex.Message}", 0, ex);
        }
        if (response.HasError) return null;
        var keys = new List<UftpPublicKey>();
        Uri? endpoint = null;
        foreach (var txt in response.Answers.TxtRecords())
        {
            var text = string.Concat(txt.Text).Trim();
            if (text.StartsWith(KeyPrefix, StringComparison.Ordinal))
            {
                // Up to two space-separated key strings (old and new during a rollover), each cs1.<base64>.
                foreach (var item in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (ParseKey(item) is { } key) keys.Add(key);
                }
            }
            else if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
            {
                endpoint ??= uri;
            }
        }
        endpoint ??= await EndpointFromCnameAsync(domain, role, cancellationToken).ConfigureAwait(false);
        return keys.Count == 0 && endpoint is null ? null : new UftpParticipant(domain, role, endpoint, new ValueList<UftpPublicKey>(keys));
    }
}
