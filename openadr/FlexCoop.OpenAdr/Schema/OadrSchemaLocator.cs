namespace FlexCoop.OpenAdr.Schema;

/// <summary>
/// Finds the directory holding the official OpenADR 2.0b schema set. Looking at the file system
/// is the only I/O this package does, and only to directories named here.
/// </summary>
public static class OadrSchemaLocator
{
    /// <summary>Environment variable naming the schema directory (or a parent holding <c>openadr20b/</c>).</summary>
    public const string EnvironmentVariable = "FLEXCOOP_SCHEMAS";

    /// <summary>The folder name the set lives in under a schemas directory.</summary>
    public const string FolderName = "openadr20b";

    /// <summary>
    /// The schema directory to use, in this order:
    /// <list type="number">
    /// <item><paramref name="explicitDirectory"/> when given: returned even if it holds no schema,
    /// so that <see cref="OadrSchemaSet.Load"/> reports what is wrong with the directory the user named
    /// (a parent holding <c>openadr20b/</c> is accepted and the sub-folder returned);</item>
    /// <item>the <c>FLEXCOOP_SCHEMAS</c> environment variable, same rules;</item>
    /// <item><c>../shared/schemas/openadr20b</c> (and <c>schemas/openadr20b</c>) relative to the current
    /// directory and each of its parents, then relative to the application's base directory and its parents.</item>
    /// </list>
    /// Returns <see langword="null"/> when nothing is found.
    /// </summary>
    public static string? Find(string? explicitDirectory = null)
    {
        if (!string.IsNullOrWhiteSpace(explicitDirectory))
        {
            return Normalise(explicitDirectory);
        }
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment)
        {
            return Normalise(fromEnvironment);
        }
        return WalkUp(Environment.CurrentDirectory) ?? WalkUp(AppContext.BaseDirectory);
    }

    private static string Normalise(string directory)
    {
        var full = Path.GetFullPath(directory);
        if (!HoldsSet(full) && HoldsSet(Path.Combine(full, FolderName)))
        {
            return Path.Combine(full, FolderName);
        }
        return full;
    }

    private static string? WalkUp(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[]
                     {
                         Path.Combine(dir.FullName, "..", "shared", "schemas", FolderName),
                         Path.Combine(dir.FullName, "schemas", FolderName),
                     })
            {
                if (HoldsSet(candidate))
                {
                    return Path.GetFullPath(candidate);
                }
            }
        }
        return null;
    }

    private static bool HoldsSet(string directory) => File.Exists(Path.Combine(directory, OadrSchemaSet.RootFileName));
}
