using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using FlexCoop.OpenAdr.Security;

namespace FlexCoop.Cli.Commands;

/// <summary><c>flexcoop certs ...</c>: test PKI for OpenADR (and XMPP, UFTP transports).</summary>
/// <remarks>
/// The certificates are made in memory by <see cref="OadrTestPki"/> in FlexCoop.OpenAdr (which does no
/// I/O); writing the PEM files and the <c>pki.json</c> index is this command's job.
/// </remarks>
internal static class CertsCommands
{
    public const string IndexFileName = "pki.json";
    public const string CaBundleFileName = "ca-bundle.crt";

    public static Command Create()
    {
        var command = new Command("certs", "Make a test PKI (CA, VTN and VEN certificates) for development and certification runs.");
        command.Subcommands.Add(CreateCreate());
        return command;
    }

    private static Command CreateCreate()
    {
        var output = new Option<string>("--out") { Description = "Folder to write the PKI into (created if missing).", Required = true };
        var days = new Option<int>("--days") { Description = "Validity of the leaf certificates in days (the CAs get twice as long).", DefaultValueFactory = _ => 365 };
        var force = new Option<bool>("--force") { Description = "Overwrite the files of an earlier PKI in the folder." };
        var command = new Command("create",
            """
            Make a test PKI for OpenADR 2.0b: an RSA-2048 root CA and an ECC P-256 root CA; VTN and VEN
            certificates with RSA-2048 keys (issued by the RSA CA) and P-256 keys (issued by the ECC CA); and a
            hybrid VEN certificate, a P-256 key signed by the RSA CA. Each is written as NAME.crt and NAME.key
            (PEM, key unencrypted, readable by the owner only); ca-bundle.crt holds both CAs; pki.json lists
            every file and each VEN's fingerprint (its VEN ID). Leaf certificates are valid for TLS server and
            client use on localhost, 127.0.0.1 and ::1. For testing only.
            Example: flexcoop certs create --out pki
            """);
        command.Options.Add(output);
        command.Options.Add(days);
        command.Options.Add(force);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var directory = parseResult.GetValue(output)!;
            var validityDays = parseResult.GetValue(days);
            if (validityDays <= 0)
            {
                throw new CliUsageException("--days must be a positive number");
            }
            var names = new[] { IndexFileName, CaBundleFileName };
            using var pki = OadrTestPki.Create(new OadrTestPkiOptions { Validity = TimeSpan.FromDays(validityDays) });
            var files = pki.Credentials.SelectMany(c => new[] { c.Name + ".crt", c.Name + ".key" }).Concat(names).ToList();
            if (!parseResult.GetValue(force) && files.FirstOrDefault(f => File.Exists(Path.Combine(directory, f))) is { } existing)
            {
                throw new CliUsageException($"{Path.Combine(directory, existing)} already exists; use --force to replace the PKI in {directory}");
            }
            try
            {
                Directory.CreateDirectory(directory);
                foreach (var credential in pki.Credentials)
                {
                    await File.WriteAllTextAsync(Path.Combine(directory, credential.Name + ".crt"), credential.CertificatePem, cancellationToken);
                    await WritePrivateAsync(Path.Combine(directory, credential.Name + ".key"), credential.PrivateKeyPem, cancellationToken);
                }
                var bundle = string.Concat(pki.Credentials.Where(c => c.Role == OadrTestRole.CertificateAuthority).Select(c => c.CertificatePem));
                await File.WriteAllTextAsync(Path.Combine(directory, CaBundleFileName), bundle, cancellationToken);
                await File.WriteAllBytesAsync(Path.Combine(directory, IndexFileName), Index(pki), cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CliUsageException($"cannot write the PKI into {directory}: {ex.Message}");
            }

            Console.WriteLine($"Test PKI written to {Path.GetFullPath(directory)}:");
            foreach (var credential in pki.Credentials)
            {
                var fingerprint = credential.Role == OadrTestRole.CertificateAuthority ? "" : $"  fingerprint {credential.Fingerprint}";
                Console.WriteLine($"  {credential.Name + ".crt",-16} {credential.Name + ".key",-16} {credential.Description}{fingerprint}");
            }
            Console.WriteLine($"  {CaBundleFileName,-33} both CA certificates (use with --trusted)");
            Console.WriteLine($"  {IndexFileName,-33} index of the files and fingerprints");
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task WritePrivateAsync(string path, string content, CancellationToken cancellationToken)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        await using var stream = new FileStream(path, options);
        await using var writer = new StreamWriter(stream);
        await writer.WriteAsync(content.AsMemory(), cancellationToken);
    }

    private static byte[] Index(OadrTestPki pki)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("caBundle", CaBundleFileName);
            json.WriteStartArray("credentials");
            foreach (var credential in pki.Credentials)
            {
                var certificate = credential.Certificate;
                json.WriteStartObject();
                json.WriteString("name", credential.Name);
                json.WriteString("role", credential.Role switch
                {
                    OadrTestRole.CertificateAuthority => "ca",
                    OadrTestRole.Vtn => "vtn",
                    _ => "ven",
                });
                json.WriteString("description", credential.Description);
                json.WriteString("certificate", credential.Name + ".crt");
                json.WriteString("key", credential.Name + ".key");
                json.WriteString("keyAlgorithm", certificate.GetRSAPublicKey() is { } rsa ? $"RSA-{rsa.KeySize}" : "ECC P-256");
                json.WriteString("subject", certificate.Subject);
                json.WriteString("issuer", credential.Issuer?.Name ?? credential.Name);
                json.WriteString("notBefore", certificate.NotBefore.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                json.WriteString("notAfter", certificate.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                json.WriteString("fingerprint", credential.Fingerprint);
                if (credential.Role == OadrTestRole.Ven)
                {
                    json.WriteString("venId", credential.Fingerprint);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
