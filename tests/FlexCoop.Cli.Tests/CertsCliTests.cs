using System.Text.Json;

namespace FlexCoop.Cli.Tests;

public sealed class CertsCliTests
{
    [Fact]
    public async Task Certs_create_writes_the_pki_and_an_index_whose_fingerprints_the_fingerprint_command_reproduces()
    {
        using var temp = new CliTempDirectory();
        var dir = Path.Combine(temp.Path, "pki");

        var (code, stdout, stderr) = await Flexcoop.RunAsync("certs", "create", "--out", dir);

        Assert.True(code == 0, stderr);
        Assert.Contains("ven-hybrid.crt", stdout, StringComparison.Ordinal);
        using var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "pki.json")));
        var credentials = index.RootElement.GetProperty("credentials").EnumerateArray().ToList();
        Assert.Equal(["ca-rsa", "ca-ecc", "vtn-rsa", "vtn-ecc", "ven-rsa", "ven-ecc", "ven-hybrid"], credentials.Select(c => c.GetProperty("name").GetString()));
        foreach (var credential in credentials)
        {
            Assert.True(File.Exists(Path.Combine(dir, credential.GetProperty("certificate").GetString()!)));
            var key = Path.Combine(dir, credential.GetProperty("key").GetString()!);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
            }
        }
        Assert.Equal("RSA-2048", credentials.Single(c => c.GetProperty("name").GetString() == "ca-rsa").GetProperty("keyAlgorithm").GetString());
        Assert.Equal("ca-rsa", credentials.Single(c => c.GetProperty("name").GetString() == "ven-hybrid").GetProperty("issuer").GetString());

        foreach (var ven in credentials.Where(c => c.GetProperty("role").GetString() == "ven"))
        {
            var (fpCode, fingerprint, _) = await Flexcoop.RunAsync("openadr", "fingerprint", Path.Combine(dir, ven.GetProperty("certificate").GetString()!));
            Assert.Equal(0, fpCode);
            Assert.Equal(ven.GetProperty("venId").GetString(), fingerprint.Trim());
            Assert.Matches("^([0-9A-F]{2}:){9}[0-9A-F]{2}$", fingerprint.Trim());
        }
    }

    [Fact]
    public async Task Certs_create_refuses_to_overwrite_without_force()
    {
        using var temp = new CliTempDirectory();
        File.WriteAllText(Path.Combine(temp.Path, "ca-rsa.key"), "keep me");

        var (code, _, stderr) = await Flexcoop.RunAsync("certs", "create", "--out", temp.Path);

        Assert.Equal(2, code);
        Assert.Contains("--force", stderr, StringComparison.Ordinal);
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(temp.Path, "ca-rsa.key")));
    }
}

/// <summary>A fresh directory under the system temp folder, deleted on dispose.</summary>
internal sealed class CliTempDirectory : IDisposable
{
    public CliTempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "flexcoop-cli-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
