using System.Net;
using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Client;
using FlexCoop.Iec61850.Mms.Server;

namespace FlexCoop.Iec61850.Tests.Mms;

/// <summary>A small MMS model served on a loopback port chosen by the OS.</summary>
internal sealed class MmsTestServer : IAsyncDisposable
{
    public const string Domain = "IED1LD0";

    public static readonly MmsStructureType LlnType = new(
        new MmsComponent("ST", new MmsStructureType(
            new MmsComponent("Mod", new MmsStructureType(
                new MmsComponent("stVal", new MmsIntegerType(32)),
                new MmsComponent("q", new MmsBitStringType(13)),
                new MmsComponent("t", MmsUtcTimeType.Instance))))),
        new MmsComponent("CF", new MmsStructureType(
            new MmsComponent("Mod", new MmsStructureType(
                new MmsComponent("ctlModel", new MmsIntegerType(8)))))),
        new MmsComponent("DC", new MmsStructureType(
            new MmsComponent("NamPlt", new MmsStructureType(
                new MmsComponent("vendor", new MmsVisibleStringType(-255)),
                new MmsComponent("d", new MmsUnicodeStringType(-255)))))));

    public static readonly MmsStructureType MmxuType = new(
        new MmsComponent("MX", new MmsStructureType(
            new MmsComponent("TotW", new MmsStructureType(
                new MmsComponent("mag", new MmsStructureType(new MmsComponent("f", MmsFloatType.Float32))),
                new MmsComponent("q", new MmsBitStringType(13)),
                new MmsComponent("t", MmsUtcTimeType.Instance))))),
        new MmsComponent("SP", new MmsStructureType(
            new MmsComponent("Setp", new MmsStructureType(
                new MmsComponent("setMag", new MmsStructureType(new MmsComponent("f", MmsFloatType.Float64))),
                new MmsComponent("raw", new MmsOctetStringType(-16)),
                new MmsComponent("cnt", new MmsUnsignedType(32)),
                new MmsComponent("tod", new MmsBinaryTimeType(true)),
                new MmsComponent("on", MmsBooleanType.Instance),
                new MmsComponent("arr", new MmsArrayType(3, new MmsIntegerType(16))))))));

    private MmsTestServer(MmsServer server, string? fileRoot)
    {
        Server = server;
        FileRoot = fileRoot;
    }

    public MmsServer Server { get; }
    public string? FileRoot { get; }
    public MmsVmd Vmd => Server.Vmd;
    public int Port => Server.LocalEndPoint.Port;

    public static MmsVmd BuildVmd(int extraVariables = 0)
    {
        var vmd = new MmsVmd();
        var ld = vmd.AddDomain(Domain);
        static bool Writable(string path) => path.Contains("$CF$", StringComparison.Ordinal) || path.Contains("$SP$", StringComparison.Ordinal) || path.EndsWith("$CF", StringComparison.Ordinal) || path.EndsWith("$SP", StringComparison.Ordinal);
        ld.AddVariable("LLN0", LlnType, writable: Writable);
        ld.AddVariable("MMXU1", MmxuType, writable: Writable);
        for (var i = 0; i < extraVariables; i++) ld.AddVariable($"GGIO{i + 1}", MmxuType, writable: Writable);
        ld.AddNamedVariableList("LLN0$DataSet1", [ObjectName.Domain(Domain, "LLN0$ST$Mod$stVal"), ObjectName.Domain(Domain, "MMXU1$MX$TotW$mag$f")]);
        vmd.AddDomain("IED1LD1").AddVariable("LPHD1", new MmsStructureType(new MmsComponent("ST", new MmsStructureType(new MmsComponent("PhyHealth", new MmsIntegerType(32))))));
        vmd.SetValue(Domain, "LLN0$ST$Mod$stVal", new MmsInteger(1));
        vmd.SetValue(Domain, "LLN0$DC$NamPlt$vendor", new MmsVisibleString("FlexCoop"));
        vmd.SetValue(Domain, "MMXU1$MX$TotW$mag$f", new MmsFloat32(1234.5f));
        return vmd;
    }

    public static async Task<MmsTestServer> StartAsync(MmsServerOptions? options = null, bool withFiles = false, int extraVariables = 0, MmsVmd? vmd = null)
    {
        string? root = null;
        if (withFiles)
        {
            root = Directory.CreateTempSubdirectory("flexcoop-mms-files-").FullName;
            await File.WriteAllTextAsync(Path.Combine(root, "readme.txt"), "hello from the file store");
            Directory.CreateDirectory(Path.Combine(root, "COMTRADE"));
            await File.WriteAllBytesAsync(Path.Combine(root, "COMTRADE", "fault1.dat"), Enumerable.Range(0, 200_000).Select(i => (byte)i).ToArray());
            options = (options ?? new MmsServerOptions()) with { FileStoreRoot = root };
        }
        var server = new MmsServer(vmd ?? BuildVmd(extraVariables), options);
        server.Start(new IPEndPoint(IPAddress.Loopback, 0));
        return new MmsTestServer(server, root);
    }

    public Task<MmsClient> ConnectAsync(MmsClientOptions? options = null, CancellationToken cancellationToken = default) =>
        MmsClient.ConnectAsync("127.0.0.1", Port, options, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        if (FileRoot is not null && Directory.Exists(FileRoot)) Directory.Delete(FileRoot, true);
    }
}
