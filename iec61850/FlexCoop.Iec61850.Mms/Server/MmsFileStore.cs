namespace FlexCoop.Iec61850.Mms.Server;

/// <summary>
/// Maps MMS file names onto a directory. Names are relative, use <c>/</c>, and may not leave the
/// root: absolute paths, <c>..</c> segments, backslashes, drive letters and control characters are refused.
/// </summary>
internal sealed class MmsFileStore
{
    private readonly string _root;

    public MmsFileStore(string root)
    {
        _root = Path.GetFullPath(root);
        if (!_root.EndsWith(Path.DirectorySeparatorChar)) _root += Path.DirectorySeparatorChar;
    }

    /// <summary>The full path of a file name, or null when the name is not acceptable.</summary>
    public string? Resolve(string name)
    {
        if (name.Length > 255) return null;
        var trimmed = name.TrimStart('/');
        if (trimmed.Any(c => c < ' ' || c == '\\' || c == ':')) return null;
        var segments = trimmed.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Any(s => s is "." or "..")) return null;
        var full = Path.GetFullPath(Path.Combine(_root, Path.Combine(segments)));
        if (!(full + Path.DirectorySeparatorChar).StartsWith(_root, StringComparison.Ordinal)) return null;
        return full;
    }

    /// <summary>The MMS name of a path inside the store.</summary>
    public string NameOf(string fullPath) => Path.GetRelativePath(_root, fullPath).Replace(Path.DirectorySeparatorChar, '/');

    /// <summary>Entries for a FileDirectory request, sorted, after <paramref name="continueAfter"/>.</summary>
    public List<MmsDirectoryEntry>? List(string? specification, string? continueAfter)
    {
        var path = string.IsNullOrEmpty(specification) ? _root : Resolve(specification);
        if (path is null) return null;
        IEnumerable<string> files;
        if (Directory.Exists(path))
        {
            files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories);
        }
        else if (File.Exists(path))
        {
            files = [path];
        }
        else
        {
            return null;
        }
        var entries = files
            .Select(f => new FileInfo(f))
            .Where(f => (f.Attributes & FileAttributes.ReparsePoint) == 0)
            .Select(f => new MmsDirectoryEntry(NameOf(f.FullName), new MmsFileAttributes((uint)Math.Min(uint.MaxValue, f.Length), new DateTimeOffset(f.LastWriteTimeUtc, TimeSpan.Zero))))
            .OrderBy(e => e.FileName, StringComparer.Ordinal)
            .ToList();
        if (continueAfter is not null)
        {
            entries = entries.Where(e => string.CompareOrdinal(e.FileName, continueAfter) > 0).ToList();
        }
        return entries;
    }
}
