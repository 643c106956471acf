using System.Globalization;

namespace FlexCoop.Iec61850.Scl;

/// <summary><c>Communication</c>: the subnetworks and the access points connected to them.</summary>
public sealed record SclCommunication
{
    public IReadOnlyList<SclSubNetwork> SubNetworks { get; init; } = [];
    public SclPosition Position { get; init; }

    /// <summary>The connected access point of <paramref name="iedName"/>/<paramref name="apName"/> (any subnetwork), or null.</summary>
    public SclConnectedAP? FindConnectedAP(string iedName, string apName) =>
        SubNetworks.SelectMany(s => s.ConnectedAPs)
            .FirstOrDefault(c => string.Equals(c.IedName, iedName, StringComparison.Ordinal) && string.Equals(c.ApName, apName, StringComparison.Ordinal));
}

/// <summary><c>SubNetwork</c>.</summary>
public sealed record SclSubNetwork
{
    public required string Name { get; init; }
    public string? Type { get; init; }
    public string? Desc { get; init; }

    /// <summary><c>BitRate</c> text with its unit and multiplier as written, e.g. <c>100 M b/s</c>.</summary>
    public string? BitRate { get; init; }
    public IReadOnlyList<SclConnectedAP> ConnectedAPs { get; init; } = [];
    public SclPosition Position { get; init; }
}

/// <summary><c>ConnectedAP</c>: an IED's access point on a subnetwork with its addresses.</summary>
public sealed record SclConnectedAP
{
    public required string IedName { get; init; }
    public required string ApName { get; init; }
    public SclAddress Address { get; init; } = SclAddress.Empty;
    public IReadOnlyList<SclGseAddress> Gse { get; init; } = [];
    public IReadOnlyList<SclSmvAddress> Smv { get; init; } = [];
    public SclPosition Position { get; init; }
}

/// <summary>
/// <c>Address</c>: its <c>P</c> elements (<c>IP</c>, <c>IP-SUBNET</c>, <c>IP-GATEWAY</c>,
/// <c>OSI-AP-Title</c>, <c>OSI-AE-Qualifier</c>, <c>OSI-PSEL</c>, <c>OSI-SSEL</c>, <c>OSI-TSEL</c>,
/// <c>MAC-Address</c>, <c>APPID</c>, <c>VLAN-ID</c>, <c>VLAN-PRIORITY</c>, ...) in document order.
/// </summary>
public sealed record SclAddress
{
    public static readonly SclAddress Empty = new();

    public IReadOnlyList<SclAddressParameter> Parameters { get; init; } = [];

    /// <summary>The value of the <c>P</c> of type <paramref name="type"/>, or null.</summary>
    public string? this[string type] =>
        Parameters.FirstOrDefault(p => string.Equals(p.Type, type, StringComparison.Ordinal))?.Value;

    /// <summary><c>IP</c>.</summary>
    public string? Ip => this["IP"];

    /// <summary><c>MAC-Address</c> as six bytes, or null when absent or malformed.</summary>
    public byte[]? MacAddress => ParseMac(this["MAC-Address"]);

    /// <summary><c>APPID</c> (hexadecimal in SCL), or null.</summary>
    public ushort? AppId => ParseHex16(this["APPID"]);

    /// <summary><c>VLAN-ID</c> (hexadecimal in SCL), or null.</summary>
    public ushort? VlanId => ParseHex16(this["VLAN-ID"]);

    /// <summary><c>VLAN-PRIORITY</c> (0..7), or null.</summary>
    public byte? VlanPriority =>
        byte.TryParse(this["VLAN-PRIORITY"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p <= 7 ? p : null;

    internal static byte[]? ParseMac(string? text)
    {
        if (text is null) return null;
        var parts = text.Split('-', ':');
        if (parts.Length != 6) return null;
        var bytes = new byte[6];
        for (var i = 0; i < 6; i++)
        {
            if (parts[i].Length != 2 || !byte.TryParse(parts[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i])) return null;
        }
        return bytes;
    }

    internal static ushort? ParseHex16(string? text) =>
        text is { Length: > 0 and <= 4 } && ushort.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v) ? v : null;
}

/// <summary>One <c>P</c> of an address.</summary>
public sealed record SclAddressParameter(string Type, string Value);

/// <summary><c>GSE</c>: the multicast address of a GSE control block.</summary>
public sealed record SclGseAddress
{
    public required string LdInst { get; init; }
    public required string CbName { get; init; }
    public SclAddress Address { get; init; } = SclAddress.Empty;

    /// <summary><c>MinTime</c> in milliseconds, or null.</summary>
    public uint? MinTime { get; init; }

    /// <summary><c>MaxTime</c> in milliseconds, or null.</summary>
    public uint? MaxTime { get; init; }
    public SclPosition Position { get; init; }
}

/// <summary><c>SMV</c>: the multicast address of a sampled value control block.</summary>
public sealed record SclSmvAddress
{
    public required string LdInst { get; init; }
    public required string CbName { get; init; }
    public SclAddress Address { get; init; } = SclAddress.Empty;
    public SclPosition Position { get; init; }
}
