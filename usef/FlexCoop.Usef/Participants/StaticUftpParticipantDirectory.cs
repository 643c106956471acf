using System.Collections.Concurrent;
using FlexCoop.Usef.Signing;

namespace FlexCoop.Usef.Participants;

/// <summary>One participant as written in configuration (bindable): keys in base64.</summary>
public sealed record UftpParticipantOptions
{
    /// <summary>The participant's Internet domain.</summary>
    public string Domain { get; init; } = "";

    /// <summary>Its role.</summary>
    public UftpRole Role { get; init; }

    /// <summary>Its message endpoint (https://host/shapeshifter/api/v3/message); null for the default under its domain.</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>Its Ed25519 public keys, base64.</summary>
    public IReadOnlyList<string> PublicKeys { get; init; } = [];

    /// <summary>The participant these options describe; throws on a bad domain or key.</summary>
    public UftpParticipant ToParticipant()
    {
        if (!UftpSimpleTypes.IsInternetDomain(Domain)) throw new ArgumentException($"'{Domain}' is not an Internet domain", nameof(Domain));
        return new UftpParticipant(Domain, Role, Endpoint, new ValueList<UftpPublicKey>(PublicKeys.Select(UftpPublicKey.FromBase64)));
    }
}

/// <summary>
/// Participants from configuration or a registry, held in memory. Thread-safe; entries can be
/// replaced at run time (a participant moving to a new endpoint, a key rollover).
/// </summary>
public sealed class StaticUftpParticipantDirectory : IUftpParticipantDirectory
{
    private readonly ConcurrentDictionary<(string, UftpRole), UftpParticipant> _participants = new();

    public StaticUftpParticipantDirectory(IEnumerable<UftpParticipant>? participants = null)
    {
        foreach (var p in participants ?? []) Set(p);
    }

    /// <summary>A directory from configuration entries.</summary>
    public static StaticUftpParticipantDirectory FromOptions(IEnumerable<UftpParticipantOptions> options) =>
        new(options.Select(o => o.ToParticipant()));

    /// <summary>Adds or replaces a participant.</summary>
    public void Set(UftpParticipant participant)
    {
        ArgumentNullException.ThrowIfNull(participant);
        _participants[(participant.Domain, participant.Role)] = participant;
    }

    public ValueTask<UftpParticipant?> FindAsync(string domain, UftpRole role, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_participants.GetValueOrDefault((domain, role)));
}

/// <summary>Asks several directories in turn (e.g. configuration first, then DNS); the first answer wins.</summary>
public sealed class CompositeUftpParticipantDirectory(params IUftpParticipantDirectory[] directories) : IUftpParticipantDirectory
{
    public async ValueTask<UftpParticipant?> FindAsync(string domain, UftpRole role, CancellationToken cancellationToken = default)
    {
        foreach (var directory in directories)
        {
            if (await directory.FindAsync(domain, role, cancellationToken).ConfigureAwait(false) is { } found) return found;
        }
        return null;
    }
}

/// <summary>Where UFTP messages go.</summary>
public static class UftpEndpoints
{
    /// <summary>The path every UFTP 3.x participant accepts messages on.</summary>
    public const string MessagePath = "/shapeshifter/api/v3/message";

    /// <summary>The endpoint of a participant: its own, or https://domain/shapeshifter/api/v3/message.</summary>
    public static Uri Resolve(UftpParticipant participant)
    {
        ArgumentNullException.ThrowIfNull(participant);
        return participant.Endpoint ?? new Uri($"https://{participant.Domain}{MessagePath}");
    }
}
