using FlexCoop.OpenAdr.Xml;

namespace FlexCoop.OpenAdr.Validation;

/// <summary>Settings for <see cref="OadrValidator"/>.</summary>
public sealed record OadrValidationOptions
{
    /// <summary>Defaults: no schema check unless a schema directory is given, IDs up to 50 characters.</summary>
    public static readonly OadrValidationOptions Default = new();

    /// <summary>Folder holding the official OpenADR 2.0b XSDs (oadr_20b.xsd and its imports); null skips the <c>xsd</c> check.</summary>
    public string? SchemaDirectory { get; init; }

    /// <summary>
    /// Longest ID accepted (venID, vtnID, eventID, requestID, registrationID, reportRequestID,
    /// reportSpecifierID, rID, optID, reportID, ...). The certification harness uses 50.
    /// </summary>
    public int MaxIdLength { get; init; } = 50;

    /// <summary>Bounds for reading the message.</summary>
    public OadrXmlLimits Limits { get; init; } = OadrXmlLimits.Default;
}
