using System.Collections.Concurrent;
using FlexCoop.Usef.Xml;

namespace FlexCoop.Usef.Signing;

/// <summary>The outcome of opening one envelope of a batch: the verified message, or why it was refused.</summary>
public readonly record struct UftpOpenResult(UftpOpenedMessage? Opened, UsefException? Error)
{
    /// <summary>True when the envelope verified and its message parsed.</summary>
    public bool IsSuccess => Opened is not null;
}

public static partial class UftpSigner
{
    /// <summary>
    /// Opens a whole batch of <c>SignedMessage</c> documents (the XML as received) on every core:
    /// each is parsed, verified with the keys <paramref name="keysOf"/> gives for its SenderDomain and
    /// SenderRole, its sealed message parsed and its sender checked, exactly as
    /// <see cref="Open(SignedMessage, IEnumerable{UftpPublicKey}, UftpXmlLimits?)"/> does one. Results
    /// are in input order; a refused envelope is a result with an <see cref="UftpOpenResult.Error"/>,
    /// never an exception. <paramref name="keysOf"/> is called from several threads at once.
    /// </summary>
    /// <param name="signedXml">The envelopes.</param>
    /// <param name="keysOf">The public keys of a sender (domain, role); null or empty when unknown.</param>
    /// <param name="limits">Bounds for both the envelope and the sealed message.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use; -1 (default) uses every core.</param>
    public static UftpOpenResult[] OpenMany(IReadOnlyList<ReadOnlyMemory<byte>> signedXml, Func<string, UftpRole, IReadOnlyList<UftpPublicKey>?> keysOf, UftpXmlLimits? limits = null, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(signedXml);
        ArgumentNullException.ThrowIfNull(keysOf);
        if (maxDegreeOfParallelism is 0 or < -1) throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), "must be positive or -1");
        var results = new UftpOpenResult[signedXml.Count];
        if (results.Length == 0) return results;
        var threads = maxDegreeOfParallelism == -1 ? Environment.ProcessorCount : maxDegreeOfParallelism;
        // Contiguous ranges rather than one task per message: a message costs tens of microseconds.
        var rangeSize = Math.Max(1, results.Length / (threads * 4));
        Parallel.ForEach(
            Partitioner.Create(0, results.Length, rangeSize),
            new ParallelOptions { MaxDegreeOfParallelism = threads },
            range =>
            {
                for (var i = range.Item1; i < range.Item2; i++) results[i] = OpenOne(signedXml[i], keysOf, limits);
            });
        return results;
    }

    /// <summary>Parses, verifies and opens one envelope given as XML; failures are in the result.</summary>
    public static UftpOpenResult OpenOne(ReadOnlyMemory<byte> signedXml, Func<string, UftpRole, IReadOnlyList<UftpPublicKey>?> keysOf, UftpXmlLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(keysOf);
        try
        {
            var envelope = UftpXml.ParseSignedMessage(signedXml, limits);
            var keys = keysOf(envelope.SenderDomain, envelope.SenderRole);
            if (keys is null || keys.Count == 0)
            {
                return new UftpOpenResult(null, new UftpSignatureException(UftpSignatureFailure.UnknownSender, $"no public key is known for {envelope.SenderRole} {envelope.SenderDomain}"));
            }
            return new UftpOpenResult(Open(envelope, keys, limits), null);
        }
        catch (UsefException ex)
        {
            return new UftpOpenResult(null, ex);
        }
    }
}
