using System.IO.Compression;
using FlexCoop.Testing;

namespace FlexCoop.OpenAdr.Tests.Packaging;

/// <summary>
/// Packs FlexCoop.OpenAdr into a local folder feed and builds a small console project against
/// it, as an integrator would: proves the package has its metadata, README and a usable API.
/// </summary>
public sealed class PackageConsumerTests
{
    [Fact]
    public async Task Package_packs_with_metadata_and_a_console_project_builds_and_runs_against_it()
    {
        var work = Directory.CreateTempSubdirectory("flexcoop-pack-");
        try
        {
            var feed = Path.Combine(work.FullName, "feed");
            var version = $"0.0.0-ci.{Guid.NewGuid():N}";
            var project = Path.Combine(TestEnvironment.RepoRoot, "openadr", "FlexCoop.OpenAdr", "FlexCoop.OpenAdr.csproj");

            var pack = await TestEnvironment.RunAsync("dotnet",
                ["pack", project, "-c", "Release", "-o", feed, $"-p:Version={version}", "-nologo"],
                timeout: TimeSpan.FromMinutes(5));
            Assert.True(pack.ExitCode == 0, "dotnet pack failed:\n" + pack.StdOut + pack.StdErr);

            var nupkg = Path.Combine(feed, $"FlexCoop.OpenAdr.{version}.nupkg");
            Assert.True(File.Exists(nupkg), "package not written: " + nupkg);
            using (var zip = ZipFile.OpenRead(nupkg))
            {
                var nuspecEntry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
                using var reader = new StreamReader(nuspecEntry.Open());
                var nuspec = await reader.ReadToEndAsync(TestContext.Current.CancellationToken);
                Assert.Contains("<id>FlexCoop.OpenAdr</id>", nuspec, StringComparison.Ordinal);
                Assert.Contains("<license type=\"expression\">Apache-2.0</license>", nuspec, StringComparison.Ordinal);
                Assert.Contains("<readme>README.md</readme>", nuspec, StringComparison.Ordinal);
                Assert.Contains("<tags>", nuspec, StringComparison.Ordinal);
                Assert.Contains("<description>", nuspec, StringComparison.Ordinal);
                Assert.Contains(zip.Entries, e => e.FullName == "README.md");
                Assert.Contains(zip.Entries, e => e.FullName == "lib/net10.0/FlexCoop.OpenAdr.dll");
                Assert.Contains(zip.Entries, e => e.FullName == "lib/net10.0/FlexCoop.OpenAdr.xml");
            }

            var consumer = Path.Combine(work.FullName, "consumer");
            Directory.CreateDirectory(consumer);
            await File.WriteAllTextAsync(Path.Combine(consumer, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="local" value="{feed}" />
                    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
                  </packageSources>
                </configuration>
                """, TestContext.Current.CancellationToken);
            await File.WriteAllTextAsync(Path.Combine(consumer, "Consumer.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                    <NuGetAudit>false</NuGetAudit>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="FlexCoop.OpenAdr" Version="{version}" />
                  </ItemGroup>
                </Project>
                """, TestContext.Current.CancellationToken);
            await File.WriteAllTextAsync(Path.Combine(consumer, "Program.cs"), ConsumerProgram, TestContext.Current.CancellationToken);

            var run = await TestEnvironment.RunAsync("dotnet",
                ["run", "--project", Path.Combine(consumer, "Consumer.csproj"), "-nologo"],
                workingDirectory: consumer, timeout: TimeSpan.FromMinutes(5));
            Assert.True(run.ExitCode == 0, "consumer failed:\n" + run.StdOut + run.StdErr);
            Assert.Contains("consumer ok", run.StdOut, StringComparison.Ordinal);
        }
        finally
        {
            try { work.Delete(recursive: true); } catch (IOException) { }
        }
    }

    // What an integrator writes first: build a message, write it, read it back, check the rules.
    private const string ConsumerProgram = """
        using FlexCoop.OpenAdr.Codec;
        using FlexCoop.OpenAdr.Model;
        using FlexCoop.OpenAdr.Validation;

        var poll = new OadrPoll { VenId = "ven-42" };
        var bytes = OadrCodec.SerializeToUtf8Bytes(poll);
        var back = OadrCodec.Parse(bytes);
        var result = new OadrValidator().Validate(bytes);
        Console.WriteLine(back.Message == poll && back.Envelope == OadrEnvelope.OadrPayload && result.IsValid
            ? "consumer ok"
            : "unexpected: " + string.Join("; ", result.Violations));
        """;
}
