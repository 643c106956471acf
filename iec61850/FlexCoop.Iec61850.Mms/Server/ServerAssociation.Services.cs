namespace FlexCoop.Iec61850.Mms.Server;

/// <summary>The outcome of one confirmed service: a response or a service error.</summary>
internal readonly record struct ServiceResult(MmsResponse? Response, MmsServiceError? Error)
{
    public static implicit operator ServiceResult(MmsResponse response) => new(response, null);
    public static implicit operator ServiceResult(MmsServiceError error) => new(null, error);
}

internal sealed partial class ServerAssociation
{
    private readonly MmsNamedVariableListSet _aaLists = new();
    private int _definedDomainLists;

    /// <summary>Octets kept free in a response for headers when a list is filled up to the PDU size.</summary>
    private const int ResponseOverhead = 64;

    private MmsVmd Vmd => _server.Vmd;

    private ServiceResult Dispatch(MmsRequest request) => request switch
    {
        IdentifyRequest => new IdentifyResponse(Options.VendorName, Options.ModelName, Options.Revision),
        GetNameListRequest g => GetNameList(g),
        ReadRequest r => Read(r),
        WriteRequest w => Write(w),
        GetVariableAccessAttributesRequest g => GetVariableAccessAttributes(g),
        DefineNamedVariableListRequest d => DefineNamedVariableList(d),
        GetNamedVariableListAttributesRequest g => GetNamedVariableListAttributes(g),
        DeleteNamedVariableListRequest d => DeleteNamedVariableList(d),
        FileOpenRequest f => FileOpen(f),
        FileReadRequest f => FileRead(f),
        FileCloseRequest f => FileClose(f),
        FileDirectoryRequest f => FileDirectory(f),
        FileDeleteRequest f => FileDelete(f),
        FileRenameRequest f => FileRename(f),
        ReadJournalRequest j => ReadJournal(j),
        InitializeJournalRequest j => InitializeJournal(j),
        _ => MmsServiceError.OtherService("service not supported"),
    };

    // ------------------------------------------------------------------ names

    private ServiceResult GetNameList(GetNameListRequest request)
    {
        string[] names;
        switch (request.ObjectClass, request.Scope)
        {
            case (MmsObjectClass.Domain, MmsScope.VmdSpecific):
                names = Vmd.SortedDomainNames();
                break;
            case (MmsObjectClass.NamedVariable, MmsScope.DomainSpecific):
                if (DomainOf(request.DomainId) is not { } vd) return MmsServiceError.ObjectNonExistent($"domain '{request.DomainId}' does not exist");
                // Variable names are walked from the types in order, not held in an array.
                return VariableNamePage(vd.OpenNames(request.ContinueAfter));
            case (MmsObjectClass.NamedVariableList, MmsScope.DomainSpecific):
                if (DomainOf(request.DomainId) is not { } d) return MmsServiceError.ObjectNonExistent($"domain '{request.DomainId}' does not exist");
                names = d.Lists.SortedNames();
                break;
            case (MmsObjectClass.NamedVariableList, MmsScope.AaSpecific):
                names = _aaLists.SortedNames();
                break;
            case (MmsObjectClass.NamedVariableList, MmsScope.VmdSpecific):
                names = Vmd.VmdLists.SortedNames();
                break;
            case (MmsObjectClass.Journal, MmsScope.DomainSpecific):
                if (DomainOf(request.DomainId) is not { } jd) return MmsServiceError.ObjectNonExistent($"domain '{request.DomainId}' does not exist");
                names = jd.SortedJournalNames();
                break;
            default:
                names = [];
                break;
        }
        var start = 0;
        if (request.ContinueAfter is { } after)
        {
            var i = Array.BinarySearch(names, after, StringComparer.Ordinal);
            start = i >= 0 ? i + 1 : ~i;
        }
        return NameListPage(names.Skip(start));
    }

    /// <summary>As many of <paramref name="names"/> (in order) as fit the negotiated PDU size; moreFollows when some are left.</summary>
    private GetNameListResponse NameListPage(IEnumerable<string> names)
    {
        var budget = NegotiatedPduSize - ResponseOverhead;
        var list = new List<string>();
        var used = 0;
        var more = false;
        foreach (var name in names)
        {
            var cost = name.Length + 3;
            if (used + cost > budget)
            {
                more = true;
                break;
            }
            used += cost;
            list.Add(name);
        }
        return new GetNameListResponse(list, more);
    }

    /// <summary>Encoded identifiers of the GetNameList page being answered (reused from page to page).</summary>
    private readonly Ber.BerWriter _names = new(System.Buffers.ArrayPool<byte>.Shared, 1024);

    /// <summary>
    /// <see cref="NameListPage"/> for variable names: each name goes from the cursor's buffer straight into the encoded
    /// list, with the same page budget, so a page of a large model costs no string per name.
    /// </summary>
    private EncodedGetNameListResponse VariableNamePage(MmsNameCursor names)
    {
        var budget = NegotiatedPduSize - ResponseOverhead;
        var used = 0;
        var more = false;
        _names.Reset();
        while (names.MoveNext())
        {
            var name = names.Current;
            var cost = name.Length + 3;
            if (used + cost > budget)
            {
                more = true;
                break;
            }
            used += cost;
            _names.WriteVisibleChars(Ber.BerTag.VisibleString, name);
        }
        return new EncodedGetNameListResponse(_names.WrittenMemory, more);
    }

    private MmsDomain? DomainOf(string? name) => name is null ? null : Vmd.FindDomain(name);

    private MmsVariableNode? Resolve(ObjectName name) =>
        name.Scope == MmsScope.DomainSpecific && name.DomainId is { } d ? Vmd.Find(d, name.ItemId) : null;

    // ------------------------------------------------------------------ read / write

    private ServiceResult Read(ReadRequest request)
    {
        IReadOnlyList<ObjectName> names;
        if (request.Specification.VariableListName is { } listName)
        {
            if (FindList(listName) is not { } list) return MmsServiceError.ObjectNonExistent($"named variable list '{listName}' does not exist");
            names = list.Members;
        }
        else
        {
            names = request.Specification.Variables ?? [];
        }
        var results = new AccessResult[names.Count];
        for (var i = 0; i < names.Count; i++)
        {
            results[i] = Resolve(names[i]) is not { } node
                ? AccessResult.Failure(DataAccessError.ObjectNonExistent)
                : node.ReadHandler is { } handler ? handler(Peer) : AccessResult.Success(node.Read());
        }
        return new ReadResponse(results, request.SpecificationWithResult ? request.Specification : null);
    }

    private ServiceResult Write(WriteRequest request)
    {
        IReadOnlyList<ObjectName> names;
        if (request.Specification.VariableListName is { } listName)
        {
            if (FindList(listName) is not { } list) return MmsServiceError.ObjectNonExistent($"named variable list '{listName}' does not exist");
            names = list.Members;
        }
        else
        {
            names = request.Specification.Variables ?? [];
        }
        if (names.Count != request.Data.Count) return MmsServiceError.TypeInconsistent("the number of values differs from the number of variables");
        var results = new DataAccessError?[names.Count];
        for (var i = 0; i < names.Count; i++)
        {
            var node = Resolve(names[i]);
            var value = request.Data[i];
            if (node is null) results[i] = DataAccessError.ObjectNonExistent;
            else if (!node.Writable) results[i] = DataAccessError.ObjectAccessDenied;
            else if (!node.Type.Accepts(value)) results[i] = DataAccessError.TypeInconsistent;
            else
            {
                var context = new MmsWriteContext(node.Domain.Name, node.ItemId, value, RemoteEndPoint) { Peer = Peer };
                if (_server.WriteHandler?.Invoke(context) is { } veto)
                {
                    results[i] = veto;
                }
                else
                {
                    node.Write(value);
                    _server.Written?.Invoke(context);
                }
            }
        }
        return new WriteResponse(results);
    }

    private ServiceResult GetVariableAccessAttributes(GetVariableAccessAttributesRequest request)
    {
        if (Resolve(request.Name) is not { } node) return MmsServiceError.ObjectNonExistent($"'{request.Name}' does not exist");
        return _server.TypeEncodings.Find(node.Type) is { } encoded
            ? new EncodedGetVariableAccessAttributesResponse(false, encoded)
            : new GetVariableAccessAttributesResponse(false, node.Type);
    }

    // ------------------------------------------------------------------ named variable lists

    private MmsNamedVariableListSet? ListSetOf(ObjectName name) => name.Scope switch
    {
        MmsScope.DomainSpecific => DomainOf(name.DomainId)?.Lists,
        MmsScope.AaSpecific => _aaLists,
        _ => Vmd.VmdLists,
    };

    private MmsNamedVariableList? FindList(ObjectName name) => ListSetOf(name)?.Find(name.ItemId);

    private ServiceResult DefineNamedVariableList(DefineNamedVariableListRequest request)
    {
        if (ListSetOf(request.ListName) is not { } set) return MmsServiceError.ObjectNonExistent($"domain '{request.ListName.DomainId}' does not exist");
        if (request.ListName.ItemId.Length is 0 or > 64) return MmsServiceError.ObjectConstraintConflict("list name must be 1..64 characters");
        if (request.Variables.Count == 0 || request.Variables.Count > Options.MaxNamedVariableListEntries)
        {
            return MmsServiceError.CapabilityUnavailable($"a list holds 1..{Options.MaxNamedVariableListEntries} variables");
        }
        if (_aaLists.Count + _definedDomainLists >= Options.MaxNamedVariableListsPerAssociation)
        {
            return MmsServiceError.CapabilityUnavailable($"at most {Options.MaxNamedVariableListsPerAssociation} lists per association");
        }
        if (set.Find(request.ListName.ItemId) is not null) return MmsServiceError.ObjectExists($"'{request.ListName}' already exists");
        foreach (var member in request.Variables)
        {
            if (Resolve(member) is null && _server.CrashOnUnresolvedListMember is null) return MmsServiceError.ObjectNonExistent($"member '{member}' does not exist");
        }
        if (!set.TryAdd(new MmsNamedVariableList(request.ListName, request.Variables.ToArray(), true)))
        {
            return MmsServiceError.ObjectExists($"'{request.ListName}' already exists");
        }
        if (request.ListName.Scope != MmsScope.AaSpecific) _definedDomainLists++;
        return new DefineNamedVariableListResponse();
    }

    private ServiceResult GetNamedVariableListAttributes(GetNamedVariableListAttributesRequest request)
    {
        if (FindList(request.ListName) is not { } list) return MmsServiceError.ObjectNonExistent($"'{request.ListName}' does not exist");
        if (_server.CrashOnUnresolvedListMember is { } crashes && (crashes(list.Name) || list.Members.Any(m => Resolve(m) is null)))
        {
            _server.Crash();
            return MmsServiceError.ObjectNonExistent("the server has stopped");
        }
        return new GetNamedVariableListAttributesResponse(list.Deletable, list.Members);
    }

    private ServiceResult DeleteNamedVariableList(DeleteNamedVariableListRequest request)
    {
        uint matched = 0, deleted = 0;
        void Consider(MmsNamedVariableListSet set, MmsNamedVariableList list)
        {
            matched++;
            if (list.Deletable && set.Remove(list.Name.ItemId))
            {
                deleted++;
                if (list.Name.Scope != MmsScope.AaSpecific && _definedDomainLists > 0) _definedDomainLists--;
            }
        }
        switch (request.ScopeOfDelete)
        {
            case 0:
                foreach (var name in request.ListNames ?? [])
                {
                    if (ListSetOf(name) is { } set && set.Find(name.ItemId) is { } list) Consider(set, list);
                }
                break;
            case 1:
                foreach (var list in _aaLists.All()) Consider(_aaLists, list);
                break;
            case 2:
                if (DomainOf(request.DomainName) is not { } d) return MmsServiceError.ObjectNonExistent($"domain '{request.DomainName}' does not exist");
                foreach (var list in d.Lists.All()) Consider(d.Lists, list);
                break;
            default:
                foreach (var list in Vmd.VmdLists.All()) Consider(Vmd.VmdLists, list);
                foreach (var domain in Vmd.Domains)
                {
                    foreach (var list in domain.Lists.All()) Consider(domain.Lists, list);
                }
                break;
        }
        return new DeleteNamedVariableListResponse(matched, deleted);
    }

    // ------------------------------------------------------------------ journals

    /// <summary>Entries fetched from the store for one ReadJournal page at most.</summary>
    private const int JournalPageRows = 500;

    private MmsJournal? FindJournal(ObjectName name) =>
        name.Scope == MmsScope.DomainSpecific ? DomainOf(name.DomainId)?.FindJournal(name.ItemId) : null;

    private ServiceResult ReadJournal(ReadJournalRequest request)
    {
        if (FindJournal(request.JournalName) is not { } journal) return MmsServiceError.ObjectNonExistent($"journal '{request.JournalName}' does not exist");
        ulong after = 0;
        if (request.EntryToStartAfter is { } entry && !_server.IgnoreEntryToStartAfter)
        {
            if (MmsJournalStore.NumberOf(entry) is not { } number) return MmsServiceError.ObjectConstraintConflict($"an entry identifier of this server has 8 octets, not {entry.Length}");
            after = number;
        }
        IReadOnlyList<MmsJournalEntry> entries;
        try
        {
            entries = journal.Read(request.StartingTime, request.EndingTime, after, JournalPageRows + 1);
        }
        catch (MmsJournalStoreException ex)
        {
            return new MmsServiceError(MmsErrorClass.Resource, 0, ex.Message);
        }
        var result = new List<MmsJournalEntry>();
        var budget = NegotiatedPduSize - ResponseOverhead;
        var writer = new Ber.BerWriter(256);
        var more = entries.Count > JournalPageRows;
        foreach (var e in entries.Take(JournalPageRows))
        {
            writer.Reset();
            foreach (var (_, value) in e.Variables) MmsDataCodec.WriteData(writer, value);
            var cost = writer.Length + e.Variables.Sum(v => v.Tag.Length + 8) + 40;
            if (cost > budget)
            {
                more = true;
                break;
            }
            budget -= cost;
            result.Add(e);
        }
        if (result.Count == 0 && more) return MmsServiceError.CapabilityUnavailable("the next journal entry does not fit in the negotiated PDU size");
        return new ReadJournalResponse(result, more);
    }

    private ServiceResult InitializeJournal(InitializeJournalRequest request)
    {
        if (FindJournal(request.JournalName) is not { } journal) return MmsServiceError.ObjectNonExistent($"journal '{request.JournalName}' does not exist");
        if (!Options.AllowJournalInitialize) return MmsServiceError.ObjectAccessDenied("this server does not let clients delete journal entries");
        ulong? until = null;
        if (request.LimitingEntry is { } entry)
        {
            if (MmsJournalStore.NumberOf(entry) is not { } number) return MmsServiceError.ObjectConstraintConflict($"an entry identifier of this server has 8 octets, not {entry.Length}");
            until = number;
        }
        try
        {
            return new InitializeJournalResponse((uint)journal.Initialize(request.LimitingTime, until));
        }
        catch (MmsJournalStoreException ex)
        {
            return new MmsServiceError(MmsErrorClass.Resource, 0, ex.Message);
        }
    }
}
