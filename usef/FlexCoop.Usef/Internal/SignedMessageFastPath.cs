using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace FlexCoop.Usef.Internal;

/// <summary>
/// Reads the plain form every implementation sends — <c>&lt;SignedMessage SenderDomain="…" SenderRole="…"
/// Body="…"/&gt;</c> after an optional UTF-8 XML declaration — straight from the bytes, decoding the
/// base64 Body without an intermediate string. Anything else (another encoding, a DOCTYPE, comments,
/// entity or character references, whitespace inside the Body, other or repeated attributes, child
/// content, trailing data, values that break a simple type) returns null, and the full
/// <see cref="System.Xml.XmlReader"/> path reads the document and reports what is wrong with it.
/// </summary>
internal static class SignedMessageFastPath
{
    private static ReadOnlySpan<byte> Root => "<SignedMessage"u8;

    private static ReadOnlySpan<byte> EndTag => "</SignedMessage"u8;

    public static SignedMessage? TryRead(ReadOnlySpan<byte> xml, int maxAttributeCharacters)
    {
        var s = xml;
        if (s.Length >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) s = s[3..]; // UTF-8 byte order mark
        s = TrimStart(s);
        if (s.StartsWith("<?xml"u8))
        {
            var end = s.IndexOf("?>"u8);
            if (end < 0) return null;
            var declaration = s[..end];
            if (declaration[1..].IndexOf((byte)'<') >= 0 || !IsUtf8Declaration(declaration)) return null;
            s = TrimStart(s[(end + 2)..]);
        }
        if (!s.StartsWith(Root) || s.Length <= Root.Length || !IsSpace(s[Root.Length])) return null;
        s = s[Root.Length..];
        ReadOnlySpan<byte> domain = default, role = default, body = default;
        bool haveDomain = false, haveRole = false, haveBody = false;
        while (true)
        {
            s = TrimStart(s);
            if (s.StartsWith("/>"u8))
            {
                s = s[2..];
                break;
            }
            if (s.StartsWith(">"u8))
            {
                s = TrimStart(s[1..]);
                if (!s.StartsWith(EndTag)) return null;
                s = TrimStart(s[EndTag.Length..]);
                if (!s.StartsWith(">"u8)) return null;
                s = s[1..];
                break;
            }
            var nameEnd = s.IndexOfAny("= \t\r\n"u8);
            if (nameEnd <= 0) return null;
            var name = s[..nameEnd];
            s = TrimStart(s[nameEnd..]);
            if (!s.StartsWith("="u8)) return null;
            s = TrimStart(s[1..]);
            if (s.IsEmpty || (s[0] != (byte)'"' && s[0] != (byte)'\'')) return null;
            var quote = s[0];
            s = s[1..];
            var close = s.IndexOf(quote);
            if (close < 0) return null;
            var value = s[..close];
            s = s[(close + 1)..];
            if (value.IndexOfAny("&<\t\r\n"u8) >= 0 || value.Length > maxAttributeCharacters) return null;
            if (!s.IsEmpty && !IsSpace(s[0]) && s[0] != (byte)'/' && s[0] != (byte)'>') return null;
            if (name.SequenceEqual("SenderDomain"u8) && !haveDomain)
            {
                domain = value;
                haveDomain = true;
            }
            else if (name.SequenceEqual("SenderRole"u8) && !haveRole)
            {
                role = value;
                haveRole = true;
            }
            else if (name.SequenceEqual("Body"u8) && !haveBody)
            {
                body = value;
                haveBody = true;
            }
            else
            {
                return null;
            }
        }
        if (!haveDomain || !haveRole || !haveBody || !TrimStart(s).IsEmpty) return null;
        if (body.IndexOf((byte)' ') >= 0) return null;

        UftpRole senderRole;
        if (role.SequenceEqual("AGR"u8)) senderRole = UftpRole.AGR;
        else if (role.SequenceEqual("CRO"u8)) senderRole = UftpRole.CRO;
        else if (role.SequenceEqual("DSO"u8)) senderRole = UftpRole.DSO;
        else return null;

        if (!XmlInput.Domains.Cache.TryGet(domain, out var senderDomain))
        {
            if (domain.Length > 253 || !Ascii.IsValid(domain)) return null;
            senderDomain = Encoding.ASCII.GetString(domain);
            if (!UftpSimpleTypes.IsInternetDomain(senderDomain)) return null;
            XmlInput.Domains.Cache.Add(domain, senderDomain);
        }

        var decoded = new byte[Base64.GetMaxDecodedFromUtf8Length(body.Length)];
        if (Base64.DecodeFromUtf8(body, decoded, out var consumed, out var written) != OperationStatus.Done || consumed != body.Length) return null;
        return new SignedMessage(senderDomain, senderRole, decoded.AsMemory(0, written));
    }

    private static bool IsUtf8Declaration(ReadOnlySpan<byte> declaration)
    {
        if (!Ascii.IsValid(declaration)) return false;
        var text = Encoding.ASCII.GetString(declaration);
        var at = text.IndexOf("encoding", StringComparison.Ordinal);
        if (at < 0) return true;
        var rest = text[(at + "encoding".Length)..].TrimStart(' ', '\t', '\r', '\n', '=', '"', '\'');
        return rest.StartsWith("utf-8", StringComparison.OrdinalIgnoreCase) && (rest.Length == 5 || rest[5] is '"' or '\'');
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    private static ReadOnlySpan<byte> TrimStart(ReadOnlySpan<byte> s)
    {
        var i = 0;
        while (i < s.Length && IsSpace(s[i])) i++;
        return s[i..];
    }
}
