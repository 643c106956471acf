using FlexCoop.OpenAdr.Schema;

namespace FlexCoop.OpenAdr.Validation;

/// <summary>
/// Validates one OpenADR 2.0b message as a certification lab would: well-formed and within
/// bounds, valid against the official schema set (when a schema directory is given), readable by
/// the typed codec, and free of the profile-rule violations a single message can show. Every
/// violation names its rule (<c>xsd</c>, <c>rule 8</c>, <c>id-length</c>, ...) and where it is.
/// An instance is immutable and safe to share between threads.
/// </summary>
public sealed partial class OadrValidator
{
    private readonly OadrValidationOptions _options;
    private readonly OadrSchemaValidator? _schema;

    /// <summary>Creates a validator; loads the schema set when <see cref="OadrValidationOptions.SchemaDirectory"/> is set.</summary>
    /// <exception cref="OadrSchemaException">The schema directory is missing or its files cannot be compiled.</exception>
    public OadrValidator(OadrValidationOptions? options = null)
    {
        _options = options ?? OadrValidationOptions.Default;
        _options.Limits.Validated();
        if (_options.MaxIdLength <= 0) throw new ArgumentOutOfRangeException(nameof(options), "MaxIdLength must be positive");
        if (_options.SchemaDirectory is { } dir)
        {
            _schema = new OadrSchemaValidator(OadrSchemaSet.Load(dir));
        }
    }

    /// <summary>The options in force.</summary>
    public OadrValidationOptions Options => _options;

    /// <summary>True when messages are checked against the official schema set.</summary>
    public bool ChecksSchema => _schema is not null;

    /// <summary>Validates a message held in memory (a whole <c>oadrPayload</c> or a bare payload element).</summary>
    public ValidationResult Validate(ReadOnlyMemory<byte> message)
    {
        var violations = new List<Violation>();
        using (var raw = new MemoryStream(message.ToArray(), writable: false))
        {
            try
            {
                RawRules.Check(raw, _options, violations);
            }
            catch (OadrFormatException ex)
            {
                // Unreadable: nothing else can be said about it.
                return new ValidationResult([ex.ToViolation()]);
            }
        }

        var schemaErrors = 0;
        if (_schema is not null)
        {
            var schemaResult = _schema.Validate(message.Span, _options.Limits);
            schemaErrors = schemaResult.Violations.Count;
            violations.InsertRange(0, schemaResult.Violations);
        }

        CheckModel(message, violations, schemaErrors);
        return new ValidationResult(violations);
    }

    /// <summary>Reads the message with the codec and checks the profile rules on the typed model.</summary>
    partial void CheckModel(ReadOnlyMemory<byte> message, List<Violation> violations, int schemaErrors);
}
