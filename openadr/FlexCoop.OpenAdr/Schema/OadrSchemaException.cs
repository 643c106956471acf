namespace FlexCoop.OpenAdr.Schema;

/// <summary>
/// The official schema set could not be loaded: the directory or one of its files is missing,
/// a file reaches outside the directory, or a schema does not compile.
/// </summary>
public sealed class OadrSchemaException : OpenAdrException
{
    public OadrSchemaException(string directory, string message, Exception? inner = null)
        : base($"OpenADR 2.0b schema set in '{directory}': {message}", inner)
    {
        Directory = directory;
    }

    /// <summary>The schema directory that was asked for.</summary>
    public string Directory { get; }
}
