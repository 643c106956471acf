using FlexCoop.Usef.Participants;
using FlexCoop.Usef.Xml;
using NSec.Cryptography;

namespace FlexCoop.Usef.Signing;

/// <summary>A verified SignedMessage: the envelope, the sealed bytes exactly as signed, and the message they hold.</summary>
public sealed record UftpOpenedMessage(SignedMessage Envelope, ReadOnlyMemory<byte> PayloadXml, PayloadMessage Message);

/// <summary>
/// Seals and opens <c>SignedMessage</c> envelopes the way libsodium's <c>crypto_sign</c> does:
/// Body = Ed25519 signature (64 bytes) followed by the exact payload bytes.
/// </summary>
public static partial class UftpSigner
{
    /// <summary>Length of the Ed25519 signature at the start of the Body.</summary>
    public const int SignatureLength = 64;

    /// <summary>Seals the exact payload bytes.</summary>
    public static SignedMessage Seal(ReadOnlySpan<byte> payloadXml, string senderDomain, UftpRole senderRole, UftpSigningKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var body = new byte[SignatureLength + payloadXml.Length];
        payloadXml.CopyTo(body.AsSpan(SignatureLength));
        SignatureAlgorithm.Ed25519.Sign(key.Key, payloadXml, body.AsSpan(0, SignatureLength));
        return new SignedMessage(senderDomain, senderRole, body);
    }

    /// <summary>Serialises and seals a message; the envelope's SenderDomain is the message's.</summary>
    public static SignedMessage Seal(PayloadMessage message, UftpRole senderRole, UftpSigningKey key)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Seal(UftpXml.Serialize(message), message.SenderDomain, senderRole, key);
    }

    /// <summary>Checks the signature with one key; on success <paramref name="payloadXml"/> is the sealed bytes.</summary>
    public static bool TryOpen(SignedMessage envelope, UftpPublicKey key, out ReadOnlyMemory<byte> payloadXml)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(key);
        payloadXml = default;
        var body = envelope.Body;
        if (body.Length < SignatureLength) return false;
        var payload = body[SignatureLength..];
        if (!SignatureAlgorithm.Ed25519.Verify(key.Key, payload.Span, body.Span[..SignatureLength])) return false;
        payloadXml = payload;
        return true;
    }

    /// <summary>
    /// Verifies with any of <paramref name="keys"/>, parses the sealed message, and checks that its
    /// SenderDomain equals the envelope's and that the envelope's SenderRole may send its type.
    /// </summary>
    public static UftpOpenedMessage Open(SignedMessage envelope, IEnumerable<UftpPublicKey> keys, UftpXmlLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(keys);
        if (envelope.Body.Length < SignatureLength)
        {
            throw new UftpSignatureException(UftpSignatureFailure.MalformedBody, $"the Body has {envelope.Body.Length} bytes, fewer than a signature");
        }
        var any = false;
        if (keys is IReadOnlyList<UftpPublicKey> list)
        {
            // The usual case (a directory's key list): indexed, so no enumerator is made per message.
            for (var i = 0; i < list.Count; i++)
            {
                any = true;
                if (TryOpen(envelope, list[i], out var payload)) return Opened(envelope, payload, limits);
            }
        }
        else
        {
            foreach (var key in keys)
            {
                any = true;
                if (TryOpen(envelope, key, out var payload)) return Opened(envelope, payload, limits);
            }
        }
        throw any
            ? new UftpSignatureException(UftpSignatureFailure.BadSignature, $"the signature does not verify with any key of {envelope.SenderRole} {envelope.SenderDomain}")
            : new UftpSignatureException(UftpSignatureFailure.UnknownSender, $"no public key is known for {envelope.SenderRole} {envelope.SenderDomain}");
    }

    private static UftpOpenedMessage Opened(SignedMessage envelope, ReadOnlyMemory<byte> payload, UftpXmlLimits? limits)
    {
        var message = UftpXml.Parse(payload, limits);
        CheckSender(envelope, message);
        return new UftpOpenedMessage(envelope, payload, message);
    }

    /// <summary>Looks up the sender's keys in <paramref name="directory"/> and opens the envelope.</summary>
    public static async ValueTask<UftpOpenedMessage> OpenAsync(SignedMessage envelope, IUftpParticipantDirectory directory, UftpXmlLimits? limits = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(directory);
        var sender = await directory.FindAsync(envelope.SenderDomain, envelope.SenderRole, cancellationToken).ConfigureAwait(false);
        if (sender is null || sender.PublicKeys.Count == 0)
        {
            throw new UftpSignatureException(UftpSignatureFailure.UnknownSender, $"no public key is known for {envelope.SenderRole} {envelope.SenderDomain}");
        }
        return Open(envelope, sender.PublicKeys, limits);
    }

    private static void CheckSender(SignedMessage envelope, PayloadMessage message)
    {
        if (!string.Equals(envelope.SenderDomain, message.SenderDomain, StringComparison.Ordinal))
        {
            throw new UftpSignatureException(UftpSignatureFailure.SenderDomainMismatch, $"the envelope says SenderDomain {envelope.SenderDomain}, the sealed message {message.SenderDomain}");
        }
        var info = UftpMessageTypes.Get(message.MessageType);
        if (!info.SenderRoles.Contains(envelope.SenderRole))
        {
            throw new UftpSignatureException(UftpSignatureFailure.SenderRoleMismatch, $"the envelope says SenderRole {envelope.SenderRole}, but {info.ElementName} is sent by {string.Join("/", info.SenderRoles)}");
        }
    }
}
