namespace FlexCoop.OpenAdr;

/// <summary>The root of every exception thrown by FlexCoop.OpenAdr.</summary>
public abstract class OpenAdrException : Exception
{
    protected OpenAdrException(string message) : base(message) { }

    protected OpenAdrException(string message, Exception? inner) : base(message, inner) { }
}
