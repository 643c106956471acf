using System.Xml.Linq;

namespace FlexCoop.Xmpp;

/// <summary>A service discovery identity (XEP-0030 §3.1).</summary>
public sealed record DiscoIdentity(string Category, string Type, string? Name = null)
{
    internal XElement ToXElement()
    {
        var e = new XElement(XmppNames.DiscoInfo + "identity", new XAttribute("category", Category), new XAttribute("type", Type));
        if (Name is not null)
        {
            e.Add(new XAttribute("name", Name));
        }
        return e;
    }
}

/// <summary>The answer to a disco#info query: identities and feature namespaces.</summary>
public sealed record DiscoInfo(IReadOnlyList<DiscoIdentity> Identities, IReadOnlyList<string> Features)
{
    /// <summary>True when the entity announces <paramref name="feature"/>.</summary>
    public bool Supports(string feature) => Features.Contains(feature, StringComparer.Ordinal);

    internal static DiscoInfo FromQuery(XElement? query)
    {
        if (query is null)
        {
            return new DiscoInfo([], []);
        }
        var identities = query.Elements(XmppNames.DiscoInfo + "identity")
            .Select(i => new DiscoIdentity((string?)i.Attribute("category") ?? "", (string?)i.Attribute("type") ?? "", (string?)i.Attribute("name")))
            .ToArray();
        var features = query.Elements(XmppNames.DiscoInfo + "feature")
            .Select(f => (string?)f.Attribute("var"))
            .OfType<string>()
            .ToArray();
        return new DiscoInfo(identities, features);
    }
}

/// <summary>One item of a disco#items answer.</summary>
public sealed record DiscoItem(Jid Jid, string? Node, string? Name);
