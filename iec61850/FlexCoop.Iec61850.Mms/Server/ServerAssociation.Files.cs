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

    private int _obtainsRunning;

    /// <summary>
    /// ObtainFile (ISO 9506 file management, IEC 61850 SetFile): the client asks the server to fetch
    /// <see cref="ObtainFileRequest.SourceFile"/> from the client's own file store into the server's store as
    /// <see cref="ObtainFileRequest.DestinationFile"/>. The server opens, reads and closes the source on the
    /// client with FileOpen/FileRead/FileClose requests of its own on this association, writes a temporary
    /// file and renames it into place once complete; the ObtainFile response (or error) goes out then.
    /// One transfer per association at a time, bounded by <see cref="MmsServerOptions.MaxObtainFileSize"/>.
    /// </summary>
    private void StartObtainFile(uint invokeId, ObtainFileRequest request)
    {
        _ = RunDetachedAsync(async () =>
        {
            ServiceResult result;
            try
            {
                result = Interlocked.Increment(ref _obtainsRunning) > 1
                    ? MmsServiceError.CapabilityUnavailable("one ObtainFile at a time per association")
                    : await ObtainFromClientAsync(request).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _obtainsRunning);
            }
            MmsPdu reply = result.Response is { } response ? new ConfirmedResponsePdu(invokeId, response) : new ConfirmedErrorPdu(invokeId, result.Error!);
            await SendPduBytesAsync(MmsPduCodec.Encode(reply), CancellationToken.None).ConfigureAwait(false);
        });
    }

    private async Task<ServiceResult> ObtainFromClientAsync(ObtainFileRequest request)
    {
        if (CheckWritable(request.DestinationFile, out var to) is { } e) return e;
        if (request.SourceFile.Length is 0 or > 255) return MmsServiceError.FilenameSyntaxError("the source file name must be 1..255 characters");
        if (File.Exists(to) || Directory.Exists(to)) return MmsServiceError.DuplicateFilename($"'{request.DestinationFile}' already exists");
        var temp = to + ".obtain-" + Guid.NewGuid().ToString("N");
        int? frsm = null;
        try
        {
            var open = await RequestFromClientAsync(new FileOpenRequest(request.SourceFile, 0)).ConfigureAwait(false) as FileOpenResponse
                ?? throw new MmsProtocolException("the client answered FileOpen with another service");
            frsm = open.FrsmId;
            if (open.Attributes.Size > Options.MaxObtainFileSize)
            {
                return MmsServiceError.CapabilityUnavailable($"'{request.SourceFile}' has {open.Attributes.Size} octets; this server takes at most {Options.MaxObtainFileSize}");
            }
            var dir = Path.GetDirectoryName(to);
            if (dir is not null) Directory.CreateDirectory(dir);
            await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                long total = 0;
                while (true)
                {
                    var chunk = await RequestFromClientAsync(new FileReadRequest(open.FrsmId)).ConfigureAwait(false) as FileReadResponse
                        ?? throw new MmsProtocolException("the client answered FileRead with another service");
                    total += chunk.FileData.Length;
                    if (total > Options.MaxObtainFileSize) return MmsServiceError.CapabilityUnavailable($"the file is larger than {Options.MaxObtainFileSize} octets");
                    await output.WriteAsync(chunk.FileData).ConfigureAwait(false);
                    if (!chunk.MoreFollows) break;
                    if (chunk.FileData.Length == 0) throw new MmsProtocolException("the client sent an empty FileRead with moreFollows");
                }
            }
            frsm = null;
            await RequestFromClientAsync(new FileCloseRequest(open.FrsmId)).ConfigureAwait(false);
            if (File.Exists(to)) return MmsServiceError.DuplicateFilename($"'{request.DestinationFile}' appeared meanwhile");
            File.Move(temp, to);
            return new ObtainFileResponse();
        }
        catch (MmsServiceErrorException ex)
        {
            return new MmsServiceError(MmsErrorClass.File, ex.Error.Class == MmsErrorClass.File ? ex.Error.Code : 0, $"the client could not provide '{request.SourceFile}': {ex.Error}");
        }
        catch (Exception ex) when (ex is MmsException or TimeoutException or IOException or UnauthorizedAccessException)
        {
            return MmsServiceError.OtherService($"obtaining '{request.SourceFile}' failed: {ex.Message}");
        }
        finally
        {
            if (frsm is { } open)
            {
                try
                {
                    await RequestFromClientAsync(new FileCloseRequest(open)).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is MmsException or TimeoutException)
                {
                    // best effort: the client closes its files when the association ends
                }
            }
            try
            {
                File.Delete(temp);
            }
            catch (IOException)
            {
                // left behind; never served under the destination name
            }
        }
    }

    private void CloseAllFiles()
    {
        foreach (var f in _openFiles.Values) f.Dispose();
        _openFiles.Clear();
    }
}
