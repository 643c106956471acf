namespace FlexCoop.OpenAdr.Vtn;

/// <summary>The root of every exception thrown by FlexCoop.OpenAdr.Vtn.</summary>
public abstract class VtnException : Exception
{
    protected VtnException(string message) : base(message) { }

    protected VtnException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>The store could not be opened, migrated, read or written.</summary>
public sealed class VtnStoreException : VtnException
{
    public VtnStoreException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>The VTN's options are inconsistent or name files that cannot be used.</summary>
public sealed class VtnConfigurationException : VtnException
{
    public VtnConfigurationException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>An operator action that cannot be done: an unknown VEN or event, a change not allowed in the event's state.</summary>
public sealed class VtnOperationException : VtnException
{
    public VtnOperationException(string message) : base(message) { }
}
