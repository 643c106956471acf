namespace FlexCoop.Usef.Participants;

/// <summary>
/// A UFTP participant as another participant sees it: its domain and role, the HTTPS endpoint
/// messages are POSTed to, and the Ed25519 public keys its SignedMessages verify with (several
/// during a key rollover).
/// </summary>
public sealed record UftpParticipant(string Domain, UftpRole Role, Uri? Endpoint, ValueList<Signing.UftpPublicKey> PublicKeys);

/// <summary>Finds participants by domain and role (DNS, configuration, a registry).</summary>
public interface IUftpParticipantDirectory
{
    /// <summary>The participant, or null when unknown.</summary>
    ValueTask<UftpParticipant?> FindAsync(string domain, UftpRole role, CancellationToken cancellationToken = default);
}
