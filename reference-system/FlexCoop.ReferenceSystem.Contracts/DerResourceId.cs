using System.Diagnostics.CodeAnalysis;

namespace FlexCoop.ReferenceSystem.Contracts;

/// <summary>
/// How an Open Smart Box names one of its devices in OpenADR: the <c>ei:resourceID</c> of the
/// device's report data sources is <c>&lt;kind&gt;.&lt;local name&gt;</c>, for example
/// <c>HeatPump.main</c> or <c>EvCharger.garage</c>. The kind is a <see cref="DerKind"/> name;
/// the local name is 1–32 characters of letters, digits, '-' and '_'. The registry keys a DER by
/// the OSB's venID and this resource ID.
/// </summary>
public readonly record struct DerResourceId(DerKind Kind, string LocalName)
{
    /// <summary>The longest local name accepted.</summary>
    public const int MaxLocalNameLength = 32;

    /// <summary>The resource ID as written on the wire.</summary>
    public override string ToString() => $"{Kind}.{LocalName}";

    /// <summary>Creates a resource ID, refusing a local name that breaks the convention.</summary>
    public static DerResourceId Create(DerKind kind, string localName)
    {
        if (!IsValidLocalName(localName))
        {
            throw new ArgumentException(
                $"A DER local name is 1–{MaxLocalNameLength} letters, digits, '-' or '_'; got '{localName}'.",
                nameof(localName));
        }

        return new DerResourceId(kind, localName);
    }

    /// <summary>Reads a resource ID written as <c>&lt;kind&gt;.&lt;local name&gt;</c>.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out DerResourceId? resourceId)
    {
        resourceId = null;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0)
        {
            return false;
        }

        var kindText = text[..dot];
        var local = text[(dot + 1)..];
        if (!Enum.TryParse<DerKind>(kindText, ignoreCase: false, out var kind)
            || !Enum.IsDefined(kind)
            || kindText.Any(char.IsDigit)
            || !IsValidLocalName(local))
        {
            return false;
        }

        resourceId = new DerResourceId(kind, local);
        return true;
    }

    private static bool IsValidLocalName(string? name) =>
        !string.IsNullOrEmpty(name)
        && name.Length <= MaxLocalNameLength
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
