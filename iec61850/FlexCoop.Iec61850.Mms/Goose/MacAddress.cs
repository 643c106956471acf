using System.Globalization;

namespace FlexCoop.Iec61850.Mms.Goose;

/// <summary>A 48-bit Ethernet (MAC) address. GOOSE destinations are multicast addresses, by convention <c>01-0C-CD-01-xx-xx</c>.</summary>
public readonly record struct MacAddress
{
    private readonly ulong _value;

    private MacAddress(ulong value) => _value = value;

    /// <summary>From six octets, first octet first on the wire.</summary>
    public static MacAddress FromBytes(ReadOnlySpan<byte> octets)
    {
        if (octets.Length != 6) throw new ArgumentException("a MAC address has six octets", nameof(octets));
        ulong v = 0;
        foreach (var b in octets) v = (v << 8) | b;
        return new MacAddress(v);
    }

    /// <summary>Parses <c>01-0C-CD-01-00-01</c> or <c>01:0c:cd:01:00:01</c>.</summary>
    public static MacAddress Parse(string text) =>
        TryParse(text, out var mac) ? mac : throw new FormatException($"'{text}' is not a MAC address (six hexadecimal octets separated by '-' or ':')");

    public static bool TryParse(string? text, out MacAddress address)
    {
        address = default;
        if (text is null) return false;
        var parts = text.Split('-', ':');
        if (parts.Length != 6) return false;
        ulong v = 0;
        foreach (var p in parts)
        {
            if (p.Length != 2 || !byte.TryParse(p, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b)) return false;
            v = (v << 8) | b;
        }
        address = new MacAddress(v);
        return true;
    }

    /// <summary>True for a group (multicast or broadcast) address: the least significant bit of the first octet.</summary>
    public bool IsMulticast => (_value >> 40 & 1) != 0;

    public void CopyTo(Span<byte> destination)
    {
        for (var i = 0; i < 6; i++) destination[i] = (byte)(_value >> (40 - 8 * i));
    }

    public byte[] ToArray()
    {
        var bytes = new byte[6];
        CopyTo(bytes);
        return bytes;
    }

    public override string ToString()
    {
        Span<byte> b = stackalloc byte[6];
        CopyTo(b);
        return string.Create(CultureInfo.InvariantCulture, $"{b[0]:X2}-{b[1]:X2}-{b[2]:X2}-{b[3]:X2}-{b[4]:X2}-{b[5]:X2}");
    }
}

/// <summary>An IEEE 802.1Q tag: priority code point (0..7) and VLAN identifier (0..4095; 0 = priority tag only).</summary>
public readonly record struct VlanTag
{
    public VlanTag(byte priority, ushort id, bool dropEligible = false)
    {
        if (priority > 7) throw new ArgumentOutOfRangeException(nameof(priority), "802.1Q priority is 0..7");
        if (id > 0xFFF) throw new ArgumentOutOfRangeException(nameof(id), "802.1Q VLAN identifier is 0..4095");
        Priority = priority;
        Id = id;
        DropEligible = dropEligible;
    }

    public byte Priority { get; }
    public ushort Id { get; }
    public bool DropEligible { get; }

    /// <summary>The tag control information: PCP (3 bits), DEI (1 bit), VID (12 bits).</summary>
    public ushort Tci => (ushort)(Priority << 13 | (DropEligible ? 0x1000 : 0) | Id);

    public static VlanTag FromTci(ushort tci) => new((byte)(tci >> 13), (ushort)(tci & 0xFFF), (tci & 0x1000) != 0);
}
