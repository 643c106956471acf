using System.Text;
using System.Xml;

namespace FlexCoop.OpenAdr.Schema.Internal;

/// <summary>
/// Tracks where a streaming reader is, as an element path with the prefixes written in the
/// document: <c>/oadr:oadrPayload/oadr:oadrSignedObject/oadr:oadrDistributeEvent/oadr:oadrEvent[2]/ei:eiEvent</c>.
/// A position is written when an element is not the first of its name among its siblings.
/// Every reader of the package (schema validation, raw rules, the codec) names places this one way.
/// </summary>
internal sealed class ElementPath
{
    private readonly List<Frame> _frames = [];
    private readonly Frame _document = new("");

    /// <summary>Call after each <see cref="XmlReader.Read"/> has been handled.</summary>
    public void Advance(XmlReader reader)
    {
        switch (reader.NodeType)
        {
            case XmlNodeType.Element:
                Enter(reader.Name, reader.IsEmptyElement);
                break;
            case XmlNodeType.EndElement:
                Leave();
                break;
        }
    }

    /// <summary>A start tag <paramref name="qualifiedName"/> (as written, prefix included) has been read.</summary>
    public void Enter(string qualifiedName, bool isEmptyElement)
    {
        var index = Parent.NextIndex(qualifiedName);
        if (!isEmptyElement)
        {
            _frames.Add(new Frame(Step(qualifiedName, index)));
        }
    }

    /// <summary>An end tag has been read.</summary>
    public void Leave()
    {
        if (_frames.Count > 0)
        {
            _frames.RemoveAt(_frames.Count - 1);
        }
    }

    /// <summary>
    /// The path of the node the reader is on now, before <see cref="Advance"/> has seen it:
    /// an element's own path, or for an end tag or text the enclosing element's path.
    /// </summary>
    public string Describe(XmlReader reader) => reader.NodeType switch
    {
        XmlNodeType.Element => DescribeChild(reader.Name),
        XmlNodeType.Attribute => Describe() + "/@" + reader.Name,
        _ => Describe(),
    };

    /// <summary>The path of the innermost open element; empty outside the root.</summary>
    public string Describe()
    {
        var builder = new StringBuilder();
        foreach (var frame in _frames)
        {
            builder.Append('/').Append(frame.Step);
        }
        return builder.ToString();
    }

    /// <summary>The path a start tag <paramref name="qualifiedName"/> read next would have.</summary>
    public string DescribeChild(string qualifiedName) => Describe() + "/" + Step(qualifiedName, Parent.PeekIndex(qualifiedName));

    private Frame Parent => _frames.Count > 0 ? _frames[^1] : _document;

    private static string Step(string name, int index) => index > 1 ? $"{name}[{index}]" : name;

    private sealed class Frame(string step)
    {
        private Dictionary<string, int>? _children;

        public string Step { get; } = step;

        public int PeekIndex(string name) => (_children?.GetValueOrDefault(name) ?? 0) + 1;

        public int NextIndex(string name)
        {
            _children ??= new Dictionary<string, int>(StringComparer.Ordinal);
            var next = _children.GetValueOrDefault(name) + 1;
            _children[name] = next;
            return next;
        }
    }
}
