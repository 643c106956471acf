using FlexCoop.OpenAdr.Model;

namespace FlexCoop.OpenAdr.Codec;

/// <summary>What a parsed message was wrapped in.</summary>
public enum OadrEnvelope
{
    /// <summary>The payload element itself was the root (e.g. <c>&lt;oadr:oadrPoll&gt;</c>), as specification samples often are.</summary>
    None,
    /// <summary><c>oadrPayload/oadrSignedObject/...</c>, as OpenADR 2.0b sends messages.</summary>
    OadrPayload,
    /// <summary><c>oadrSignedObject/...</c> without the <c>oadrPayload</c> around it.</summary>
    OadrSignedObject,
}

/// <summary>A parsed OpenADR 2.0b document: the message and how it was carried.</summary>
/// <param name="Message">The payload.</param>
/// <param name="Envelope">Whether it came wrapped in <c>oadrPayload</c>/<c>oadrSignedObject</c>.</param>
/// <param name="SignedObjectId">The <c>oadr:Id</c> attribute of <c>oadrSignedObject</c> (what a signature references), if any.</param>
/// <param name="HasSignature">
/// True when <c>oadrPayload</c> held a <c>ds:Signature</c>. The codec skips it: signatures are verified on the
/// raw bytes by the signature API, never by the codec.
/// </param>
public sealed record OadrDocument(OadrMessage Message, OadrEnvelope Envelope, string? SignedObjectId, bool HasSignature);

/// <summary>How <see cref="OadrCodec"/> writes a message.</summary>
public sealed record OadrSerializerOptions
{
    /// <summary>Wrapped in <c>oadrPayload/oadrSignedObject</c>, indented.</summary>
    public static readonly OadrSerializerOptions Default = new();

    /// <summary>The payload element as root, indented.</summary>
    public static readonly OadrSerializerOptions Bare = new() { Envelope = OadrEnvelope.None };

    /// <summary>What to wrap the message in; <see cref="OadrEnvelope.OadrPayload"/> by default.</summary>
    public OadrEnvelope Envelope { get; init; } = OadrEnvelope.OadrPayload;

    /// <summary>The <c>oadr:Id</c> to put on <c>oadrSignedObject</c> (needed to sign it); none by default.</summary>
    public string? SignedObjectId { get; init; }

    /// <summary>Indent with two spaces, one element per line (default); false writes everything on one line.</summary>
    public bool Indent { get; init; } = true;

    /// <summary>Write the <c>&lt;?xml version="1.0" encoding="utf-8"?&gt;</c> declaration (default true).</summary>
    public bool XmlDeclaration { get; init; } = true;
}
