namespace FlexCoop.OpenAdr.Security;

/// <summary>The two security levels of the OpenADR 2.0b profile.</summary>
public enum OadrSecurityLevel
{
    /// <summary>TLS 1.2 with client certificates; payloads are not signed.</summary>
    Standard,

    /// <summary>
    /// Standard security plus an XML signature on every payload: each side signs what it sends
    /// (detached <c>ds:Signature</c> over <c>oadrSignedObject</c> and a <c>dsp:ReplayProtect</c> with
    /// timestamp and nonce) and verifies what it receives (signature, trusted signer, replay window,
    /// nonce used once) before acting on it.
    /// </summary>
    High,
}
