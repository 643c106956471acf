using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace FlexCoop.Xmpp;

/// <summary>
/// An XMPP address (RFC 7622): <c>[localpart@]domainpart[/resourcepart]</c>. Parsing applies the
/// basic rules: each part 1–1023 UTF-8 bytes, no control characters, a localpart without the
/// characters <c>" &amp; ' / : &lt; &gt; @</c> or spaces, a domainpart without <c>@</c> or <c>/</c>;
/// the localpart and domainpart are case-mapped to lower case and all parts NFC-normalised.
/// Full PRECIS profiles are not applied.
/// </summary>
public sealed record Jid
{
    private const int MaxPartBytes = 1023;

    private Jid(string? local, string domain, string? resource)
    {
        Local = local;
        Domain = domain;
        Resource = resource;
    }

    /// <summary>The localpart (the account), or null.</summary>
    public string? Local { get; }

    /// <summary>The domainpart (the server).</summary>
    public string Domain { get; }

    /// <summary>The resourcepart (the session), or null.</summary>
    public string? Resource { get; }

    /// <summary>True when there is no resourcepart.</summary>
    public bool IsBare => Resource is null;

    /// <summary>This address without its resource.</summary>
    public Jid Bare => Resource is null ? this : new Jid(Local, Domain, null);

    /// <summary>This bare address with the given resource.</summary>
    public Jid WithResource(string resource) => Create(Local, Domain, resource);

    /// <summary>Builds and validates a JID from its parts.</summary>
    public static Jid Create(string? local, string domain, string? resource = null)
    {
        var error = Validate(ref local, ref domain, ref resource);
        return error is null ? new Jid(local, domain, resource) : throw new XmppJidException(error);
    }

    /// <summary>Parses a JID; throws <see cref="XmppJidException"/> naming the rule broken.</summary>
    public static Jid Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return TryParse(value, out var jid, out var error) ? jid : throw new XmppJidException(error);
    }

    /// <summary>Parses a JID without throwing.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out Jid? jid) => TryParse(value, out jid, out _);

    private static bool TryParse(string? value, [NotNullWhen(true)] out Jid? jid, out string error)
    {
        jid = null;
        if (string.IsNullOrEmpty(value))
        {
            error = "a JID must not be empty";
            return false;
        }
        // RFC 7622 §3.2: the first '/' ends the domain; the '@' before it ends the localpart.
        string? resource = null;
        var rest = value;
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            resource = value[(slash + 1)..];
            rest = value[..slash];
            if (resource.Length == 0)
            {
                error = "the resourcepart after '/' must not be empty";
                return false;
            }
        }
        string? local = null;
        var domain = rest;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            local = rest[..at];
            domain = rest[(at + 1)..];
            if (local.Length == 0)
            {
                error = "the localpart before '@' must not be empty";
                return false;
            }
        }
        var problem = Validate(ref local, ref domain, ref resource);
        if (problem is not null)
        {
            error = problem;
            return false;
        }
        jid = new Jid(local, domain, resource);
        error = "";
        return true;
    }

    private static string? Validate(ref string? local, ref string domain, ref string? resource)
    {
        ArgumentNullException.ThrowIfNull(domain);
        if (domain.EndsWith('.'))
        {
            domain = domain[..^1];
        }
        if (domain.Length == 0)
        {
            return "the domainpart must not be empty";
        }
        if (!IsNormalizable(domain) || !IsNormalizable(local) || !IsNormalizable(resource))
        {
            return "a JID part is not valid Unicode";
        }
        domain = domain.Normalize(NormalizationForm.FormC).ToLowerInvariant();
        foreach (var c in domain)
        {
            if (c is '@' or '/' or ' ' || char.IsControl(c))
            {
                return $"the domainpart must not contain U+{(int)c:X4}";
            }
        }
        if (Encoding.UTF8.GetByteCount(domain) > MaxPartBytes)
        {
            return "the domainpart is longer than 1023 bytes";
        }
        if (local is not null)
        {
            local = local.Normalize(NormalizationForm.FormC).ToLowerInvariant();
            foreach (var c in local)
            {
                if (c is '"' or '&' or '\'' or '/' or ':' or '<' or '>' or '@' || char.IsWhiteSpace(c) || char.IsControl(c))
                {
                    return $"the localpart must not contain '{c}' (escape it with Jid.EscapeLocal)";
                }
            }
            if (local.Length == 0 || Encoding.UTF8.GetByteCount(local) > MaxPartBytes)
            {
                return "the localpart must be 1 to 1023 bytes";
            }
        }
        if (resource is not null)
        {
            resource = resource.Normalize(NormalizationForm.FormC);
            foreach (var c in resource)
            {
                if (char.IsControl(c))
                {
                    return "the resourcepart must not contain control characters";
                }
            }
            if (resource.Length == 0 || Encoding.UTF8.GetByteCount(resource) > MaxPartBytes)
            {
                return "the resourcepart must be 1 to 1023 bytes";
            }
        }
        return null;
    }

    private static bool IsNormalizable(string? s)
    {
        if (s is null)
        {
            return true;
        }
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]))
            {
                if (i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1]))
                {
                    return false;
                }
                i++;
            }
            else if (char.IsLowSurrogate(s[i]))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Escapes a name for use as a localpart (XEP-0106): space, <c>" &amp; ' / : &lt; &gt; @</c> and
    /// a backslash that starts an escape sequence become <c>\20</c>, <c>\22</c>, ...
    /// </summary>
    public static string EscapeLocal(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var escape = c switch
            {
                ' ' => "\\20",
                '"' => "\\22",
                '&' => "\\26",
                '\'' => "\\27",
                '/' => "\\2f",
                ':' => "\\3a",
                '<' => "\\3c",
                '>' => "\\3e",
                '@' => "\\40",
                '\\' when IsEscapeCode(name.AsSpan(i + 1)) => "\\5c",
                _ => null,
            };
            if (escape is null)
            {
                sb.Append(c);
            }
            else
            {
                sb.Append(escape);
            }
        }
        return sb.ToString();
    }

    /// <summary>Reverses <see cref="EscapeLocal"/>.</summary>
    public static string UnescapeLocal(string local)
    {
        ArgumentNullException.ThrowIfNull(local);
        var sb = new StringBuilder(local.Length);
        for (var i = 0; i < local.Length; i++)
        {
            if (local[i] == '\\' && IsEscapeCode(local.AsSpan(i + 1)))
            {
                sb.Append((char)int.Parse(local.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 2;
            }
            else
            {
                sb.Append(local[i]);
            }
        }
        return sb.ToString();
    }

    private static bool IsEscapeCode(ReadOnlySpan<char> s) =>
        s.Length >= 2 && s[..2].ToString().ToLowerInvariant() is "20" or "22" or "26" or "27" or "2f" or "3a" or "3c" or "3e" or "40" or "5c";

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder();
        if (Local is not null)
        {
            sb.Append(Local).Append('@');
        }
        sb.Append(Domain);
        if (Resource is not null)
        {
            sb.Append('/').Append(Resource);
        }
        return sb.ToString();
    }
}
