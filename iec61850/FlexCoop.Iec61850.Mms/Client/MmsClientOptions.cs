using FlexCoop.Iec61850.Mms.Iso;

namespace FlexCoop.Iec61850.Mms.Client;

/// <summary>Settings of an <see cref="MmsClient"/> association; validated when connecting.</summary>
public sealed record MmsClientOptions
{
    public const int DefaultPort = 102;

    /// <summary>Password for ACSE authentication (mechanism 2.2.3.1); none when null.</summary>
    public string? Password { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Time a confirmed request may take before it fails with <see cref="TimeoutException"/>.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>MMS PDU size proposed in initiate (localDetailCalling).</summary>
    public int ProposedPduSize { get; init; } = 65000;

    /// <summary>Outstanding requests proposed (the negotiated value is honoured).</summary>
    public int ProposedMaxServOutstanding { get; init; } = 10;

    /// <summary>Proposed data structure nesting level.</summary>
    public int ProposedNestingLevel { get; init; } = 10;

    /// <summary>TPDU size proposed in the COTP CR (128..65531).</summary>
    public int TpduSize { get; init; } = Cotp.DefaultTpduSize;

    /// <summary>
    /// Called with every TPKT packet sent or received, from the COTP connection request on (for captures
    /// and conformance tests; on the I/O path: keep it quick).
    /// </summary>
    public Action<MmsPduDirection, ReadOnlyMemory<byte>>? PacketInspector { get; init; }

    public byte[] CallingTsap { get; init; } = [0x00, 0x01];
    public byte[] CalledTsap { get; init; } = [0x00, 0x01];
    public byte[] CallingSessionSelector { get; init; } = [0x00, 0x01];
    public byte[] CalledSessionSelector { get; init; } = [0x00, 0x01];
    public byte[] CallingPresentationSelector { get; init; } = [0x00, 0x00, 0x00, 0x01];
    public byte[] CalledPresentationSelector { get; init; } = [0x00, 0x00, 0x00, 0x01];
    public AcseAddress Called { get; init; } = new("1.1.1.999.1", 12);
    public AcseAddress Calling { get; init; } = new("1.1.1.999", 12);

    internal void Validate()
    {
        if (ProposedPduSize is < 256 or > 1_000_000) throw new ArgumentOutOfRangeException(nameof(ProposedPduSize), "256..1000000 octets");
        if (TpduSize is < Cotp.MinTpduSize or > Cotp.MaxTpduSize) throw new ArgumentOutOfRangeException(nameof(TpduSize), "128..65531 octets");
        if (ProposedMaxServOutstanding is < 1 or > 1000) throw new ArgumentOutOfRangeException(nameof(ProposedMaxServOutstanding));
        if (RequestTimeout <= TimeSpan.Zero || ConnectTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(RequestTimeout));
    }
}
