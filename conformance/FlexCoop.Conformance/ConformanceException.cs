namespace FlexCoop.Conformance;

/// <summary>The root of every exception thrown by FlexCoop.Conformance.</summary>
public abstract class ConformanceException : Exception
{
    protected ConformanceException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>A capture that cannot be read: unknown format, truncated file, broken index.</summary>
public sealed class CaptureFormatException : ConformanceException
{
    public CaptureFormatException(string source, string message, Exception? inner = null)
        : base($"{source}: {message}", inner)
    {
        Source = source;
    }

    /// <summary>The file (and position, where known) that could not be read.</summary>
    public new string Source { get; }
}
