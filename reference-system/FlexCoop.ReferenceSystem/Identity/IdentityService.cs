using System.Security.Claims;
using System.Security.Cryptography;
using FlexCoop.ReferenceSystem.Storage;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace FlexCoop.ReferenceSystem.Identity;

/// <summary>The OAuth 2.0 scopes the middleware knows.</summary>
public static class ReferenceScopes
{
    /// <summary>Enrol Open Smart Boxes (<c>POST /api/enrolment</c>).</summary>
    public const string Enrolment = "enrolment";

    /// <summary>Read the DER registry.</summary>
    public const string Registry = "registry";

    /// <summary>Act as the VTN's operator (events, report requests), aggregators only.</summary>
    public const string Operator = "operator";

    /// <summary>Manage accounts, aggregators only.</summary>
    public const string Accounts = "accounts";

    public static readonly IReadOnlyList<string> All = [Enrolment, Registry, Operator, Accounts];
}

/// <summary>Claim types the middleware adds to access tokens.</summary>
public static class ReferenceClaims
{
    /// <summary>A home a prosumer owns (one claim per home).</summary>
    public const string Home = "flexcoop_home";
}

/// <summary>
/// Accounts and OAuth clients: makes the keys OpenIddict signs with (shared by all nodes through
/// the store), creates accounts and client applications, and decides what a signed-in person or
/// component may be granted.
/// </summary>
public sealed class IdentityService(IReferenceStore store, TimeProvider clock)
{
    /// <summary>The issuer every node puts in its tokens (the first node's URL, kept in the store).</summary>
    public async Task<Uri> IssuerAsync(Uri firstNodeUrl, CancellationToken cancellationToken = default) =>
        new(await store.Identity.GetOrCreateSecretAsync("oauth-issuer", () => firstNodeUrl.GetLeftPart(UriPartial.Authority) + "/", clock.GetUtcNow(), cancellationToken));

    /// <summary>The RSA key access tokens are signed with.</summary>
    public async Task<RsaSecurityKey> SigningKeyAsync(CancellationToken cancellationToken = default)
    {
        var pem = await store.Identity.GetOrCreateSecretAsync("oauth-signing-key", () =>
        {
            using var rsa = RSA.Create(2048);
            return rsa.ExportPkcs8PrivateKeyPem();
        }, clock.GetUtcNow(), cancellationToken);
        var key = RSA.Create();
        key.ImportFromPem(pem);
        return new RsaSecurityKey(key) { KeyId = Convert.ToHexString(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16] };
    }

    /// <summary>The symmetric key OpenIddict encrypts its own tokens with.</summary>
    public async Task<SymmetricSecurityKey> EncryptionKeyAsync(CancellationToken cancellationToken = default)
    {
        var b64 = await store.Identity.GetOrCreateSecretAsync("oauth-encryption-key", () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            clock.GetUtcNow(), cancellationToken);
        return new SymmetricSecurityKey(Convert.FromBase64String(b64));
    }

    /// <summary>Creates or replaces a person's account.</summary>
    public Task SaveAccountAsync(string userName, string password, string role, IReadOnlyList<string>? homeIds = null, CancellationToken cancellationToken = default)
    {
        CheckName(userName, "userName");
        if (password is null || password.Length < 8) throw new ArgumentException("a password has 8 characters or more", nameof(password));
        if (role is not (Roles.Aggregator or Roles.Prosumer)) throw new ArgumentException($"role is {Roles.Aggregator} or {Roles.Prosumer}", nameof(role));
        return store.Identity.SaveAccountAsync(new AccountRecord(userName, role, homeIds ?? [], PasswordHashing.Hash(password)), clock.GetUtcNow(), cancellationToken);
    }

    /// <summary>The account when <paramref name="password"/> is right; null otherwise.</summary>
    public async Task<AccountRecord?> CheckPasswordAsync(string userName, string password, CancellationToken cancellationToken = default)
    {
        var account = await store.Identity.GetAccountAsync(userName, cancellationToken);
        return account is not null && PasswordHashing.Verify(password, account.PasswordHash) ? account : null;
    }

    /// <summary>Creates or replaces a confidential client allowed the client-credentials grant with <paramref name="scopes"/>.</summary>
    public static async Task SaveClientAsync(IOpenIddictApplicationManager applications, string clientId, string secret, IReadOnlyList<string> scopes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(applications);
        CheckName(clientId, "clientId");
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = secret,
            ClientType = ClientTypes.Confidential,
            DisplayName = clientId,
        };
        descriptor.Permissions.Add(Permissions.Endpoints.Token);
        descriptor.Permissions.Add(Permissions.GrantTypes.ClientCredentials);
        foreach (var scope in scopes) descriptor.Permissions.Add(Permissions.Prefixes.Scope + scope);
        var existing = await applications.FindByClientIdAsync(clientId, cancellationToken);
        if (existing is null) await applications.CreateAsync(descriptor, cancellationToken);
        else await applications.UpdateAsync(existing, descriptor, cancellationToken);
    }

    /// <summary>What a person may be granted: the requested scopes their role allows.</summary>
    public static ClaimsIdentity PersonIdentity(AccountRecord account, IEnumerable<string> requestedScopes)
    {
        ArgumentNullException.ThrowIfNull(account);
        var allowed = account.Role == Roles.Aggregator ? ReferenceScopes.All : [ReferenceScopes.Registry];
        var requested = requestedScopes.ToList();
        var scopes = requested.Count == 0 ? [ReferenceScopes.Registry] : requested.Where(allowed.Contains).ToList();
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, account.UserName).SetClaim(Claims.Name, account.UserName).SetClaims(Claims.Role, [account.Role]);
        foreach (var home in account.HomeIds) identity.AddClaim(new Claim(ReferenceClaims.Home, home));
        identity.SetScopes(scopes);
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        return identity;
    }

    /// <summary>What a component (client credentials) is granted: its client ID as subject, the scopes OpenIddict checked against its permissions.</summary>
    public static ClaimsIdentity ComponentIdentity(string clientId, IEnumerable<string> scopes)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, clientId).SetClaim(Claims.Name, clientId).SetClaims(Claims.Role, [Roles.Component]);
        identity.SetScopes(scopes);
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        return identity;
    }

    /// <summary>A name of 1–64 letters, digits, '-', '_', '.', '@'.</summary>
    public static void CheckName(string name, string what)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@'))
        {
            throw new ArgumentException($"{what} is 1-64 letters, digits, '-', '_', '.', '@'", what);
        }
    }
}
