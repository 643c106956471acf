using System.CommandLine;
using System.Text;
using FlexCoop.Saref;
using FlexCoop.Saref.Rdf;

namespace FlexCoop.Cli.Commands;

/// <summary><c>flexcoop saref ...</c>: SAREF descriptions of homes and DERs.</summary>
internal static class SarefCommands
{
    private const long MaxInputBytes = 32L * 1024 * 1024;

    public static Command Create()
    {
        var command = new Command("saref", "SAREF/SAREF4ENER device descriptions: export to Turtle, N-Triples, JSON-LD; check.");
        command.Subcommands.Add(CreateExport());
        command.Subcommands.Add(CreateCheck());
        return command;
    }

    private static Command CreateExport()
    {
        var file = new Argument<string>("FILE")
        {
            Description = "A JSON device description (a home and its devices, see the FlexCoop.Saref README) or an OpenADR 2.0b oadrRegisterReport (XML).",
        };
        var format = new Option<string>("--format", "-f") { Description = "Output syntax: turtle, ntriples or jsonld.", DefaultValueFactory = _ => "turtle" };
        format.AcceptOnlyFromAmong("turtle", "ntriples", "jsonld");
        var baseIri = new Option<string?>("--base")
        {
            Description = "For an oadrRegisterReport: the home's IRI, ending in '/' (default https://flexcoop.example/vens/{venID}/). A JSON description names its own.",
        };
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file instead of standard output." };
        var saref4 = new Option<bool>("--saref4")
        {
            Description = "Also type measurements with the SAREF 4.x terms saref:Observation, saref:observes, saref:hasResultTime (not in SAREF 3.1.1).",
        };
        var command = new Command("export",
            """
            Describe a home and its devices in SAREF core 3.1.1 and SAREF4ENER 1.1.2: device classes, functions
            and commands, measured and controlled properties with OM units, states, measurements, power limits,
            and flexibility as s4ener:PowerProfile / AlternativesGroup / PowerSequence / Slot.
            Example:  flexcoop saref export home.json --format jsonld -o home.jsonld
            Exit code 1 (with the JSON path or XML element named) when FILE cannot be mapped.
            """);
        command.Arguments.Add(file);
        command.Options.Add(format);
        command.Options.Add(baseIri);
        command.Options.Add(output);
        command.Options.Add(saref4);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var path = parseResult.GetValue(file)!;
            var text = await ReadInputAsync(path, cancellationToken);
            var home = parseResult.GetValue(baseIri) is { } b ? CheckBase(b) : null;
            HomeDescription description;
            try
            {
                description = DeviceDescriptionJson.LooksLikeJson(text)
                    ? DeviceDescriptionJson.Parse(text)
                    : OpenAdrReportMapping.FromXml(text, home);
            }
            catch (SarefMappingException ex)
            {
                await Console.Error.WriteLineAsync($"{path}: invalid: {ex.Message}");
                return ExitCodes.Invalid;
            }
            var graph = SarefGraphBuilder.Build(description, new SarefGraphOptions { IncludeSaref4Terms = parseResult.GetValue(saref4) });
            var rendered = parseResult.GetValue(format) switch
            {
                "ntriples" => NTriplesWriter.Write(graph),
                "jsonld" => JsonLdWriter.Write(graph) + "\n",
                _ => TurtleWriter.Write(graph),
            };
            await WriteOutputAsync(parseResult.GetValue(output), rendered, cancellationToken);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateCheck()
    {
        var file = new Argument<string>("FILE")
        {
            Description = "A description in Turtle (.ttl), N-Triples (.nt), JSON-LD (.jsonld, or JSON with an @context), a JSON device description (.json) or an oadrRegisterReport (.xml).",
        };
        var ontologies = new Option<string?>("--ontologies")
        {
            Description = "Folder with the ontology .ttl files (saref-core, saref4ener). Default: $FLEXCOOP_ONTOLOGIES, else shared/ontologies/saref beside the checkout (../shared/ontologies/saref).",
        };
        var command = new Command("check",
            """
            Read a SAREF description and check that every class, property and individual it uses from the
            ontologies' namespaces (saref:, s4ener:) is declared in the ontology files. Terms of other
            vocabularies (rdfs:, om:, time:, FlexCoop's der:) are not checked.
            Example:  flexcoop saref check home.ttl --ontologies ../shared/ontologies/saref
            Exit code 1 listing the unknown terms, or the syntax error with line and column.
            """);
        command.Arguments.Add(file);
        command.Options.Add(ontologies);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var path = parseResult.GetValue(file)!;
            var dir = FindOntologies(parseResult.GetValue(ontologies));
            SarefOntology ontology;
            try
            {
                ontology = await SarefOntology.LoadDirectoryAsync(dir, cancellationToken);
            }
            catch (RdfParseException ex)
            {
                throw new CliUsageException($"ontology files in {dir} cannot be read: {ex.Message}");
            }
            catch (FileNotFoundException ex)
            {
                throw new CliUsageException(ex.Message);
            }
            var text = await ReadInputAsync(path, cancellationToken);
            RdfGraph graph;
            try
            {
                graph = ReadDescription(path, text);
            }
            catch (RdfParseException ex)
            {
                await Console.Error.WriteLineAsync($"{path}:{ex.Line}:{ex.Column}: invalid: {ex.Detail}");
                return ExitCodes.Invalid;
            }
            catch (SarefMappingException ex)
            {
                await Console.Error.WriteLineAsync($"{path}: invalid: {ex.Message}");
                return ExitCodes.Invalid;
            }
            catch (JsonLdException ex)
            {
                await Console.Error.WriteLineAsync($"{path}{(ex.Line > 0 ? $":{ex.Line}" : "")}: invalid: {ex.Detail} (at {ex.Path})");
                return ExitCodes.Invalid;
            }
            var unknown = ontology.FindUnknownTerms(graph);
            foreach (var term in unknown)
            {
                Console.WriteLine($"{path}: unknown {term.Usage}: {Shorten(graph, term.Iri)} <{term.Iri}>");
            }
            Console.WriteLine(unknown.Count == 0
                ? $"{path}: ok: {graph.Count} triples; every term of {string.Join(", ", ontology.Namespaces)} is declared ({ontology.TermCount} terms in {dir})"
                : $"{path}: {unknown.Count} unknown term(s) in {graph.Count} triples");
            return unknown.Count == 0 ? ExitCodes.Success : ExitCodes.Invalid;
        });
        return command;
    }

    private static RdfGraph ReadDescription(string path, string text)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension == ".jsonld" || (extension is not (".ttl" or ".nt" or ".xml") && JsonLdReader.LooksLikeJsonLd(text)))
        {
            return JsonLdReader.Parse(text, new Uri(Path.GetFullPath(path)).AbsoluteUri);
        }
        if (extension == ".json" || (extension != ".ttl" && extension != ".nt" && DeviceDescriptionJson.LooksLikeJson(text)))
        {
            return SarefGraphBuilder.Build(DeviceDescriptionJson.Parse(text));
        }
        if (extension == ".xml") return SarefGraphBuilder.Build(OpenAdrReportMapping.FromXml(text));
        if (extension == ".nt") return NTriplesReader.Parse(text);
        return TurtleReader.Parse(text, new Uri(Path.GetFullPath(path)).AbsoluteUri);
    }

    private static string Shorten(RdfGraph graph, string iri)
    {
        var prefixes = graph.Namespaces.Entries.Count > 0 ? graph.Namespaces : SarefVocabulary.StandardPrefixes();
        return prefixes.TrySplit(iri, out var prefix, out var local) ? $"{prefix}:{local}" : iri;
    }

    private static string FindOntologies(string? option)
    {
        if (option is not null)
        {
            return Directory.Exists(option) ? option : throw new CliUsageException($"--ontologies: folder not found: {option}");
        }
        if (Environment.GetEnvironmentVariable("FLEXCOOP_ONTOLOGIES") is { Length: > 0 } env)
        {
            return Directory.Exists(env) ? env : throw new CliUsageException($"FLEXCOOP_ONTOLOGIES: folder not found: {env}");
        }
        // ../shared/ontologies/saref from the current folder or any folder above it (the checkout's sibling).
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir?.Parent is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.Parent.FullName, "shared", "ontologies", "saref");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new CliUsageException("no ontology folder: give --ontologies DIR or set FLEXCOOP_ONTOLOGIES (the SAREF .ttl files)");
    }

    private static string CheckBase(string iri) =>
        Uri.TryCreate(iri, UriKind.Absolute, out _) && (iri.EndsWith('/') || iri.EndsWith('#'))
            ? iri
            : throw new CliUsageException($"--base must be an absolute IRI ending in '/' or '#': {iri}");

    private static async Task<string> ReadInputAsync(string path, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException("file not found", path);
        if (info.Length > MaxInputBytes) throw new CliUsageException($"{path}: larger than {MaxInputBytes / (1024 * 1024)} MiB");
        try
        {
            return await File.ReadAllTextAsync(path, Encoding.UTF8, cancellationToken);
        }
        catch (IOException ex)
        {
            throw new CliUsageException($"{path}: cannot read: {ex.Message}");
        }
    }

    private static async Task WriteOutputAsync(string? path, string text, CancellationToken cancellationToken)
    {
        var bytes = new UTF8Encoding(false).GetBytes(text);
        if (path is null)
        {
            using var stdout = Console.OpenStandardOutput();
            await stdout.WriteAsync(bytes, cancellationToken);
            await stdout.FlushAsync(cancellationToken);
            return;
        }
        try
        {
            await File.WriteAllBytesAsync(path, bytes, cancellationToken);
        }
        catch (IOException ex)
        {
            throw new CliUsageException($"{path}: cannot write: {ex.Message}");
        }
    }
}
