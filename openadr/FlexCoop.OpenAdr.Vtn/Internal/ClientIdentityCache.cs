using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;

namespace FlexCoop.OpenAdr.Vtn.Internal;

/// <summary>
/// The identity (fingerprint) of a TLS client certificate, computed once per certificate object:
/// a keep-alive connection presents the same object on every request, so its SHA-256 is not
/// recomputed per poll. Entries go when the certificate (the connection) is collected.
/// </summary>
internal sealed class ClientIdentityCache
{
    private readonly ConditionalWeakTable<X509Certificate2, ClientIdentity> _identities = [];

    public ClientIdentity Of(X509Certificate2? certificate) =>
        certificate is null
            ? ClientIdentity.Anonymous
            : _identities.GetValue(certificate, static c => new ClientIdentity(CertificateIdentity.Fingerprint(c), c));
}
