using System.Buffers;
using System.Runtime.CompilerServices;
using FlexCoop.Iec61850.Mms.Iso;

namespace FlexCoop.Iec61850.Mms.Internal;

/// <summary>TPKT/COTP over a stream: reads TPDUs, reassembles TSDUs, writes packets under one lock.</summary>
internal sealed class IsoTransport : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly bool _pooled;
    private byte[] _tsdu;
    private int _tsduLength;

    /// <param name="stream">The connection.</param>
    /// <param name="maxTsduLength">Largest reassembled TSDU accepted.</param>
    /// <param name="pooled">
    /// Rent the receive and reassembly buffers from <see cref="ArrayPool{T}.Shared"/>; the owner then calls
    /// <see cref="ReturnBuffers"/> once nothing reads any more (a server association, after its read loop ended).
    /// </param>
    public IsoTransport(Stream stream, int maxTsduLength, bool pooled = false)
    {
        _stream = stream;
        MaxTsduLength = maxTsduLength;
        _pooled = pooled;
        _receive = pooled ? ArrayPool<byte>.Shared.Rent(ReceiveBufferLength) : new byte[ReceiveBufferLength];
        _tsdu = pooled ? ArrayPool<byte>.Shared.Rent(8192) : new byte[8192];
    }

    /// <summary>Gives pooled receive buffers back (only when no read is running or will run again); idempotent.</summary>
    public void ReturnBuffers()
    {
        if (!_pooled) return;
        var receive = Interlocked.Exchange(ref _receive, []);
        var tsdu = Interlocked.Exchange(ref _tsdu, []);
        if (receive.Length > 0) ArrayPool<byte>.Shared.Return(receive);
        if (tsdu.Length > 0) ArrayPool<byte>.Shared.Return(tsdu);
    }

    /// <summary>Negotiated TPDU size (outgoing DT segments never exceed it).</summary>
    public int TpduSize { get; set; } = Cotp.DefaultTpduSize;

    /// <summary>Largest reassembled TSDU accepted.</summary>
    public int MaxTsduLength { get; set; }

    /// <summary>Called with every TPKT packet read or written (for inspection).</summary>
    public Action<bool, ReadOnlyMemory<byte>>? Inspector { get; set; }

    /// <summary>Room for two whole TPKT packets: whatever the socket delivers is taken in one read and parsed from here.</summary>
    private const int ReceiveBufferLength = 2 * Tpkt.MaxLength;

    private byte[] _receive;
    private int _receiveStart;
    private int _receiveEnd;

    /// <summary>Makes at least <paramref name="count"/> unread octets available in the receive buffer.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask FillAsync(int count, CancellationToken cancellationToken)
    {
        if (_receiveEnd - _receiveStart >= count) return;
        if (_receiveStart > 0)
        {
            Buffer.BlockCopy(_receive, _receiveStart, _receive, 0, _receiveEnd - _receiveStart);
            _receiveEnd -= _receiveStart;
            _receiveStart = 0;
        }
        while (_receiveEnd < count)
        {
            var n = await _stream.ReadAsync(_receive.AsMemory(_receiveEnd), cancellationToken).ConfigureAwait(false);
            if (n == 0) throw new EndOfStreamException();
            _receiveEnd += n;
        }
    }

    /// <summary>Reads one TPKT packet; returns the TPDU (valid until the next read).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ReadOnlyMemory<byte>> ReadTpduAsync(CancellationToken cancellationToken)
    {
        try
        {
            await FillAsync(Tpkt.HeaderLength, cancellationToken).ConfigureAwait(false);
            var length = Tpkt.ReadLength(_receive.AsSpan(_receiveStart, Tpkt.HeaderLength));
            await FillAsync(length, cancellationToken).ConfigureAwait(false);
            var packet = _receive.AsMemory(_receiveStart, length);
            _receiveStart += length;
            Inspector?.Invoke(false, packet.ToArray());
            return packet[Tpkt.HeaderLength..];
        }
        catch (EndOfStreamException ex)
        {
            throw new MmsProtocolException("the peer closed the connection", ex);
        }
        catch (IOException ex)
        {
            throw new MmsProtocolException("the connection failed: " + ex.Message, ex);
        }
    }

    /// <summary>Reads DT TPDUs until end-of-TSDU; the result is valid until the next read. A DR ends the connection.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ReadOnlyMemory<byte>> ReadTsduAsync(CancellationToken cancellationToken)
    {
        _tsduLength = 0;
        while (true)
        {
            var tpdu = await ReadTpduAsync(cancellationToken).ConfigureAwait(false);
            var decoded = Cotp.Decode(tpdu.Span);
            switch (decoded)
            {
                case CotpData dt:
                    {
                        if (_tsduLength + dt.DataLength > MaxTsduLength)
                        {
                            throw new MmsDecodeException("cotp", $"TSDU exceeds {MaxTsduLength} octets", _tsduLength);
                        }
                        if (_tsduLength + dt.DataLength > _tsdu.Length)
                        {
                            GrowTsdu(Math.Min(MaxTsduLength, Math.Max(_tsdu.Length * 2, _tsduLength + dt.DataLength)));
                        }
                        tpdu.Span.Slice(dt.DataOffset, dt.DataLength).CopyTo(_tsdu.AsSpan(_tsduLength));
                        _tsduLength += dt.DataLength;
                        if (dt.EndOfTsdu) return _tsdu.AsMemory(0, _tsduLength);
                        break;
                    }
                case CotpDisconnectRequest dr:
                    throw new MmsProtocolException($"the peer disconnected the transport (COTP DR, reason {dr.Reason})");
                default:
                    throw new MmsDecodeException("cotp", $"{decoded.GetType().Name} is not expected after connection", 0);
            }
        }
    }

    private void GrowTsdu(int size)
    {
        if (!_pooled)
        {
            Array.Resize(ref _tsdu, size);
            return;
        }
        var larger = ArrayPool<byte>.Shared.Rent(size);
        _tsdu.AsSpan(0, _tsduLength).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_tsdu);
        _tsdu = larger;
    }

    public async ValueTask WriteRawAsync(ReadOnlyMemory<byte> packets, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Inspector?.Invoke(true, packets.ToArray());
            await _stream.WriteAsync(packets, cancellationToken).ConfigureAwait(false);
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new MmsProtocolException("the connection failed: " + ex.Message, ex);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Sends a TSDU as DT TPDUs.</summary>
    public ValueTask WriteTsduAsync(ReadOnlySpan<byte> tsdu, CancellationToken cancellationToken)
    {
        var buffer = new PooledBufferWriter(tsdu.Length + 16);
        Cotp.WriteData(buffer, tsdu, TpduSize);
        return WriteAndReturnAsync(buffer, cancellationToken);
    }

    /// <summary>Sends an MMS PDU in the MMS presentation context.</summary>
    public ValueTask WriteMmsAsync(ReadOnlySpan<byte> mmsPdu, CancellationToken cancellationToken)
    {
        var buffer = new PooledBufferWriter(mmsPdu.Length + 32);
        MmsFraming.WriteMmsData(buffer, mmsPdu, TpduSize);
        return WriteAndReturnAsync(buffer, cancellationToken);
    }

    /// <summary>Writes the frames, then gives their buffer back to the pool.</summary>
    private async ValueTask WriteAndReturnAsync(PooledBufferWriter frames, CancellationToken cancellationToken)
    {
        try
        {
            await WriteRawAsync(frames.WrittenMemory, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            frames.Return();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync().ConfigureAwait(false);
        _writeLock.Dispose();
    }
}
