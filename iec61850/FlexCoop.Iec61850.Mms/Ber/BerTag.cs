namespace FlexCoop.Iec61850.Mms.Ber;

/// <summary>The class bits of a BER identifier octet.</summary>
public enum BerClass : byte
{
    Universal = 0x00,
    Application = 0x40,
    ContextSpecific = 0x80,
    Private = 0xC0,
}

/// <summary>A BER tag: class, primitive/constructed and number (any size).</summary>
public readonly record struct BerTag(BerClass Class, bool Constructed, int Number)
{
    public static BerTag Universal(int number, bool constructed = false) => new(BerClass.Universal, constructed, number);
    public static BerTag Application(int number, bool constructed = true) => new(BerClass.Application, constructed, number);
    public static BerTag Context(int number, bool constructed = false) => new(BerClass.ContextSpecific, constructed, number);

    public static readonly BerTag Boolean = Universal(1);
    public static readonly BerTag Integer = Universal(2);
    public static readonly BerTag BitString = Universal(3);
    public static readonly BerTag OctetString = Universal(4);
    public static readonly BerTag Null = Universal(5);
    public static readonly BerTag ObjectIdentifier = Universal(6);
    public static readonly BerTag External = Universal(8, true);
    public static readonly BerTag Sequence = Universal(16, true);
    public static readonly BerTag Set = Universal(17, true);
    public static readonly BerTag VisibleString = Universal(26);
    public static readonly BerTag GraphicString = Universal(25);
    public static readonly BerTag GeneralizedTime = Universal(24);

    /// <summary>True when the tag is context-specific with this number.</summary>
    public bool IsContext(int number) => Class == BerClass.ContextSpecific && Number == number;

    public override string ToString() => Class switch
    {
        BerClass.Universal => $"[UNIVERSAL {Number}]",
        BerClass.Application => $"[APPLICATION {Number}]",
        BerClass.ContextSpecific => $"[{Number}]",
        _ => $"[PRIVATE {Number}]",
    } + (Constructed ? " constructed" : "");
}
