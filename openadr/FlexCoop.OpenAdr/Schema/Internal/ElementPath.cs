using System.Text;
using System.Xml;

namespace FlexCoop.OpenAdr.Schema.Internal;

/// <summary>
/// Tracks where a streaming reader is, as an element path with the prefixes written in the
/// document: <c>/oadrPayload/oadrSignedObject/oadrDistributeEvent/oadrEvent[2]/ei:eiEvent</c>.
/// A position is written when an element is not the first of its name among its siblings.
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
                var parent = _frames.Count > 0 ? _frames[^1] : _document;
                var name = reader.Name;
                var index = parent.NextIndex(name);
                if (!reader.IsEmptyElement)
                {
                    _frames.Add(new Frame(Step(name, index)));
                }
                break;
            case XmlNodeType.EndElement:
                if (_frames.Count > 0)
                {
                    _frames.RemoveAt(_frames.Count - 1);
                }
                break;
        }
    }

    /// <summary>
    /// The path of the node the reader is on now, before <see cref="Advance"/> has seen it:
    /// an element's own path, or for an end tag or text the enclosing element's path.
    /// </summary>
    public string Describe(XmlReader reader)
    {
        var builder = new StringBuilder();
        foreach (var frame in _frames)
        {
            builder.Append('/').Append(frame.Step);
        }
        if (reader.NodeType == XmlNodeType.Element)
        {
            var parent = _frames.Count > 0 ? _frames[^1] : _document;
            builder.Append('/').Append(Step(reader.Name, parent.PeekIndex(reader.Name)));
        }
        else if (reader.NodeType == XmlNodeType.Attribute)
        {
            builder.Append("/@").Append(reader.Name);
        }
        return builder.ToString();
    }

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
