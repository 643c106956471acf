namespace FlexCoop.Iec61850.Mms.Acsi;

/// <summary>Validity of an IEC 61850 quality (first two bits).</summary>
public enum QualityValidity
{
    Good = 0,
    Invalid = 1,
    Reserved = 2,
    Questionable = 3,
}

/// <summary>
/// The IEC 61850 quality: validity, detail quality flags, source (substituted), test and
/// operator blocked, as the 13-bit MMS bit string of 8-1.
/// </summary>
public readonly record struct Iec61850Quality(QualityValidity Validity, ushort DetailQuality = 0, bool Substituted = false, bool Test = false, bool OperatorBlocked = false)
{
    public static readonly Iec61850Quality Good = new(QualityValidity.Good);

    /// <summary>detailQual bits in order: overflow, outOfRange, badReference, oscillatory, failure, oldData, inconsistent, inaccurate.</summary>
    public bool this[int detailBit] => (DetailQuality & (1 << detailBit)) != 0;

    public MmsBitString ToBitString()
    {
        var bits = new List<int>();
        var v = (int)Validity;
        if ((v & 2) != 0) bits.Add(0);
        if ((v & 1) != 0) bits.Add(1);
        for (var i = 0; i < 8; i++)
        {
            if ((DetailQuality & (1 << i)) != 0) bits.Add(2 + i);
        }
        if (Substituted) bits.Add(10);
        if (Test) bits.Add(11);
        if (OperatorBlocked) bits.Add(12);
        return MmsBitString.FromBits(13, bits.ToArray());
    }

    public static Iec61850Quality FromBitString(MmsBitString bits)
    {
        ArgumentNullException.ThrowIfNull(bits);
        var validity = (QualityValidity)((bits[0] ? 2 : 0) | (bits[1] ? 1 : 0));
        ushort detail = 0;
        for (var i = 0; i < 8; i++)
        {
            if (bits[2 + i]) detail |= (ushort)(1 << i);
        }
        return new Iec61850Quality(validity, detail, bits[10], bits[11], bits[12]);
    }
}
