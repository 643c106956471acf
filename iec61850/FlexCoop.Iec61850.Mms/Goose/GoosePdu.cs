namespace FlexCoop.Iec61850.Mms.Goose;

/// <summary>
/// The IEC 61850-8-1 <c>IECGoosePdu</c> ([APPLICATION 1]): the GOOSE message of one control block,
/// carrying every member of its data set.
/// </summary>
public sealed record GoosePdu
{
    /// <summary><c>gocbRef</c> [0]: the control block, MMS style <c>LD/LLN0$GO$name</c> (VisString129).</summary>
    public required string GocbRef { get; init; }

    /// <summary><c>timeAllowedtoLive</c> [1] in milliseconds: how long the subscriber waits for the next message.</summary>
    public uint TimeAllowedToLive { get; init; }

    /// <summary><c>datSet</c> [2]: the data set, MMS style <c>LD/LLN0$DataSetName</c>.</summary>
    public required string DatSet { get; init; }

    /// <summary><c>goID</c> [3], optional: the <c>appID</c> attribute of the SCL <c>GSEControl</c>.</summary>
    public string? GoId { get; init; }

    /// <summary><c>t</c> [4]: when <see cref="StNum"/> last changed.</summary>
    public MmsUtcTime T { get; init; } = new(0, 0, 0);

    /// <summary><c>stNum</c> [5]: incremented on every change of a data set value.</summary>
    public uint StNum { get; init; }

    /// <summary><c>sqNum</c> [6]: 0 on a change, incremented on every retransmission.</summary>
    public uint SqNum { get; init; }

    /// <summary><c>simulation</c> [7] (<c>test</c> in edition 1).</summary>
    public bool Simulation { get; init; }

    /// <summary><c>confRev</c> [8]: the configuration revision of the data set.</summary>
    public uint ConfRev { get; init; }

    /// <summary><c>ndsCom</c> [9]: needs commissioning.</summary>
    public bool NdsCom { get; init; }

    /// <summary><c>numDatSetEntries</c> [10]: always the number of <see cref="AllData"/> entries.</summary>
    public uint NumDatSetEntries => (uint)AllData.Count;

    /// <summary><c>allData</c> [11]: the data set's values in member order.</summary>
    public IReadOnlyList<MmsValue> AllData { get; init; } = [];
}

/// <summary>
/// One GOOSE Ethernet frame: destination and source addresses, an optional 802.1Q tag, EtherType
/// 0x88B8, the APPID, the two reserved words and the PDU. The length field is derived on encoding.
/// </summary>
public sealed record GooseFrame
{
    public MacAddress Destination { get; init; }
    public MacAddress Source { get; init; }

    /// <summary>The 802.1Q tag (priority and VLAN), or null for an untagged frame.</summary>
    public VlanTag? Vlan { get; init; }

    /// <summary>APPID (8-1: 0x0000..0x3FFF for GOOSE).</summary>
    public ushort AppId { get; init; }

    /// <summary>Reserved 1; edition 2 puts the simulation flag in its top bit (see <see cref="GooseCodec.SimulationBit"/>).</summary>
    public ushort Reserved1 { get; init; }

    /// <summary>Reserved 2 (IEC 62351-6 uses it for a CRC; 0 otherwise).</summary>
    public ushort Reserved2 { get; init; }

    public required GoosePdu Pdu { get; init; }
}
