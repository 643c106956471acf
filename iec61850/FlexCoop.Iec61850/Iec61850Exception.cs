namespace FlexCoop.Iec61850;

/// <summary>
/// The root of every exception thrown by the FlexCoop IEC 61850 packages. Catch this to catch
/// anything the SCL reader, the model or the MMS stack throws on bad input.
/// </summary>
public abstract class Iec61850Exception : Exception
{
    protected Iec61850Exception(string message) : base(message) { }

    protected Iec61850Exception(string message, Exception? inner) : base(message, inner) { }
}
