using System.Security.Cryptography.Xml;
using System.Xml;

namespace FlexCoop.OpenAdr.Security.Internal;

/// <summary>
/// <see cref="SignedXml"/> that also finds the namespaced <c>oadr:Id</c> of <c>oadrSignedObject</c>,
/// and refuses an id that more than one element carries (a signature-wrapping trick).
/// </summary>
internal sealed class OadrSignedXml : SignedXml
{
    public OadrSignedXml(XmlDocument document) : base(document)
    {
        OadrEcdsaSha256SignatureDescription.EnsureRegistered();
    }

    public override XmlElement? GetIdElement(XmlDocument? document, string idValue) =>
        document is null ? null : IdIndex.FindUnique(document, idValue);
}

/// <summary>Looks up elements by the id attributes XML-DSig and OpenADR use.</summary>
internal static class IdIndex
{
    /// <summary>Every element whose <c>Id</c>, <c>ID</c>, <c>id</c> or <c>oadr:Id</c> equals <paramref name="idValue"/>.</summary>
    public static List<XmlElement> FindAll(XmlDocument document, string idValue)
    {
        var found = new List<XmlElement>();
        if (document.DocumentElement is { } root)
        {
            Collect(root, idValue, found);
        }
        return found;
    }

    /// <summary>The one element carrying the id, or null when none or several do.</summary>
    public static XmlElement? FindUnique(XmlDocument document, string idValue)
    {
        var all = FindAll(document, idValue);
        return all.Count == 1 ? all[0] : null;
    }

    /// <summary>The id an element carries, in the order XML-DSig and OpenADR use them.</summary>
    public static string? IdOf(XmlElement element)
    {
        foreach (XmlAttribute attribute in element.Attributes)
        {
            if (IsIdAttribute(attribute))
            {
                return attribute.Value;
            }
        }
        return null;
    }

    private static void Collect(XmlElement element, string idValue, List<XmlElement> found)
    {
        foreach (XmlAttribute attribute in element.Attributes)
        {
            if (IsIdAttribute(attribute) && string.Equals(attribute.Value, idValue, StringComparison.Ordinal))
            {
                found.Add(element);
                break;
            }
        }
        for (var child = element.FirstChild; child is not null; child = child.NextSibling)
        {
            if (child is XmlElement e)
            {
                Collect(e, idValue, found);
            }
        }
    }

    private static bool IsIdAttribute(XmlAttribute attribute) =>
        attribute.NamespaceURI.Length == 0
            ? attribute.LocalName is "Id" or "ID" or "id"
            : attribute.NamespaceURI == OadrNamespaces.Oadr && attribute.LocalName == "Id";
}
