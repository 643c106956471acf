using System.CommandLine;
using FlexCoop.OpenAdr;
using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Xml;

namespace FlexCoop.Cli.Commands;

internal static partial class OpenAdrMessageCommands
{
    static partial void AddFormat(Command openadr)
    {
        var file = new Argument<string>("FILE") { Description = "The message to rewrite (a whole oadrPayload or a bare payload element)." };
        var bare = new Option<bool>("--bare") { Description = "Write the payload element alone, without oadrPayload/oadrSignedObject (default: as the input was)." };
        var wrap = new Option<bool>("--wrap") { Description = "Wrap the payload in oadrPayload/oadrSignedObject (default: as the input was)." };
        var command = new Command("format",
            """
            Parse an OpenADR 2.0b message and write its canonical serialisation to standard output: schema
            element order, the conventional namespace prefixes declared once, UTC date-times, no schemaLocation.
            Exit code 1 with the violations on standard error when the message cannot be read.
            """);
        command.Arguments.Add(file);
        command.Options.Add(bare);
        command.Options.Add(wrap);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var path = parseResult.GetValue(file)!;
            if (parseResult.GetValue(bare) && parseResult.GetValue(wrap))
            {
                throw new CliUsageException("--bare and --wrap exclude each other");
            }
            byte[] bytes;
            try
            {
                bytes = await ReadBoundedAsync(path, OadrXmlLimits.Default.MaxCharacters, cancellationToken);
            }
            catch (IOException ex)
            {
                throw new CliUsageException($"{path}: cannot read: {ex.Message}");
            }
            OadrDocument document;
            try
            {
                document = OadrCodec.Parse(bytes);
            }
            catch (OadrFormatException ex)
            {
                await Console.Error.WriteLineAsync($"{path}: invalid: {ex.ToViolation()}");
                return ExitCodes.Invalid;
            }
            var envelope = parseResult.GetValue(bare) ? OadrEnvelope.None
                : parseResult.GetValue(wrap) ? OadrEnvelope.OadrPayload
                : document.Envelope;
            var options = new OadrSerializerOptions { Envelope = envelope, SignedObjectId = document.SignedObjectId };
            using var stdout = Console.OpenStandardOutput();
            OadrCodec.Serialize(document.Message, stdout, options);
            await stdout.FlushAsync(cancellationToken);
            Console.WriteLine();
            return ExitCodes.Success;
        });
        openadr.Subcommands.Add(command);
    }
}
