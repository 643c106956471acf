namespace FlexCoop.Iec61850.Mms.Client;

public sealed partial class MmsClient
{
    /// <summary>Identify: vendor, model and revision of the server.</summary>
    public Task<IdentifyResponse> IdentifyAsync(CancellationToken cancellationToken = default) =>
        RequestAsync<IdentifyResponse>(new IdentifyRequest(), cancellationToken);

    /// <summary>One GetNameList page (the server sets moreFollows when the list goes on).</summary>
    public Task<GetNameListResponse> GetNameListPageAsync(MmsObjectClass objectClass, MmsScope scope, string? domainId = null, string? continueAfter = null, CancellationToken cancellationToken = default) =>
        RequestAsync<GetNameListResponse>(new GetNameListRequest(objectClass, scope, domainId, continueAfter), cancellationToken);

    /// <summary>GetNameList, following continueAfter until the whole list is read.</summary>
    public async Task<IReadOnlyList<string>> GetNameListAsync(MmsObjectClass objectClass, MmsScope scope, string? domainId = null, CancellationToken cancellationToken = default)
    {
        var all = new List<string>();
        string? after = null;
        while (true)
        {
            var page = await GetNameListPageAsync(objectClass, scope, domainId, after, cancellationToken).ConfigureAwait(false);
            all.AddRange(page.Identifiers);
            if (!page.MoreFollows || page.Identifiers.Count == 0) return all;
            after = page.Identifiers[^1];
        }
    }

    /// <summary>Domain names of the VMD (IEC 61850 logical devices).</summary>
    public Task<IReadOnlyList<string>> GetDomainNamesAsync(CancellationToken cancellationToken = default) =>
        GetNameListAsync(MmsObjectClass.Domain, MmsScope.VmdSpecific, null, cancellationToken);

    /// <summary>Reads several variables in one request; each result is a value or a DataAccessError.</summary>
    public async Task<IReadOnlyList<AccessResult>> ReadAsync(IReadOnlyList<ObjectName> names, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(names);
        var response = await RequestAsync<ReadResponse>(new ReadRequest(new VariableAccessSpecification(names, null)), cancellationToken).ConfigureAwait(false);
        if (response.Results.Count != names.Count) throw new MmsProtocolException($"read of {names.Count} variables answered with {response.Results.Count} results");
        return response.Results;
    }

    /// <summary>Reads one variable.</summary>
    public async Task<AccessResult> ReadAsync(ObjectName name, CancellationToken cancellationToken = default) =>
        (await ReadAsync([name], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>Reads the members of a named variable list.</summary>
    public async Task<IReadOnlyList<AccessResult>> ReadNamedVariableListAsync(ObjectName listName, CancellationToken cancellationToken = default)
    {
        var response = await RequestAsync<ReadResponse>(new ReadRequest(VariableAccessSpecification.OfList(listName)), cancellationToken).ConfigureAwait(false);
        return response.Results;
    }

    /// <summary>Writes several variables; per element null (success) or the DataAccessError.</summary>
    public async Task<IReadOnlyList<DataAccessError?>> WriteAsync(IReadOnlyList<ObjectName> names, IReadOnlyList<MmsValue> values, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(values);
        if (names.Count != values.Count) throw new ArgumentException("one value per name", nameof(values));
        var response = await RequestAsync<WriteResponse>(new WriteRequest(new VariableAccessSpecification(names, null), values), cancellationToken).ConfigureAwait(false);
        if (response.Results.Count != names.Count) throw new MmsProtocolException($"write of {names.Count} variables answered with {response.Results.Count} results");
        return response.Results;
    }

    /// <summary>Writes one variable; null on success, else the DataAccessError.</summary>
    public async Task<DataAccessError?> WriteAsync(ObjectName name, MmsValue value, CancellationToken cancellationToken = default) =>
        (await WriteAsync([name], [value], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>The type description of a variable.</summary>
    public async Task<MmsTypeDescription> GetVariableAccessAttributesAsync(ObjectName name, CancellationToken cancellationToken = default) =>
        (await RequestAsync<GetVariableAccessAttributesResponse>(new GetVariableAccessAttributesRequest(name), cancellationToken).ConfigureAwait(false)).Type;

    public Task DefineNamedVariableListAsync(ObjectName listName, IReadOnlyList<ObjectName> members, CancellationToken cancellationToken = default) =>
        RequestAsync<DefineNamedVariableListResponse>(new DefineNamedVariableListRequest(listName, members), cancellationToken);

    public Task<GetNamedVariableListAttributesResponse> GetNamedVariableListAttributesAsync(ObjectName listName, CancellationToken cancellationToken = default) =>
        RequestAsync<GetNamedVariableListAttributesResponse>(new GetNamedVariableListAttributesRequest(listName), cancellationToken);

    /// <summary>Deletes the named lists (scope specific); returns numberMatched/numberDeleted.</summary>
    public Task<DeleteNamedVariableListResponse> DeleteNamedVariableListAsync(IReadOnlyList<ObjectName> listNames, CancellationToken cancellationToken = default) =>
        RequestAsync<DeleteNamedVariableListResponse>(new DeleteNamedVariableListRequest(0, listNames, null), cancellationToken);

    public Task<FileOpenResponse> FileOpenAsync(string fileName, uint initialPosition = 0, CancellationToken cancellationToken = default) =>
        RequestAsync<FileOpenResponse>(new FileOpenRequest(fileName, initialPosition), cancellationToken);

    public Task<FileReadResponse> FileReadAsync(int frsmId, CancellationToken cancellationToken = default) =>
        RequestAsync<FileReadResponse>(new FileReadRequest(frsmId), cancellationToken);

    public Task FileCloseAsync(int frsmId, CancellationToken cancellationToken = default) =>
        RequestAsync<FileCloseResponse>(new FileCloseRequest(frsmId), cancellationToken);

    /// <summary>FileDirectory, following continueAfter until the listing is complete.</summary>
    public async Task<IReadOnlyList<MmsDirectoryEntry>> FileDirectoryAsync(string? fileSpecification = null, CancellationToken cancellationToken = default)
    {
        var all = new List<MmsDirectoryEntry>();
        string? after = null;
        while (true)
        {
            var page = await RequestAsync<FileDirectoryResponse>(new FileDirectoryRequest(fileSpecification, after), cancellationToken).ConfigureAwait(false);
            all.AddRange(page.Entries);
            if (!page.MoreFollows || page.Entries.Count == 0) return all;
            after = page.Entries[^1].FileName;
        }
    }

    public Task FileDeleteAsync(string fileName, CancellationToken cancellationToken = default) =>
        RequestAsync<FileDeleteResponse>(new FileDeleteRequest(fileName), cancellationToken);

    public Task FileRenameAsync(string currentFileName, string newFileName, CancellationToken cancellationToken = default) =>
        RequestAsync<FileRenameResponse>(new FileRenameRequest(currentFileName, newFileName), cancellationToken);

    public Task ObtainFileAsync(string sourceFile, string destinationFile, CancellationToken cancellationToken = default) =>
        RequestAsync<ObtainFileResponse>(new ObtainFileRequest(sourceFile, destinationFile), cancellationToken);

    /// <summary>Reads a whole file: open, read until moreFollows is false, close.</summary>
    public async Task<byte[]> GetFileAsync(string fileName, CancellationToken cancellationToken = default)
    {
        var open = await FileOpenAsync(fileName, 0, cancellationToken).ConfigureAwait(false);
        try
        {
            using var data = new MemoryStream();
            while (true)
            {
                var chunk = await FileReadAsync(open.FrsmId, cancellationToken).ConfigureAwait(false);
                data.Write(chunk.FileData);
                if (!chunk.MoreFollows || chunk.FileData.Length == 0) break;
            }
            return data.ToArray();
        }
        finally
        {
            await FileCloseAsync(open.FrsmId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One ReadJournal page: entries from <paramref name="startingTime"/> (or after <paramref name="entryToStartAfter"/>, which that time then qualifies) up to <paramref name="endingTime"/>.</summary>
    public Task<ReadJournalResponse> ReadJournalPageAsync(ObjectName journalName, MmsBinaryTime? startingTime, MmsBinaryTime? endingTime, byte[]? entryToStartAfter = null, CancellationToken cancellationToken = default) =>
        RequestAsync<ReadJournalResponse>(new ReadJournalRequest(journalName, startingTime, endingTime, entryToStartAfter), cancellationToken);

    /// <summary>ReadJournal between two times (either may be null), following moreFollows.</summary>
    public Task<IReadOnlyList<MmsJournalEntry>> ReadJournalAsync(ObjectName journalName, MmsBinaryTime? startingTime = null, MmsBinaryTime? endingTime = null, CancellationToken cancellationToken = default) =>
        ReadJournalPagesAsync(journalName, startingTime, endingTime, null, cancellationToken);

    /// <summary>ReadJournal of the entries after <paramref name="entryToStartAfter"/> (whose time is <paramref name="startingTime"/>), following moreFollows.</summary>
    public Task<IReadOnlyList<MmsJournalEntry>> ReadJournalAfterAsync(ObjectName journalName, MmsBinaryTime startingTime, byte[] entryToStartAfter, MmsBinaryTime? endingTime = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(startingTime);
        ArgumentNullException.ThrowIfNull(entryToStartAfter);
        return ReadJournalPagesAsync(journalName, startingTime, endingTime, entryToStartAfter, cancellationToken);
    }

    private async Task<IReadOnlyList<MmsJournalEntry>> ReadJournalPagesAsync(ObjectName journalName, MmsBinaryTime? startingTime, MmsBinaryTime? endingTime, byte[]? after, CancellationToken cancellationToken)
    {
        var all = new List<MmsJournalEntry>();
        var page = await ReadJournalPageAsync(journalName, startingTime, endingTime, after, cancellationToken).ConfigureAwait(false);
        all.AddRange(page.Entries);
        while (page.MoreFollows && page.Entries.Count > 0)
        {
            var last = page.Entries[^1];
            if (after is not null && last.EntryId.AsSpan().SequenceEqual(after)) throw new MmsProtocolException("the server repeats the same journal page");
            after = last.EntryId;
            page = await ReadJournalPageAsync(journalName, last.OccurrenceTime, endingTime, after, cancellationToken).ConfigureAwait(false);
            all.AddRange(page.Entries);
        }
        return all;
    }

    /// <summary>InitializeJournal: deletes entries up to a time and entry (every entry when both are null); returns how many were deleted.</summary>
    public async Task<uint> InitializeJournalAsync(ObjectName journalName, MmsBinaryTime? limitingTime = null, byte[]? limitingEntry = null, CancellationToken cancellationToken = default) =>
        (await RequestAsync<InitializeJournalResponse>(new InitializeJournalRequest(journalName, limitingTime, limitingEntry), cancellationToken).ConfigureAwait(false)).EntriesDeleted;
}
