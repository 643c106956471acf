using System.Xml;

namespace FlexCoop.OpenAdr.Xml;

/// <summary>
/// Follows an <see cref="XmlReader"/> and keeps the element path of the current node in the
/// form violations use: qualified names as written in the document, and a 1-based position
/// among same-named siblings when it is greater than 1, e.g.
/// <c>/oadr:oadrPayload/oadr:oadrSignedObject/oadr:oadrDistributeEvent/oadr:oadrEvent[2]/ei:eiEvent</c>.
/// </summary>
internal sealed class XmlPathTracker
{
    private readonly List<Frame> _frames = [];

    /// <summary>Current depth (0 outside the root element).</summary>
    public int Depth => _frames.Count;

    /// <summary>Call on every <see cref="XmlNodeType.Element"/>; returns the element's path.</summary>
    public string Enter(XmlReader reader, bool isEmptyElement)
    {
        var name = reader.Name;
        int position = 1;
        if (_frames.Count > 0)
        {
            var parent = _frames[^1];
            parent.ChildCounts ??= new Dictionary<string, int>(StringComparer.Ordinal);
            parent.ChildCounts.TryGetValue(name, out var seen);
            position = seen + 1;
            parent.ChildCounts[name] = position;
        }
        var segment = position > 1 ? $"{name}[{position}]" : name;
        var path = (_frames.Count > 0 ? _frames[^1].Path : "") + "/" + segment;
        if (!isEmptyElement)
        {
            _frames.Add(new Frame(path));
        }
        return path;
    }

    /// <summary>Call on every <see cref="XmlNodeType.EndElement"/>.</summary>
    public void Leave()
    {
        if (_frames.Count > 0) _frames.RemoveAt(_frames.Count - 1);
    }

    /// <summary>The path of the innermost open element, or empty.</summary>
    public string Current => _frames.Count > 0 ? _frames[^1].Path : "";

    private sealed class Frame(string path)
    {
        public string Path { get; } = path;
        public Dictionary<string, int>? ChildCounts { get; set; }
    }
}
