using System.CommandLine;
using FlexCoop.OpenAdr.Schema;
using FlexCoop.OpenAdr.Validation;

namespace FlexCoop.Cli.Commands;

/// <summary><c>flexcoop openadr validate</c> and <c>flexcoop openadr format</c>.</summary>
internal static partial class OpenAdrMessageCommands
{
    public static void AddTo(Command openadr)
    {
        ArgumentNullException.ThrowIfNull(openadr);
        openadr.Subcommands.Add(CreateValidate());
        AddFormat(openadr);
    }

    static partial void AddFormat(Command openadr);

    private static Command CreateValidate()
    {
        var schemas = new Option<string?>("--schemas")
        {
            Description = "Folder holding the official OpenADR 2.0b XSDs (oadr_20b.xsd and its imports). " +
                          "Default: $FLEXCOOP_SCHEMAS, else ../shared/schemas/openadr20b beside the working directory.",
        };
        var noXsd = new Option<bool>("--no-xsd")
        {
            Description = "Skip the schema check and check only the profile rules (when the official XSDs are not at hand).",
        };
        var maxIdLength = new Option<int>("--max-id-length")
        {
            Description = "Longest ID accepted (venID, eventID, requestID, ...); the certification harness uses 50.",
            DefaultValueFactory = _ => OadrValidationOptions.Default.MaxIdLength,
        };
        var files = new Argument<string[]>("FILE")
        {
            Description = "Messages to check: a whole oadrPayload or a single payload element (e.g. oadrDistributeEvent) as root.",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("validate",
            """
            Check OpenADR 2.0b messages against the official schemas and the profile's conformance rules.
            Prints 'FILE: ok', or one line per violation 'FILE: invalid: <rule>: <message>' where <rule> is
            'xsd' for schema violations and 'rule N' for the profile's numbered rules.
            Exit code 0 only if every file is valid; 1 if any is invalid; 2 if a file or the schemas cannot be read.
            """);
        command.Options.Add(schemas);
        command.Options.Add(noXsd);
        command.Options.Add(maxIdLength);
        command.Arguments.Add(files);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var validator = CreateValidator(parseResult.GetValue(schemas), parseResult.GetValue(noXsd), parseResult.GetValue(maxIdLength));
            return ValidateFilesAsync(validator, parseResult.GetValue(files) ?? [], cancellationToken);
        });
        return command;
    }

    internal static OadrValidator CreateValidator(string? schemasOption, bool noXsd, int maxIdLength)
    {
        if (maxIdLength <= 0) throw new CliUsageException("--max-id-length must be a positive number");
        string? schemaDirectory = null;
        if (!noXsd)
        {
            schemaDirectory = OadrSchemaLocator.Find(schemasOption)
                ?? throw new CliUsageException(
                    "the official OpenADR 2.0b schemas were not found: pass --schemas DIR (the folder holding oadr_20b.xsd), " +
                    $"set {OadrSchemaLocator.EnvironmentVariable}, or use --no-xsd to check only the profile rules");
        }
        try
        {
            return new OadrValidator(new OadrValidationOptions { SchemaDirectory = schemaDirectory, MaxIdLength = maxIdLength });
        }
        catch (OadrSchemaException ex)
        {
            throw new CliUsageException(
                $"{ex.Message}; pass --schemas DIR naming the folder that holds oadr_20b.xsd and its imports, or use --no-xsd");
        }
    }

    private static async Task<int> ValidateFilesAsync(OadrValidator validator, string[] files, CancellationToken cancellationToken)
    {
        var exit = ExitCodes.Success;
        foreach (var file in files)
        {
            byte[] bytes;
            try
            {
                bytes = await ReadBoundedAsync(file, validator.Options.Limits.MaxCharacters, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"{file}: error: cannot read: {ex.Message}");
                exit = ExitCodes.UsageOrEnvironment;
                continue;
            }
            var result = validator.Validate(bytes);
            foreach (var v in result.Violations.Where(v => v.Severity == ViolationSeverity.Warning))
            {
                Console.WriteLine($"{file}: warning: {v}");
            }
            if (result.IsValid)
            {
                Console.WriteLine($"{file}: ok");
                continue;
            }
            foreach (var v in result.Violations.Where(v => v.Severity == ViolationSeverity.Error))
            {
                Console.WriteLine($"{file}: invalid: {v}");
            }
            if (exit == ExitCodes.Success) exit = ExitCodes.Invalid;
        }
        return exit;
    }

    /// <summary>Reads a file, refusing one far larger than any message may be (4 bytes per allowed character).</summary>
    internal static async Task<byte[]> ReadBoundedAsync(string file, long maxCharacters, CancellationToken cancellationToken)
    {
        var info = new FileInfo(file);
        if (!info.Exists) throw new FileNotFoundException($"no such file", file);
        if (info.Length > maxCharacters * 4)
        {
            throw new IOException($"the file is {info.Length} bytes, more than a message may be");
        }
        return await File.ReadAllBytesAsync(file, cancellationToken);
    }
}
