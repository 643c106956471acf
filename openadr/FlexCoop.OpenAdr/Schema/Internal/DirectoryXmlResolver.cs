using System.Net;
using System.Xml;

namespace FlexCoop.OpenAdr.Schema.Internal;

/// <summary>
/// Resolves schema imports to files directly inside one directory and nothing else: no
/// network, no parent or sibling folders, no sub-folders reached through <c>..</c>.
/// </summary>
internal sealed class DirectoryXmlResolver : XmlResolver
{
    private readonly string _root;

    public DirectoryXmlResolver(string directory)
    {
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)) + Path.DirectorySeparatorChar;
    }

    public override ICredentials Credentials
    {
        set { }
    }

    public override Uri ResolveUri(Uri? baseUri, string? relativeUri)
    {
        if (string.IsNullOrEmpty(relativeUri))
        {
            throw new XmlException("schema import without a schemaLocation");
        }
        var resolved = baseUri is { IsAbsoluteUri: true }
            ? new Uri(baseUri, relativeUri)
            : new Uri(Path.GetFullPath(Path.Combine(_root, relativeUri)));
        Check(resolved);
        return resolved;
    }

    public override object? GetEntity(Uri absoluteUri, string? role, Type? ofObjectToReturn)
    {
        ArgumentNullException.ThrowIfNull(absoluteUri);
        if (ofObjectToReturn is not null && ofObjectToReturn != typeof(Stream) && ofObjectToReturn != typeof(object))
        {
            throw new XmlException($"only streams can be resolved, not {ofObjectToReturn}");
        }
        var path = Check(absoluteUri);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
    }

    private string Check(Uri uri)
    {
        if (!uri.IsFile)
        {
            throw new XmlException($"'{uri}' is not a file inside the schema directory; schema imports are never fetched from the network");
        }
        var path = Path.GetFullPath(uri.LocalPath);
        if (!path.StartsWith(_root, StringComparison.Ordinal) || path.AsSpan(_root.Length).IndexOfAny('/', '\\') >= 0)
        {
            throw new XmlException($"'{path}' is outside the schema directory {_root}");
        }
        return path;
    }
}
