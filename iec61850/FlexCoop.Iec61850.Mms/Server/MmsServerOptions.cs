namespace FlexCoop.Iec61850.Mms.Server;

/// <summary>Settings of an <see cref="MmsServer"/>; validated once when the server is created.</summary>
public sealed record MmsServerOptions
{
    /// <summary>Associations served at once; the next one is refused (ACSE rejected-transient).</summary>
    public int MaxAssociations { get; init; } = 10;

    /// <summary>Largest MMS PDU offered in initiate negotiation (localDetailCalled).</summary>
    public int MaxPduSize { get; init; } = 65000;

    /// <summary>Largest TPDU accepted in COTP negotiation (128..65531).</summary>
    public int MaxTpduSize { get; init; } = 65531;

    /// <summary>Most outstanding requests allowed per direction.</summary>
    public int MaxServOutstanding { get; init; } = 10;

    /// <summary>Deepest data structure nesting offered.</summary>
    public int DataStructureNestingLevel { get; init; } = 10;

    /// <summary>When set, associations must authenticate with this password (ACSE mechanism 2.2.3.1).</summary>
    public string? Password { get; init; }

    public string VendorName { get; init; } = "FlexCoop";
    public string ModelName { get; init; } = "FlexCoop MMS server";
    public string Revision { get; init; } = "0.1.0";

    /// <summary>Directory served by the file services; null disables them.</summary>
    public string? FileStoreRoot { get; init; }

    /// <summary>Whether clients may delete, rename and store (ObtainFile) files in the file store.</summary>
    public bool AllowFileWrite { get; init; }

    /// <summary>Largest file a client may store with ObtainFile.</summary>
    public long MaxObtainFileSize { get; init; } = 64L * 1024 * 1024;

    /// <summary>How long the server waits for each of the client's answers while it obtains a file.</summary>
    public TimeSpan ObtainFileTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// SQLite file holding the journals (IEC 61850 logs) of an <c>Iec61850Server</c>; entries survive a restart
    /// with the same file. In memory when null. (A bare <see cref="MmsServer"/> takes its store from its <see cref="MmsVmd"/>.)
    /// </summary>
    public string? JournalDatabase { get; init; }

    /// <summary>Entries kept per journal; the oldest are purged beyond it.</summary>
    public int JournalCapacity { get; init; } = 10_000;

    /// <summary>Whether clients may delete journal entries with InitializeJournal.</summary>
    public bool AllowJournalInitialize { get; init; }

    /// <summary>Files a single association may have open at once.</summary>
    public int MaxOpenFilesPerAssociation { get; init; } = 8;

    /// <summary>Named variable lists a client may define per association (aa-specific plus domain-specific).</summary>
    public int MaxNamedVariableListsPerAssociation { get; init; } = 32;

    /// <summary>Members allowed in one named variable list.</summary>
    public int MaxNamedVariableListEntries { get; init; } = 1000;

    /// <summary>Time an association may stay silent before it is aborted; infinite when null.</summary>
    public TimeSpan? IdleTimeout { get; init; }

    internal void Validate()
    {
        if (MaxAssociations < 1) throw new ArgumentOutOfRangeException(nameof(MaxAssociations), "at least one association");
        if (MaxPduSize is < 256 or > 1_000_000) throw new ArgumentOutOfRangeException(nameof(MaxPduSize), "256..1000000 octets");
        if (MaxTpduSize is < 128 or > 65531) throw new ArgumentOutOfRangeException(nameof(MaxTpduSize), "128..65531 octets");
        if (MaxServOutstanding is < 1 or > 1000) throw new ArgumentOutOfRangeException(nameof(MaxServOutstanding));
        if (MaxOpenFilesPerAssociation < 0 || MaxNamedVariableListsPerAssociation < 0 || MaxNamedVariableListEntries < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxNamedVariableListEntries));
        }
        if (MaxObtainFileSize < 0) throw new ArgumentOutOfRangeException(nameof(MaxObtainFileSize));
        if (ObtainFileTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(ObtainFileTimeout));
        if (JournalCapacity < 1) throw new ArgumentOutOfRangeException(nameof(JournalCapacity), "at least one entry per journal");
        if (FileStoreRoot is { } root && !Directory.Exists(root)) throw new DirectoryNotFoundException($"file store '{root}' does not exist");
    }
}
