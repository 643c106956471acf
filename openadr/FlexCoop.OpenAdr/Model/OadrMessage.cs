namespace FlexCoop.OpenAdr.Model;

/// <summary>
/// One of the 23 payloads an <c>oadrSignedObject</c> can hold. Pattern-match on the concrete type
/// (<see cref="OadrDistributeEvent"/>, <see cref="OadrRegisterReport"/>, ...).
/// </summary>
public abstract record OadrMessage
{
    private protected OadrMessage() { }

    /// <summary>The <c>ei:schemaVersion</c> attribute, optional (2.0b senders normally write <c>2.0b</c>).</summary>
    public SchemaVersion? SchemaVersion { get; init; }

    /// <summary>The payload's element name in the <c>oadr</c> namespace, e.g. <c>oadrDistributeEvent</c>.</summary>
    public abstract string ElementName { get; }
}

/// <summary><c>oadr:oadrPoll</c>: a pull VEN asks the VTN whether it has something to send.</summary>
public sealed record OadrPoll : OadrMessage
{
    /// <summary><c>ei:venID</c>.</summary>
    public required string VenId { get; init; }

    public override string ElementName => "oadrPoll";
}

/// <summary><c>oadr:oadrResponse</c>: the generic acknowledgement.</summary>
public sealed record OadrResponse : OadrMessage
{
    /// <summary><c>ei:eiResponse</c>.</summary>
    public required EiResponse EiResponse { get; init; }

    /// <summary><c>ei:venID</c>, optional.</summary>
    public string? VenId { get; init; }

    public override string ElementName => "oadrResponse";
}
