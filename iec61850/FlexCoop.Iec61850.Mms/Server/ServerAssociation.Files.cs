namespace FlexCoop.Iec61850.Mms.Server;

internal sealed partial class ServerAssociation
{
    private readonly Dictionary<int, FileStream> _openFiles = [];
    private int _nextFrsm;

    private MmsServiceError? FileServicesUnavailable() =>
        _server.FileStore is null ? MmsServiceError.FileAccessDenied("file services are not enabled on this server") : null;

    private ServiceResult FileOpen(FileOpenRequest request)
    {
        if (FileServicesUnavailable() is { } e) return e;
        if (_server.FileStore!.Resolve(request.FileName) is not { } path) return MmsServiceError.FilenameSyntaxError($"'{request.FileName}' is not a file name of this store");
        if (!File.Exists(path)) return MmsServiceError.FileNonExistent($"'{request.FileName}' does not exist");
        if (_openFiles.Count >= Options.MaxOpenFilesPerAssociation) return MmsServiceError.CapabilityUnavailable($"at most {Options.MaxOpenFilesPerAssociation} open files");
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (IOException)
        {
            return new MmsServiceError(MmsErrorClass.File, 2, "file busy");
        }
        catch (UnauthorizedAccessException)
        {
            return MmsServiceError.FileAccessDenied("file access denied");
        }
        if (request.InitialPosition > stream.Length)
        {
            stream.Dispose();
            return new MmsServiceError(MmsErrorClass.File, 5, "initial position beyond the end of the file");
        }
        stream.Position = request.InitialPosition;
        var id = ++_nextFrsm;
        _openFiles[id] = stream;
        return new FileOpenResponse(id, new MmsFileAttributes((uint)Math.Min(uint.MaxValue, stream.Length), new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero)));
    }

    private ServiceResult FileRead(FileReadRequest request)
    {
        if (!_openFiles.TryGetValue(request.FrsmId, out var stream)) return new MmsServiceError(MmsErrorClass.File, 0, $"no open file with FRSM id {request.FrsmId}");
        var chunk = new byte[Math.Max(64, NegotiatedPduSize - ResponseOverhead)];
        var n = stream.Read(chunk, 0, chunk.Length);
        return new FileReadResponse(chunk.AsSpan(0, n).ToArray(), stream.Position < stream.Length);
    }

    private ServiceResult FileClose(FileCloseRequest request)
    {
        if (!_openFiles.Remove(request.FrsmId, out var stream)) return new MmsServiceError(MmsErrorClass.File, 0, $"no open file with FRSM id {request.FrsmId}");
        stream.Dispose();
        return new FileCloseResponse();
    }

    private ServiceResult FileDirectory(FileDirectoryRequest request)
    {
        if (FileServicesUnavailable() is { } e) return e;
        if (_server.FileStore!.List(request.FileSpecification, request.ContinueAfter) is not { } entries)
        {
            return MmsServiceError.FileNonExistent($"'{request.FileSpecification}' does not exist");
        }
        var budget = NegotiatedPduSize - ResponseOverhead;
        var result = new List<MmsDirectoryEntry>();
        var more = false;
        foreach (var entry in entries)
        {
            var cost = System.Text.Encoding.UTF8.GetByteCount(entry.FileName) + 40;
            if (cost > budget)
            {
                more = true;
                break;
            }
            budget -= cost;
            result.Add(entry);
        }
        return new FileDirectoryResponse(result, more);
    }

    private MmsServiceError? CheckWritable(string name, out string path)
    {
        path = "";
        if (FileServicesUnavailable() is { } e) return e;
        if (!Options.AllowFileWrite) return MmsServiceError.FileAccessDenied("the file store is read-only");
        if (_server.FileStore!.Resolve(name) is not { } p) return MmsServiceError.FilenameSyntaxError($"'{name}' is not a file name of this store");
        path = p;
        return null;
    }

    private ServiceResult FileDelete(FileDeleteRequest request)
    {
        if (CheckWritable(request.FileName, out var path) is { } e) return e;
        if (!File.Exists(path)) return MmsServiceError.FileNonExistent($"'{request.FileName}' does not exist");
        if (_openFiles.Values.Any(f => f.Name == path)) return new MmsServiceError(MmsErrorClass.File, 2, "file busy");
        File.Delete(path);
        return new FileDeleteResponse();
    }

    private ServiceResult FileRename(FileRenameRequest request)
    {
        if (CheckWritable(request.CurrentFileName, out var from) is { } e) return e;
        if (CheckWritable(request.NewFileName, out var to) is { } e2) return e2;
        if (!File.Exists(from)) return MmsServiceError.FileNonExistent($"'{request.CurrentFileName}' does not exist");
        if (File.Exists(to) || Directory.Exists(to)) return MmsServiceError.DuplicateFilename($"'{request.NewFileName}' already exists");
        File.Move(from, to);
        return new FileRenameResponse();
    }

    /// <summary>ObtainFile within the server's own store: copies the source file to the destination name.</summary>
    private ServiceResult ObtainFile(ObtainFileRequest request)
    {
        if (CheckWritable(request.SourceFile, out var from) is { } e) return e;
        if (CheckWritable(request.DestinationFile, out var to) is { } e2) return e2;
        if (!File.Exists(from)) return MmsServiceError.FileNonExistent($"'{request.SourceFile}' does not exist");
        if (File.Exists(to)) return MmsServiceError.DuplicateFilename($"'{request.DestinationFile}' already exists");
        var dir = Path.GetDirectoryName(to);
        if (dir is not null) Directory.CreateDirectory(dir);
        File.Copy(from, to);
        return new ObtainFileResponse();
    }

    private void CloseAllFiles()
    {
        foreach (var f in _openFiles.Values) f.Dispose();
        _openFiles.Clear();
    }
}
