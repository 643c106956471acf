using System.Collections.Concurrent;
using FlexCoop.Iec61850.Mms.Ber;

namespace FlexCoop.Iec61850.Mms.Client;

public sealed partial class MmsClient
{
    private readonly ConcurrentDictionary<string, string> _offeredFiles = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, FileStream> _servedFiles = new();
    private int _nextServedFrsm;

    /// <summary>Files the client serves at once while the server obtains them.</summary>
    private const int MaxServedFiles = 4;

    /// <summary>
    /// SetFile (IEC 61850) over MMS ObtainFile: offers the local file <paramref name="localPath"/> to the
    /// server, which fetches it with FileOpen/FileRead/FileClose requests on this association and stores
    /// it as <paramref name="destinationFile"/>. Only this file is served, and only until the server answers.
    /// </summary>
    public async Task SetFileAsync(string localPath, string destinationFile, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(localPath);
        ArgumentException.ThrowIfNullOrEmpty(destinationFile);
        var full = Path.GetFullPath(localPath);
        if (!File.Exists(full)) throw new FileNotFoundException($"'{localPath}' does not exist", localPath);
        var offer = Path.GetFileName(full);
        if (!_offeredFiles.TryAdd(offer, full)) throw new InvalidOperationException($"a file named '{offer}' is already being sent");
        try
        {
            await RequestAsync<ObtainFileResponse>(new ObtainFileRequest(offer, destinationFile), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _offeredFiles.TryRemove(offer, out _);
            foreach (var (id, stream) in _servedFiles)
            {
                if (stream.Name == full && _servedFiles.TryRemove(id, out _)) await stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>A confirmed request from the server: the file transfer of an ObtainFile we asked for; anything else is rejected.</summary>
    private async Task AnswerServerRequestAsync(ConfirmedRequestPdu request)
    {
        MmsPdu reply = request.Request switch
        {
            FileOpenRequest open => Reply(request.InvokeId, ServeOpen(open)),
            FileReadRequest read => Reply(request.InvokeId, ServeRead(read)),
            FileCloseRequest close => Reply(request.InvokeId, ServeClose(close)),
            _ => new RejectPdu(request.InvokeId, MmsRejectReason.UnrecognizedService),
        };
        var writer = new BerWriter(256);
        MmsPduCodec.Encode(writer, reply);
        Inspect(MmsPduDirection.Sent, writer.WrittenSpan);
        try
        {
            await _transport.WriteMmsAsync(writer.WrittenSpan, _closing.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MmsException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // the association ended meanwhile
        }
    }

    private static MmsPdu Reply(uint invokeId, object result) => result switch
    {
        MmsResponse r => new ConfirmedResponsePdu(invokeId, r),
        _ => new ConfirmedErrorPdu(invokeId, (MmsServiceError)result),
    };

    private object ServeOpen(FileOpenRequest request)
    {
        if (!_offeredFiles.TryGetValue(request.FileName, out var path)) return MmsServiceError.FileNonExistent($"this client offers no file '{request.FileName}'");
        if (_servedFiles.Count >= MaxServedFiles) return MmsServiceError.CapabilityUnavailable("too many open files");
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return MmsServiceError.FileAccessDenied(ex.Message);
        }
        if (request.InitialPosition > stream.Length)
        {
            stream.Dispose();
            return new MmsServiceError(MmsErrorClass.File, 5, "initial position beyond the end of the file");
        }
        stream.Position = request.InitialPosition;
        var id = Interlocked.Increment(ref _nextServedFrsm);
        _servedFiles[id] = stream;
        return new FileOpenResponse(id, new MmsFileAttributes((uint)Math.Min(uint.MaxValue, stream.Length), new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero)));
    }

    private object ServeRead(FileReadRequest request)
    {
        if (!_servedFiles.TryGetValue(request.FrsmId, out var stream)) return new MmsServiceError(MmsErrorClass.File, 0, $"no open file with FRSM id {request.FrsmId}");
        // The server takes PDUs of up to the size it negotiated; keep room for the response's own octets.
        var chunk = new byte[Math.Clamp(Negotiated.LocalDetail - 64, 64, 65_000)];
        var n = stream.Read(chunk, 0, chunk.Length);
        return new FileReadResponse(chunk.AsSpan(0, n).ToArray(), stream.Position < stream.Length);
    }

    private object ServeClose(FileCloseRequest request)
    {
        if (!_servedFiles.TryRemove(request.FrsmId, out var stream)) return new MmsServiceError(MmsErrorClass.File, 0, $"no open file with FRSM id {request.FrsmId}");
        stream.Dispose();
        return new FileCloseResponse();
    }

    private void CloseServedFiles()
    {
        foreach (var (id, stream) in _servedFiles)
        {
            if (_servedFiles.TryRemove(id, out _)) stream.Dispose();
        }
    }
}
