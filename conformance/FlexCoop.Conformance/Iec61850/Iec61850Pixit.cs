using System.Text.Json;
using System.Text.Json.Serialization;
using FlexCoop.Conformance.Certification;

namespace FlexCoop.Conformance.Iec61850;

/// <summary>A control object the suite may operate, and the value to operate it with.</summary>
public sealed record Iec61850PixitControl
{
    /// <summary>The data object reference <c>LD/LN.DO</c>.</summary>
    public required string Reference { get; init; }

    /// <summary>ctlVal as text (true/false, a number); the suite reads the type from the server.</summary>
    public string Value { get; init; } = "false";
}

/// <summary>
/// Protocol implementation extra information for testing (PIXIT): what the server under test claims.
/// Read from JSON (<c>--pixit FILE</c>); every property is optional and defaults to what a plain
/// server from the SCL model would offer.
/// </summary>
public sealed record Iec61850Pixit
{
    /// <summary>Associations the server accepts at once (sAss3, sAssN2); null skips those cases.</summary>
    public int? MaxAssociations { get; init; }

    /// <summary>The ACSE password the server requires; null when it requires none (sAss4, sAssN1 then not applicable).</summary>
    public string? Password { get; init; }

    /// <summary>Whether clients may create and delete data sets (sDset3, sDset4).</summary>
    public bool DynamicDataSets { get; init; } = true;

    /// <summary>Whether the server has the file services (sFt*).</summary>
    public bool FileServices { get; init; }

    /// <summary>Whether the suite may operate controls. False by default: operating real equipment is the user's decision.</summary>
    public bool OperateControls { get; init; }

    /// <summary>The controls to operate; when empty, every controllable object of the SCL model with a default value.</summary>
    public IReadOnlyList<Iec61850PixitControl> Controls { get; init; } = [];

    /// <summary>Whether the suite may change the active setting group (and restore it).</summary>
    public bool ChangeSettingGroups { get; init; } = true;

    /// <summary>Integrity period the suite sets in reporting cases, in milliseconds.</summary>
    public int IntegrityPeriodMs { get; init; } = 200;

    /// <summary>How long the suite waits for a report or a termination, in milliseconds.</summary>
    public int ReportTimeoutMs { get; init; } = 5000;

    /// <summary>
    /// How many data changes of its data set's members fill the first BRCB's buffer so that the next one
    /// overflows it (sBr9); null when the server does not say (sBr9 is then not applicable).
    /// </summary>
    public int? BufferOverflowEvents { get; init; }

    /// <summary>What the PIXIT claims as PICS entries for the runner (a claimed feature is true or a number; the password itself is not copied).</summary>
    public Pics ToPics()
    {
        static string Flag(bool b) => b ? "true" : "false";
        return new Pics(new Dictionary<string, string>
        {
            [Iec61850PixitFeatures.MaxAssociations] = MaxAssociations?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
            [Iec61850PixitFeatures.Password] = Flag(Password is not null),
            [Iec61850PixitFeatures.DynamicDataSets] = Flag(DynamicDataSets),
            [Iec61850PixitFeatures.FileServices] = Flag(FileServices),
            [Iec61850PixitFeatures.OperateControls] = Flag(OperateControls),
            [Iec61850PixitFeatures.ChangeSettingGroups] = Flag(ChangeSettingGroups),
            [Iec61850PixitFeatures.BufferOverflowEvents] = BufferOverflowEvents?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
        });
    }

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        MaxDepth = 16,
    };

    /// <summary>Reads a PIXIT JSON document; a broken one is an <see cref="Iec61850SuiteException"/> naming what is wrong.</summary>
    public static Iec61850Pixit Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.Length > 1_000_000) throw new Iec61850SuiteException("the PIXIT file is larger than 1 MB");
        try
        {
            var pixit = JsonSerializer.Deserialize<Iec61850Pixit>(json, Json) ?? throw new Iec61850SuiteException("the PIXIT file is empty (null)");
            if (pixit.MaxAssociations is < 1) throw new Iec61850SuiteException("maxAssociations must be at least 1");
            if (pixit.BufferOverflowEvents is < 1 or > 100_000) throw new Iec61850SuiteException("bufferOverflowEvents must be 1..100000");
            if (pixit.IntegrityPeriodMs < 10 || pixit.ReportTimeoutMs < 100) throw new Iec61850SuiteException("integrityPeriodMs must be at least 10 and reportTimeoutMs at least 100");
            return pixit;
        }
        catch (JsonException ex)
        {
            throw new Iec61850SuiteException($"the PIXIT file is not valid: {ex.Message}", ex);
        }
    }
}

/// <summary>The PIXIT keys the runner selects cases by (each case names the one it needs as its optional feature).</summary>
public static class Iec61850PixitFeatures
{
    public const string MaxAssociations = "maxAssociations";
    public const string Password = "password";
    public const string DynamicDataSets = "dynamicDataSets";
    public const string FileServices = "fileServices";
    public const string OperateControls = "operateControls";
    public const string ChangeSettingGroups = "changeSettingGroups";
    public const string BufferOverflowEvents = "bufferOverflowEvents";
}

/// <summary>The IEC 61850 suite cannot run: a broken PIXIT file or SCL model, an unusable server address.</summary>
public sealed class Iec61850SuiteException : ConformanceException
{
    public Iec61850SuiteException(string message, Exception? inner = null) : base(message, inner) { }
}
