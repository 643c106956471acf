namespace FlexCoop.ReferenceSystem;

/// <summary>The root of every exception the reference system's middleware throws.</summary>
public abstract class ReferenceSystemException : Exception
{
    private protected ReferenceSystemException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}

/// <summary>The options or the environment do not allow the middleware to start.</summary>
public sealed class ReferenceConfigurationException : ReferenceSystemException
{
    public ReferenceConfigurationException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}

/// <summary>The store failed; nothing of the failed change was kept.</summary>
public sealed class ReferenceStoreException : ReferenceSystemException
{
    public ReferenceStoreException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}

/// <summary>The component bus could not connect or deliver.</summary>
public sealed class ComponentBusException : ReferenceSystemException
{
    public ComponentBusException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
