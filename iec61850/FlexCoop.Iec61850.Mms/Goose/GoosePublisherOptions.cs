using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Iec61850.Model;

namespace FlexCoop.Iec61850.Mms.Goose;

/// <summary>
/// What a GOOSE publisher sends and how often: the control block's identity (gocbRef, datSet, goID,
/// confRev), its multicast address (MAC, APPID, VLAN) and the retransmission times. Build it from an
/// SCL <c>GSEControl</c> with <see cref="FromControlBlock"/>.
/// </summary>
public sealed record GoosePublisherOptions
{
    /// <summary><c>LD/LLN0$GO$name</c>.</summary>
    public required string GocbRef { get; init; }

    /// <summary><c>LD/LLN0$DataSetName</c>.</summary>
    public required string DatSet { get; init; }

    /// <summary>The goID (SCL <c>appID</c>); null leaves it out of the PDU.</summary>
    public string? GoId { get; init; }

    public uint ConfRev { get; init; } = 1;
    public bool NdsCom { get; init; }

    /// <summary>Marks messages as simulated (PDU <c>simulation</c> and the Reserved 1 flag).</summary>
    public bool Simulation { get; init; }

    /// <summary>Destination multicast address; 8-1 recommends 01-0C-CD-01-00-00..01-0C-CD-01-01-FF.</summary>
    public MacAddress Destination { get; init; } = MacAddress.Parse("01-0C-CD-01-00-00");

    /// <summary>Source address: the sending interface's (the live transport fills it in).</summary>
    public MacAddress Source { get; init; }

    public ushort AppId { get; init; }

    /// <summary>802.1Q tag; 8-1's default is priority 4 on VLAN 0. Null sends untagged frames.</summary>
    public VlanTag? Vlan { get; init; } = new VlanTag(4, 0);

    /// <summary>First retransmission interval after a change (SCL <c>MinTime</c>).</summary>
    public TimeSpan MinTime { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Steady-state retransmission interval (SCL <c>MaxTime</c>).</summary>
    public TimeSpan MaxTime { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Throws <see cref="ArgumentException"/> when the options cannot describe a publisher.</summary>
    public void Validate()
    {
        if (string.IsNullOrEmpty(GocbRef)) throw new ArgumentException("GocbRef is required", nameof(GocbRef));
        if (string.IsNullOrEmpty(DatSet)) throw new ArgumentException("DatSet is required", nameof(DatSet));
        if (MinTime <= TimeSpan.Zero) throw new ArgumentException("MinTime must be positive", nameof(MinTime));
        if (MaxTime < MinTime) throw new ArgumentException("MaxTime must not be less than MinTime", nameof(MaxTime));
        if (MaxTime.TotalMilliseconds * 2 > uint.MaxValue) throw new ArgumentException("MaxTime is too large for timeAllowedtoLive", nameof(MaxTime));
        if (!Destination.IsMulticast) throw new ArgumentException($"destination {Destination} is not a multicast address", nameof(Destination));
    }

    /// <summary>
    /// The options of a GOOSE control block of an SCL model: gocbRef and datSet in their MMS form,
    /// goID from <c>appID</c>, confRev, and MAC/APPID/VLAN/MinTime/MaxTime from the
    /// <c>Communication/SubNetwork/ConnectedAP/GSE</c> element (8-1 defaults where it is absent).
    /// </summary>
    public static GoosePublisherOptions FromControlBlock(GseControlBlock controlBlock)
    {
        ArgumentNullException.ThrowIfNull(controlBlock);
        if (controlBlock.Fc != FunctionalConstraint.GO) throw new ArgumentException($"{controlBlock.Reference} is a GSSE control block, not GOOSE", nameof(controlBlock));
        var dataSet = controlBlock.DataSet ?? throw new ArgumentException($"{controlBlock.Reference} has no data set", nameof(controlBlock));
        var ln = controlBlock.LogicalNode!;
        var ld = ln.LogicalDevice.Name;
        var options = new GoosePublisherOptions
        {
            GocbRef = $"{ld}/{ln.Name}$GO${controlBlock.Name}",
            DatSet = $"{dataSet.LogicalNode.LogicalDevice.Name}/{dataSet.LogicalNode.Name}${dataSet.Name}",
            GoId = string.IsNullOrEmpty(controlBlock.Source.AppId) ? $"{ld}/{ln.Name}$GO${controlBlock.Name}" : controlBlock.Source.AppId,
            ConfRev = controlBlock.Source.ConfRev,
        };
        if (controlBlock.Address is { } gse)
        {
            var address = gse.Address;
            if (address.MacAddress is { } mac) options = options with { Destination = MacAddress.FromBytes(mac) };
            if (address.AppId is { } appId) options = options with { AppId = appId };
            if (address.VlanId is not null || address.VlanPriority is not null)
            {
                options = options with { Vlan = new VlanTag(address.VlanPriority ?? 4, (ushort)((address.VlanId ?? 0) & 0xFFF)) };
            }
            if (gse.MinTime is { } min and > 0) options = options with { MinTime = TimeSpan.FromMilliseconds(min) };
            if (gse.MaxTime is { } max and > 0) options = options with { MaxTime = TimeSpan.FromMilliseconds(max) };
            if (options.MaxTime < options.MinTime) options = options with { MaxTime = options.MinTime };
        }
        return options;
    }

    /// <summary>
    /// The current values of the control block's data set members in an MMS value store built from the
    /// model (<see cref="Iec61850MmsMapping.BuildVmd(IedModel)"/> or a running server's <c>Mms.Vmd</c>).
    /// </summary>
    public static IReadOnlyList<MmsValue> DataSetValues(GseControlBlock controlBlock, Server.MmsVmd vmd)
    {
        ArgumentNullException.ThrowIfNull(controlBlock);
        ArgumentNullException.ThrowIfNull(vmd);
        var dataSet = controlBlock.DataSet ?? throw new ArgumentException($"{controlBlock.Reference} has no data set", nameof(controlBlock));
        return dataSet.Members.Select(m => vmd.GetValue(m.MmsDomainName, m.MmsItemId)).ToArray();
    }
}
