using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FlexCoop.OpenAdr;
using FlexCoop.OpenAdr.Security;

namespace FlexCoop.Cli.Commands;

/// <summary><c>flexcoop openadr fingerprint|sign|verify</c>: certificates and XML signatures (high security profile).</summary>
internal static class OpenAdrSecurityCommands
{
    // Larger than any message the library accepts by default (8 Mi characters, up to 4 bytes each).
    private const long MaxMessageBytes = 32L * 1024 * 1024;

    public static void AddTo(Command openadr)
    {
        ArgumentNullException.ThrowIfNull(openadr);
        openadr.Subcommands.Add(CreateFingerprint());
        openadr.Subcommands.Add(CreateSign());
        openadr.Subcommands.Add(CreateVerify());
    }

    private static Command CreateFingerprint()
    {
        var legacy = new Option<bool>("--20a") { Description = "Print the OpenADR 2.0a fingerprint (SHA-1) instead of the 2.0b one (SHA-256)." };
        var cert = new Argument<string>("CERT") { Description = "An X.509 certificate file, PEM or DER." };
        var command = new Command("fingerprint",
            """
            Print a certificate's OpenADR fingerprint, which a VEN uses as its VEN ID: the last 20 hex digits
            of the SHA-256 hash of the DER certificate, as AA:BB:... (2.0b).
            Exit code 0 on success; 2 if the file cannot be read or holds no certificate.
            """);
        command.Options.Add(legacy);
        command.Arguments.Add(cert);
        command.SetAction(parseResult =>
        {
            using var certificate = LoadCertificate(parseResult.GetValue(cert)!);
            Console.WriteLine(parseResult.GetValue(legacy) ? OadrFingerprint.Of20a(certificate) : OadrFingerprint.Of(certificate));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateSign()
    {
        var cert = new Option<string>("--cert") { Description = "The signer's certificate, PEM.", Required = true };
        var key = new Option<string>("--key") { Description = "The signer's private key, PEM (PKCS#8, PKCS#1 or SEC1; unencrypted). RSA (2048 bits or more) or EC.", Required = true };
        var output = new Option<string?>("--out") { Description = "Write the signed message to this file instead of standard output." };
        var file = new Argument<string>("FILE") { Description = "The message: an oadrPayload, an oadrSignedObject or a bare payload element (it is wrapped)." };
        var command = new Command("sign",
            """
            Sign an OpenADR 2.0b message as the high-security profile describes: a detached XML signature,
            first child of oadrPayload, Canonical XML 1.0, RSA-SHA256 or ECDSA-SHA256 by the key type, with
            references to oadrSignedObject (its oadr:Id is added if missing) and to a ReplayProtect object
            holding the current time and a fresh nonce. The certificate is included in ds:KeyInfo.
            Exit code 0 on success; 1 if the message cannot be signed (not XML, not OpenADR, already signed);
            2 if a file cannot be read or the key does not fit the certificate.
            Example: flexcoop openadr sign --cert pki/ven-ecc.crt --key pki/ven-ecc.key poll.xml > signed.xml
            """);
        command.Options.Add(cert);
        command.Options.Add(key);
        command.Options.Add(output);
        command.Arguments.Add(file);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var path = parseResult.GetValue(file)!;
            OadrSigner signer;
            using var certificate = LoadCertificateWithKey(parseResult.GetValue(cert)!, parseResult.GetValue(key)!);
            try
            {
                signer = new OadrSigner(certificate);
            }
            catch (OadrSignatureException ex)
            {
                throw new CliUsageException(ex.Message);
            }
            var message = await ReadMessageAsync(path, cancellationToken);
            byte[] signed;
            try
            {
                signed = signer.Sign(message);
            }
            catch (OadrFormatException ex)
            {
                await Console.Error.WriteLineAsync($"{path}: invalid: {ex.Rule}: {ex.Detail}");
                return ExitCodes.Invalid;
            }
            catch (OadrSignatureException ex)
            {
                await Console.Error.WriteLineAsync($"{path}: invalid: signature: {ex.Message}");
                return ExitCodes.Invalid;
            }
            if (parseResult.GetValue(output) is { Length: > 0 } outFile)
            {
                await File.WriteAllBytesAsync(outFile, signed, cancellationToken);
            }
            else
            {
                await using var stdout = Console.OpenStandardOutput();
                await stdout.WriteAsync(signed, cancellationToken);
                await stdout.WriteAsync("\n"u8.ToArray(), cancellationToken);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateVerify()
    {
        var trusted = new Option<string[]>("--trusted")
        {
            Description = "CA certificate file(s), PEM (a file may hold several). The signer's certificate must chain to one. Repeatable.",
            AllowMultipleArgumentsPerToken = false,
        };
        var at = new Option<string?>("--at")
        {
            Description = "Check the replay window and certificate validity at this time (ISO 8601, e.g. 2026-03-01T12:00:00Z) instead of now: for captured messages.",
        };
        var noReplayWindow = new Option<bool>("--no-replay-window") { Description = "Do not check the ReplayProtect timestamp (the nonce is still checked across the files)." };
        var window = new Option<int>("--window")
        {
            Description = "Replay window in seconds, either side of the verification time.",
            DefaultValueFactory = _ => (int)OadrVerifyOptions.Default.ReplayWindow.TotalSeconds,
        };
        var allowLegacy = new Option<bool>("--allow-legacy") { Description = "Accept RSA-SHA1/SHA-1 signatures (2.0a-era stacks); they are refused by default." };
        var files = new Argument<string[]>("FILE") { Description = "Signed messages to verify.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("verify",
            """
            Verify the XML signatures of OpenADR 2.0b messages: the signature value and digests, that the
            references cover exactly oadrSignedObject and the ReplayProtect object (no wrapping), the
            certificate chain (with --trusted), the ReplayProtect timestamp against the clock (--at pins it),
            and that no nonce is used twice among the files given.
            Prints 'FILE: ok' or 'FILE: invalid: signature: <status>: <message>', where <status> is one of
            NoSignature, Malformed, UnsupportedAlgorithm, LegacyAlgorithm, ReferenceMismatch, DigestMismatch,
            BadSignature, UntrustedCertificate, NoReplayProtect, ReplayWindowExceeded, NonceReused.
            Exit code 0 only if every file is ok; 1 if any is not; 2 if a file cannot be read or an option is wrong.
            Example: flexcoop openadr verify --trusted pki/ca-bundle.crt --at 2026-03-01T12:00:05Z signed.xml
            """);
        command.Options.Add(trusted);
        command.Options.Add(at);
        command.Options.Add(noReplayWindow);
        command.Options.Add(window);
        command.Options.Add(allowLegacy);
        command.Arguments.Add(files);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var atText = parseResult.GetValue(at);
            var skipWindow = parseResult.GetValue(noReplayWindow);
            if (atText is not null && skipWindow)
            {
                throw new CliUsageException("--at and --no-replay-window cannot be used together: --at pins the clock the replay window is checked against");
            }
            var windowSeconds = parseResult.GetValue(window);
            if (windowSeconds <= 0)
            {
                throw new CliUsageException("--window must be a positive number of seconds");
            }
            var options = new OadrVerifyOptions
            {
                TrustedCertificates = LoadTrusted(parseResult.GetValue(trusted) ?? []),
                VerificationTime = atText is null ? null : ParseTime(atText),
                CheckReplayWindow = !skipWindow,
                ReplayWindow = TimeSpan.FromSeconds(windowSeconds),
                AllowLegacyAlgorithms = parseResult.GetValue(allowLegacy),
                NonceCache = new OadrNonceCache(),
            };

            var exit = ExitCodes.Success;
            foreach (var path in parseResult.GetValue(files) ?? [])
            {
                byte[] message;
                try
                {
                    message = await ReadMessageAsync(path, cancellationToken);
                }
                catch (CliUsageException ex)
                {
                    await Console.Error.WriteLineAsync($"{path}: error: {ex.Message}");
                    exit = ExitCodes.UsageOrEnvironment;
                    continue;
                }
                var result = OadrSignatureVerifier.Verify(message, options);
                if (result.IsValid)
                {
                    Console.WriteLine($"{path}: ok");
                    continue;
                }
                Console.WriteLine($"{path}: invalid: signature: {result.Status}: {result.Message}");
                if (exit == ExitCodes.Success)
                {
                    exit = ExitCodes.Invalid;
                }
            }
            return exit;
        });
        return command;
    }

    internal static X509Certificate2 LoadCertificate(string path)
    {
        var bytes = ReadSmallFile(path, "certificate");
        try
        {
            return X509CertificateLoader.LoadCertificate(PemOrDer(bytes));
        }
        catch (CryptographicException ex)
        {
            throw new CliUsageException($"{path}: not an X.509 certificate (PEM or DER): {ex.Message}");
        }
    }

    private static X509Certificate2 LoadCertificateWithKey(string certPath, string keyPath)
    {
        ReadSmallFile(certPath, "certificate");
        ReadSmallFile(keyPath, "key");
        try
        {
            return X509Certificate2.CreateFromPemFile(certPath, keyPath);
        }
        catch (CryptographicException ex)
        {
            throw new CliUsageException($"cannot use {certPath} with {keyPath}: {ex.Message} (both must be PEM, the key unencrypted and matching the certificate)");
        }
        catch (ArgumentException ex)
        {
            throw new CliUsageException($"cannot use {certPath} with {keyPath}: {ex.Message}");
        }
    }

    private static List<X509Certificate2> LoadTrusted(string[] paths)
    {
        var anchors = new List<X509Certificate2>();
        foreach (var path in paths)
        {
            var bytes = ReadSmallFile(path, "trusted certificate");
            var collection = new X509Certificate2Collection();
            try
            {
                if (LooksLikePem(bytes))
                {
                    collection.ImportFromPem(System.Text.Encoding.ASCII.GetString(bytes));
                }
                else
                {
                    collection.Add(X509CertificateLoader.LoadCertificate(bytes));
                }
            }
            catch (CryptographicException ex)
            {
                throw new CliUsageException($"{path}: not an X.509 certificate (PEM or DER): {ex.Message}");
            }
            if (collection.Count == 0)
            {
                throw new CliUsageException($"{path}: holds no certificate");
            }
            anchors.AddRange(collection);
        }
        return anchors;
    }

    private static DateTimeOffset ParseTime(string text)
    {
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            throw new CliUsageException($"--at '{text}' is not a date and time; use ISO 8601 such as 2026-03-01T12:00:00Z");
        }
        return time;
    }

    private static async Task<byte[]> ReadMessageAsync(string path, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new CliUsageException($"{path}: no such file");
        }
        if (info.Length > MaxMessageBytes)
        {
            throw new CliUsageException($"{path}: {info.Length} bytes is larger than any OpenADR message may be");
        }
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"{path}: cannot read: {ex.Message}");
        }
    }

    private static byte[] ReadSmallFile(string path, string what)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new CliUsageException($"{path}: no such {what} file");
        }
        if (info.Length > 1024 * 1024)
        {
            throw new CliUsageException($"{path}: too large for a {what} file");
        }
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"{path}: cannot read: {ex.Message}");
        }
    }

    private static bool LooksLikePem(byte[] bytes) => bytes.AsSpan().IndexOf("-----BEGIN"u8) >= 0;

    private static byte[] PemOrDer(byte[] bytes)
    {
        if (!LooksLikePem(bytes))
        {
            return bytes;
        }
        var text = System.Text.Encoding.ASCII.GetString(bytes);
        var fields = PemEncoding.Find(text);
        if (!text.AsSpan()[fields.Label].SequenceEqual("CERTIFICATE"))
        {
            throw new CryptographicException($"the first PEM block is '{text[fields.Label]}', not CERTIFICATE");
        }
        return Convert.FromBase64String(text[fields.Base64Data]);
    }
}
