using System.Security.Cryptography;
using System.Text;

namespace FlexCoop.Xmpp.Internal;

/// <summary>
/// The client side of SCRAM-SHA-1 (RFC 5802) without channel binding (gs2 header <c>n,,</c>):
/// client-first, client-final with the proof, and verification of the server signature.
/// </summary>
internal sealed class ScramSha1
{
    private const int MaxIterations = 1_000_000;
    private readonly string _username;
    private readonly string _password;
    private readonly string _clientNonce;
    private byte[]? _expectedServerSignature;

    public ScramSha1(string username, string password, string? clientNonce = null)
    {
        _username = username;
        _password = password;
        _clientNonce = clientNonce ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
    }

    private string ClientFirstBare => $"n={SaslName(_username)},r={_clientNonce}";

    /// <summary>The client-first-message, including the gs2 header.</summary>
    public string ClientFirstMessage => "n,," + ClientFirstBare;

    /// <summary>Checks the server-first-message and returns the client-final-message.</summary>
    public string ProcessServerFirst(string serverFirst)
    {
        var fields = ParseFields(serverFirst);
        if (fields.ContainsKey('m'))
        {
            throw new XmppAuthenticationException("SCRAM: the server requires an extension this client does not support");
        }
        if (!fields.TryGetValue('r', out var nonce) || !nonce.StartsWith(_clientNonce, StringComparison.Ordinal) || nonce.Length == _clientNonce.Length)
        {
            throw new XmppAuthenticationException("SCRAM: the server nonce does not extend the client nonce");
        }
        if (!fields.TryGetValue('s', out var saltText) || !fields.TryGetValue('i', out var iterationText))
        {
            throw new XmppAuthenticationException("SCRAM: the server-first-message lacks the salt or the iteration count");
        }
        byte[] salt;
        try
        {
            salt = Convert.FromBase64String(saltText);
        }
        catch (FormatException e)
        {
            throw new XmppAuthenticationException("SCRAM: the salt is not base64", innerException: e);
        }
        if (!int.TryParse(iterationText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var iterations)
            || iterations < 1 || iterations > MaxIterations)
        {
            throw new XmppAuthenticationException($"SCRAM: iteration count '{iterationText}' is outside 1..{MaxIterations}");
        }
        var saltedPassword = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(_password), salt, iterations, HashAlgorithmName.SHA1, 20);
        var clientKey = HMACSHA1.HashData(saltedPassword, "Client Key"u8);
        var storedKey = SHA1.HashData(clientKey);
        var withoutProof = $"c=biws,r={nonce}";
        var authMessage = Encoding.UTF8.GetBytes($"{ClientFirstBare},{serverFirst},{withoutProof}");
        var clientSignature = HMACSHA1.HashData(storedKey, authMessage);
        var proof = new byte[clientKey.Length];
        for (var i = 0; i < proof.Length; i++)
        {
            proof[i] = (byte)(clientKey[i] ^ clientSignature[i]);
        }
        var serverKey = HMACSHA1.HashData(saltedPassword, "Server Key"u8);
        _expectedServerSignature = HMACSHA1.HashData(serverKey, authMessage);
        return $"{withoutProof},p={Convert.ToBase64String(proof)}";
    }

    /// <summary>Verifies the server-final-message (<c>v=</c> signature, or <c>e=</c> error).</summary>
    public void VerifyServerFinal(string serverFinal)
    {
        if (_expectedServerSignature is null)
        {
            throw new XmppAuthenticationException("SCRAM: server-final-message before server-first-message");
        }
        var fields = ParseFields(serverFinal);
        if (fields.TryGetValue('e', out var error))
        {
            throw new XmppAuthenticationException($"SCRAM: the server reports '{error}'");
        }
        byte[] signature;
        try
        {
            signature = fields.TryGetValue('v', out var v) ? Convert.FromBase64String(v) : [];
        }
        catch (FormatException e)
        {
            throw new XmppAuthenticationException("SCRAM: the server signature is not base64", innerException: e);
        }
        if (!CryptographicOperations.FixedTimeEquals(signature, _expectedServerSignature))
        {
            throw new XmppAuthenticationException("SCRAM: the server signature does not verify; the server does not know the password");
        }
    }

    private static string SaslName(string name) =>
        name.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal);

    private static Dictionary<char, string> ParseFields(string message)
    {
        var fields = new Dictionary<char, string>();
        foreach (var part in message.Split(','))
        {
            if (part.Length < 2 || part[1] != '=')
            {
                throw new XmppAuthenticationException($"SCRAM: malformed attribute '{part}'");
            }
            fields.TryAdd(part[0], part[2..]);
        }
        return fields;
    }
}
