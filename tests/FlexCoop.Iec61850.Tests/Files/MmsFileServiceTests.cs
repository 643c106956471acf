using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Client;
using FlexCoop.Iec61850.Mms.Server;
using FlexCoop.Iec61850.Tests.Mms;

namespace FlexCoop.Iec61850.Tests.Files;

/// <summary>The file services end to end: SetFile through ObtainFile, hostile names, large directories.</summary>
public sealed class MmsFileServiceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string LocalFile(byte[] content)
    {
        var dir = Directory.CreateTempSubdirectory("flexcoop-local-").FullName;
        var path = Path.Combine(dir, "upload.bin");
        File.WriteAllBytes(path, content);
        return path;
    }

    [Fact]
    public async Task SetFile_stores_a_large_file_read_from_the_client_in_many_chunks()
    {
        await using var server = await MmsTestServer.StartAsync(new MmsServerOptions { AllowFileWrite = true, MaxPduSize = 1000 }, withFiles: true);
        var fileReads = 0;
        await using var client = await server.ConnectAsync(new MmsClientOptions { ProposedPduSize = 1000 }, Ct);
        client.PduInspector = (direction, bytes) =>
        {
            // The server's FileRead requests arrive at the client: confirmed-RequestPDU (A0) with fileRead [73] (9F 49).
            if (direction == MmsPduDirection.Received && bytes.Span[0] == 0xA0 && bytes.Span.IndexOf(new byte[] { 0x9F, 0x49 }) > 0) Interlocked.Increment(ref fileReads);
        };
        var content = Enumerable.Range(0, 150_000).Select(i => (byte)(i * 7)).ToArray();
        var local = LocalFile(content);
        try
        {
            await client.SetFileAsync(local, "upload/new.bin", Ct);
            Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(server.FileRoot!, "upload", "new.bin"), Ct));
            Assert.True(fileReads > 100, $"{fileReads} FileRead requests");
            // No temporary file is left beside it, and the client reads it back the same.
            Assert.Equal(["new.bin"], Directory.GetFiles(Path.Combine(server.FileRoot!, "upload")).Select(Path.GetFileName));
            Assert.Equal(content, await client.GetFileAsync("upload/new.bin", Ct));
            // A second SetFile to the same name is refused: nothing is overwritten.
            var dup = await Assert.ThrowsAsync<MmsServiceErrorException>(() => client.SetFileAsync(local, "upload/new.bin", Ct));
            Assert.Equal(MmsErrorClass.File, dup.Error.Class);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(local)!, true);
        }
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task SetFile_is_refused_on_a_read_only_store_and_for_names_outside_it()
    {
        var local = LocalFile([1, 2, 3]);
        try
        {
            await using (var readOnly = await MmsTestServer.StartAsync(withFiles: true))
            await using (var client = await readOnly.ConnectAsync(cancellationToken: Ct))
            {
                var denied = await Assert.ThrowsAsync<MmsServiceErrorException>(() => client.SetFileAsync(local, "x.bin", Ct));
                Assert.Equal(MmsErrorClass.File, denied.Error.Class);
                Assert.False(File.Exists(Path.Combine(readOnly.FileRoot!, "x.bin")));
            }
            await using var writable = await MmsTestServer.StartAsync(new MmsServerOptions { AllowFileWrite = true }, withFiles: true);
            await using var w = await writable.ConnectAsync(cancellationToken: Ct);
            foreach (var name in new[] { "../escaped.bin", "COMTRADE/../../escaped.bin", "..\\escaped.bin", "C:/escaped.bin", "a\u0001b" })
            {
                var ex = await Assert.ThrowsAsync<MmsServiceErrorException>(() => w.SetFileAsync(local, name, Ct));
                Assert.Equal(MmsErrorClass.File, ex.Error.Class);
            }
            Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(writable.FileRoot!)!, "escaped.bin")));
            // ObtainFile of a file the client does not offer: the client refuses the server's FileOpen, the server answers with an error.
            var missing = await Assert.ThrowsAsync<MmsServiceErrorException>(() => w.ObtainFileAsync("not-offered.bin", "y.bin", Ct));
            Assert.Equal(MmsErrorClass.File, missing.Error.Class);
            Assert.False(File.Exists(Path.Combine(writable.FileRoot!, "y.bin")));
            Assert.True(w.IsConnected);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(local)!, true);
        }
    }

    [Fact]
    public async Task SetFile_larger_than_the_server_allows_is_refused_and_nothing_is_stored()
    {
        await using var server = await MmsTestServer.StartAsync(new MmsServerOptions { AllowFileWrite = true, MaxObtainFileSize = 1000 }, withFiles: true);
        await using var client = await server.ConnectAsync(cancellationToken: Ct);
        var local = LocalFile(new byte[5000]);
        try
        {
            var ex = await Assert.ThrowsAsync<MmsServiceErrorException>(() => client.SetFileAsync(local, "big.bin", Ct));
            Assert.Equal(MmsErrorClass.Resource, ex.Error.Class);
            Assert.Equal(["COMTRADE/fault1.dat", "readme.txt"], (await client.FileDirectoryAsync(null, Ct)).Select(e => e.FileName));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(local)!, true);
        }
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("/../../etc/passwd")]
    [InlineData("COMTRADE/../../../etc/passwd")]
    [InlineData("..\\..\\etc\\passwd")]
    [InlineData("COMTRADE/./fault1.dat")]
    public async Task Path_traversal_is_refused_by_every_file_service(string name)
    {
        await using var server = await MmsTestServer.StartAsync(new MmsServerOptions { AllowFileWrite = true }, withFiles: true);
        await using var client = await server.ConnectAsync(cancellationToken: Ct);
        Assert.Equal(MmsErrorClass.File, (await Assert.ThrowsAsync<MmsServiceErrorException>(() => client.FileOpenAsync(name, 0, Ct))).Error.Class);
        Assert.Equal(MmsErrorClass.File, (await Assert.ThrowsAsync<MmsServiceErrorException>(() => client.FileDirectoryAsync(name, Ct))).Error.Class);
        Assert.Equal(MmsErrorClass.File, (await Assert.ThrowsAsync<MmsServiceErrorException>(() => client.FileDeleteAsync(name, Ct))).Error.Class);
        Assert.Equal(MmsErrorClass.File, (await Assert.ThrowsAsync<MmsServiceErrorException>(() => client.FileRenameAsync("readme.txt", name, Ct))).Error.Class);
        Assert.Equal(MmsErrorClass.File, (await Assert.ThrowsAsync<MmsServiceErrorException>(() => client.FileRenameAsync(name, "x.txt", Ct))).Error.Class);
        Assert.True(File.Exists(Path.Combine(server.FileRoot!, "readme.txt")));
        Assert.True(File.Exists(Path.Combine(server.FileRoot!, "COMTRADE", "fault1.dat")));
    }

    [Fact]
    public async Task A_directory_of_thousands_of_files_is_listed_in_pages_with_continuation()
    {
        await using var server = await MmsTestServer.StartAsync(new MmsServerOptions { MaxPduSize = 2000 }, withFiles: true);
        var many = Path.Combine(server.FileRoot!, "many");
        Directory.CreateDirectory(many);
        for (var i = 0; i < 3000; i++) await File.WriteAllBytesAsync(Path.Combine(many, $"rec{i:D5}.cfg"), [(byte)i], Ct);
        var pages = 0;
        await using var client = await server.ConnectAsync(new MmsClientOptions { ProposedPduSize = 2000 }, Ct);
        client.PduInspector = (direction, bytes) =>
        {
            // fileDirectory response: [77] constructed = BF 4D
            if (direction == MmsPduDirection.Received && bytes.Span.IndexOf(new byte[] { 0xBF, 0x4D }) > 0) Interlocked.Increment(ref pages);
        };
        var entries = await client.FileDirectoryAsync("many", Ct);
        Assert.Equal(3000, entries.Count);
        Assert.Equal(Enumerable.Range(0, 3000).Select(i => $"many/rec{i:D5}.cfg"), entries.Select(e => e.FileName));
        Assert.All(entries, e => Assert.Equal(1u, e.Attributes.Size));
        Assert.True(pages > 10, $"{pages} pages");
        // A continuation name that sorts after everything gives an empty last page, not an error.
        var tail = await client.RequestAsync(new FileDirectoryRequest("many", "zzzz"), Ct);
        Assert.Empty(Assert.IsType<FileDirectoryResponse>(tail).Entries);
    }

    [Fact]
    public async Task File_read_and_close_with_unknown_or_hostile_frsm_ids_get_errors_and_the_association_carries_on()
    {
        await using var server = await MmsTestServer.StartAsync(withFiles: true);
        await using var client = await server.ConnectAsync(cancellationToken: Ct);
        foreach (var id in new[] { 0, -1, int.MaxValue, 4711 })
        {
            await Assert.ThrowsAsync<MmsServiceErrorException>(() => client.FileReadAsync(id, Ct));
            await Assert.ThrowsAsync<MmsServiceErrorException>(() => client.FileCloseAsync(id, Ct));
        }
        // fileOpen with a name list that is not a GraphicString list, and a fileRead of 9 integer octets: rejects.
        foreach (var pdu in new byte[][]
        {
            [0xA0, 0x0B, 0x02, 0x01, 0x05, 0xBF, 0x48, 0x05, 0xA0, 0x01, 0x05, 0x81, 0x00],
            [0xA0, 0x0F, 0x02, 0x01, 0x06, 0x9F, 0x49, 0x09, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09],
        })
        {
            var answer = await client.SendRawAsync(pdu, Ct);
            Assert.True(answer[0] is 0xA4 or 0xA2, Convert.ToHexString(answer));
        }
        Assert.Equal("hello from the file store", System.Text.Encoding.UTF8.GetString(await client.GetFileAsync("readme.txt", Ct)));
    }
}
