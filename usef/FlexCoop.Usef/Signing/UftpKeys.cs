using System.Buffers.Binary;
using System.Collections.Concurrent;
using NSec.Cryptography;

namespace FlexCoop.Usef.Signing;

/// <summary>An Ed25519 public key (32 bytes), as published in DNS or configuration (base64).</summary>
public sealed record UftpPublicKey
{
    private readonly byte[] _bytes;

    private UftpPublicKey(byte[] bytes)
    {
        _bytes = bytes;
        Key = PublicKey.Import(SignatureAlgorithm.Ed25519, bytes, KeyBlobFormat.RawPublicKey);
    }

    internal PublicKey Key { get; }

    /// <summary>The raw 32 bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>
    /// Imports a raw 32-byte key. Keys imported before are handed out again (a key is immutable and compares by its
    /// bytes), so a participant looked up once per message, as a DNS directory does, is not imported once per message.
    /// </summary>
    public static UftpPublicKey FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 32) throw new UftpSignatureException(UftpSignatureFailure.BadKey, $"an Ed25519 public key has 32 bytes, not {bytes.Length}");
        var id = KeyId.Of(bytes);
        if (Imported.TryGetValue(id, out var known)) return known;
        UftpPublicKey key;
        try
        {
            key = new UftpPublicKey(bytes.ToArray());
        }
        catch (FormatException ex)
        {
            throw new UftpSignatureException(UftpSignatureFailure.BadKey, "not a valid Ed25519 public key", ex);
        }
        // Bounded: a flood of new keys empties the cache rather than growing it.
        if (Imported.Count >= MaxImported) Imported.Clear();
        return Imported.GetOrAdd(id, key);
    }

    /// <summary>Most keys kept by <see cref="FromBytes"/>.</summary>
    private const int MaxImported = 4096;

    private static readonly ConcurrentDictionary<KeyId, UftpPublicKey> Imported = new();

    /// <summary>The 32 key bytes as a dictionary key.</summary>
    private readonly record struct KeyId(ulong A, ulong B, ulong C, ulong D)
    {
        public static KeyId Of(ReadOnlySpan<byte> key) => new(
            BinaryPrimitives.ReadUInt64LittleEndian(key), BinaryPrimitives.ReadUInt64LittleEndian(key[8..]),
            BinaryPrimitives.ReadUInt64LittleEndian(key[16..]), BinaryPrimitives.ReadUInt64LittleEndian(key[24..]));
    }

    /// <summary>Imports a base64 key (whitespace around it is ignored).</summary>
    public static UftpPublicKey FromBase64(string base64)
    {
        ArgumentNullException.ThrowIfNull(base64);
        try
        {
            return FromBytes(Convert.FromBase64String(base64.Trim()));
        }
        catch (FormatException ex)
        {
            throw new UftpSignatureException(UftpSignatureFailure.BadKey, "the public key is not base64", ex);
        }
    }

    /// <summary>The key in base64.</summary>
    public string ToBase64() => Convert.ToBase64String(_bytes);

    public bool Equals(UftpPublicKey? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_bytes);
        return hash.ToHashCode();
    }

    public override string ToString() => ToBase64();
}

/// <summary>
/// An Ed25519 signing key. Imports and exports the libsodium forms: the 64-byte secret key
/// (seed followed by public key, as <c>crypto_sign_keypair</c> makes it) or the 32-byte seed.
/// </summary>
public sealed class UftpSigningKey : IDisposable
{
    private UftpSigningKey(Key key)
    {
        Key = key;
        PublicKey = UftpPublicKey.FromBytes(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    internal Key Key { get; }

    /// <summary>The matching public key.</summary>
    public UftpPublicKey PublicKey { get; }

    /// <summary>A new random key.</summary>
    public static UftpSigningKey Generate() => new(Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));

    /// <summary>Imports a 32-byte seed or a 64-byte libsodium secret key (whose public half must match).</summary>
    public static UftpSigningKey Import(ReadOnlySpan<byte> secret)
    {
        if (secret.Length is not (32 or 64))
        {
            throw new UftpSignatureException(UftpSignatureFailure.BadKey, $"an Ed25519 private key has 32 (seed) or 64 (libsodium secret key) bytes, not {secret.Length}");
        }
        var key = new UftpSigningKey(Key.Import(SignatureAlgorithm.Ed25519, secret[..32], KeyBlobFormat.RawPrivateKey, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));
        if (secret.Length == 64 && !secret[32..].SequenceEqual(key.PublicKey.Bytes))
        {
            key.Dispose();
            throw new UftpSignatureException(UftpSignatureFailure.BadKey, "the public half of the 64-byte secret key does not belong to its seed");
        }
        return key;
    }

    /// <summary>Imports a base64 seed or libsodium secret key.</summary>
    public static UftpSigningKey FromBase64(string base64)
    {
        ArgumentNullException.ThrowIfNull(base64);
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException ex)
        {
            throw new UftpSignatureException(UftpSignatureFailure.BadKey, "the private key is not base64", ex);
        }
        return Import(bytes);
    }

    /// <summary>The 64-byte libsodium secret key (seed || public key).</summary>
    public byte[] ExportLibsodiumSecretKey()
    {
        var seed = Key.Export(KeyBlobFormat.RawPrivateKey);
        return [.. seed, .. PublicKey.Bytes];
    }

    public void Dispose() => Key.Dispose();
}
