using System.Security.Cryptography.X509Certificates;

namespace FlexCoop.OpenAdr.Vtn.Internal;

/// <summary>The five simple-HTTP service endpoints of OpenADR 2.0b.</summary>
internal enum OadrEndpoint
{
    EiRegisterParty,
    EiEvent,
    EiReport,
    EiOpt,
    OadrPoll,
}

/// <summary>Who sent a request: the TLS client certificate and its fingerprint, or nobody on plain HTTP.</summary>
/// <param name="Fingerprint">The certificate fingerprint (the 2.0b VEN ID form); null on plain HTTP.</param>
/// <param name="Certificate">The client certificate; null on plain HTTP.</param>
internal sealed record ClientIdentity(string? Fingerprint, X509Certificate2? Certificate)
{
    public static readonly ClientIdentity Anonymous = new(null, null);
}

/// <summary>Turns one received OpenADR request body into the response body.</summary>
internal interface IOadrRequestHandler
{
    ValueTask<byte[]> HandleAsync(OadrEndpoint endpoint, ReadOnlyMemory<byte> body, ClientIdentity identity, CancellationToken cancellationToken);
}
