using System.Collections.Concurrent;

namespace FlexCoop.Iec61850.Mms.Server;

/// <summary>
/// The server's virtual manufacturing device: domains holding named variables (typed, with their
/// values), named variable lists and journals. Every component of a structured variable is itself
/// addressable by its <c>$</c>-joined path (<c>LLN0$ST$Mod$stVal</c>), as IEC 61850-8-1 requires.
/// Values are immutable and swapped atomically, so reads take no lock.
/// </summary>
public sealed class MmsVmd
{
    private readonly ConcurrentDictionary<string, MmsDomain> _domains = new(StringComparer.Ordinal);
    private readonly List<string> _domainOrder = [];
    private readonly object _gate = new();
    private MmsJournalStore? _journalStore;

    /// <summary>A VMD whose journals keep their entries in <paramref name="journalStore"/> (the caller owns it); in memory when null.</summary>
    public MmsVmd(MmsJournalStore? journalStore = null) => _journalStore = journalStore;

    /// <summary>Where the journals keep their entries (created in memory on first use when none was given).</summary>
    public MmsJournalStore JournalStore
    {
        get
        {
            lock (_gate) return _journalStore ??= new MmsJournalStore();
        }
    }

    /// <summary>Domains in definition order.</summary>
    public IReadOnlyList<MmsDomain> Domains
    {
        get
        {
            lock (_gate) return _domainOrder.Select(n => _domains[n]).ToArray();
        }
    }

    /// <summary>VMD-specific named variable lists.</summary>
    internal MmsNamedVariableListSet VmdLists { get; } = new();

    public MmsDomain AddDomain(string name)
    {
        MmsNames.Check(name, nameof(name));
        var domain = new MmsDomain(this, name);
        lock (_gate)
        {
            if (!_domains.TryAdd(name, domain)) throw new ArgumentException($"domain '{name}' already exists", nameof(name));
            _domainOrder.Add(name);
        }
        return domain;
    }

    public MmsDomain? FindDomain(string name) => _domains.GetValueOrDefault(name);

    /// <summary>The variable (or component) a domain-specific name refers to, or null.</summary>
    public MmsVariableNode? Find(string domain, string itemId) => FindDomain(domain)?.Find(itemId);

    /// <summary>Reads the current value of a variable or component.</summary>
    public MmsValue GetValue(string domain, string itemId) =>
        (Find(domain, itemId) ?? throw new KeyNotFoundException($"{domain}/{itemId} is not defined")).Read();

    /// <summary>Host API: sets the value of a variable or component (type-checked; access rules do not apply to the host).</summary>
    public void SetValue(string domain, string itemId, MmsValue value)
    {
        var node = Find(domain, itemId) ?? throw new KeyNotFoundException($"{domain}/{itemId} is not defined");
        if (!node.Type.Accepts(value)) throw new ArgumentException($"value {value.Format()} does not have type {node.Type.Describe()}", nameof(value));
        node.Write(value);
    }

    /// <summary>Domain names sorted for GetNameList.</summary>
    internal string[] SortedDomainNames()
    {
        lock (_gate)
        {
            var names = _domainOrder.ToArray();
            Array.Sort(names, StringComparer.Ordinal);
            return names;
        }
    }
}

/// <summary>A domain (IEC 61850 logical device) with its named variables, lists and journals.</summary>
public sealed class MmsDomain
{
    private readonly Dictionary<string, MmsVariableNode> _index = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MmsJournal> _journals = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private string[]? _sortedNames;
    private int _topLevelCount;

    internal MmsDomain(MmsVmd vmd, string name)
    {
        Vmd = vmd;
        Name = name;
    }

    public MmsVmd Vmd { get; }
    public string Name { get; }

    internal MmsNamedVariableListSet Lists { get; } = new();

    /// <summary>Number of top-level named variables.</summary>
    public int VariableCount => _topLevelCount;

    /// <summary>Number of addressable names (variables and all their components).</summary>
    public int NameCount
    {
        get
        {
            lock (_gate) return _index.Count;
        }
    }

    /// <summary>
    /// Defines a named variable with its type and initial value (the type's default when null).
    /// <paramref name="writable"/> decides, per path, whether clients may write it.
    /// </summary>
    public MmsVariableNode AddVariable(string name, MmsTypeDescription type, MmsValue? initialValue = null, Func<string, bool>? writable = null)
    {
        MmsNames.Check(name, nameof(name));
        ArgumentNullException.ThrowIfNull(type);
        var value = initialValue ?? type.DefaultValue();
        if (!type.Accepts(value)) throw new ArgumentException($"initial value does not have type {type.Describe()}", nameof(initialValue));
        var root = new MmsVariableRoot(value);
        var top = new MmsVariableNode(this, name, type, root, [], writable?.Invoke(name) ?? false);
        lock (_gate)
        {
            if (_index.ContainsKey(name)) throw new ArgumentException($"variable '{name}' already exists in domain {Name}", nameof(name));
            var nodes = new List<MmsVariableNode> { top };
            Expand(top, type, name, [], root, writable, nodes);
            foreach (var n in nodes)
            {
                if (!_index.TryAdd(n.ItemId, n)) throw new ArgumentException($"name '{n.ItemId}' already exists in domain {Name}", nameof(name));
            }
            _topLevelCount++;
            _sortedNames = null;
        }
        return top;
    }

    private void Expand(MmsVariableNode parent, MmsTypeDescription type, string path, int[] indices, MmsVariableRoot root, Func<string, bool>? writable, List<MmsVariableNode> nodes)
    {
        if (type is not MmsStructureType s) return;
        for (var i = 0; i < s.Components.Count; i++)
        {
            var c = s.Components[i];
            var childPath = path + "$" + c.Name;
            int[] childIndices = [.. indices, i];
            var node = new MmsVariableNode(this, childPath, c.Type, root, childIndices, writable?.Invoke(childPath) ?? false);
            parent.AddChild(node);
            nodes.Add(node);
            Expand(node, c.Type, childPath, childIndices, root, writable, nodes);
        }
    }

    public MmsVariableNode? Find(string itemId)
    {
        lock (_gate) return _index.GetValueOrDefault(itemId);
    }

    /// <summary>Defines a fixed (not deletable) named variable list, e.g. an IEC 61850 data set.</summary>
    public void AddNamedVariableList(string name, IReadOnlyList<ObjectName> members)
    {
        MmsNames.Check(name, nameof(name));
        ArgumentNullException.ThrowIfNull(members);
        if (!Lists.TryAdd(new MmsNamedVariableList(ObjectName.Domain(Name, name), members.ToArray(), false)))
        {
            throw new ArgumentException($"named variable list '{name}' already exists", nameof(name));
        }
    }

    public MmsJournal AddJournal(string name)
    {
        MmsNames.Check(name, nameof(name));
        var journal = new MmsJournal(this, name);
        lock (_gate)
        {
            if (!_journals.TryAdd(name, journal)) throw new ArgumentException($"journal '{name}' already exists", nameof(name));
        }
        return journal;
    }

    public MmsJournal? FindJournal(string name)
    {
        lock (_gate) return _journals.GetValueOrDefault(name);
    }

    internal string[] SortedJournalNames()
    {
        lock (_gate)
        {
            var names = _journals.Keys.ToArray();
            Array.Sort(names, StringComparer.Ordinal);
            return names;
        }
    }

    /// <summary>All variable names and component paths, sorted ordinally (the GetNameList order).</summary>
    public IReadOnlyList<string> Names => SortedNames();

    /// <summary>All variable names and component paths, sorted ordinally (GetNameList order).</summary>
    internal string[] SortedNames()
    {
        lock (_gate)
        {
            if (_sortedNames is null)
            {
                var names = _index.Keys.ToArray();
                Array.Sort(names, StringComparer.Ordinal);
                _sortedNames = names;
            }
            return _sortedNames;
        }
    }
}

/// <summary>The value holder shared by a top-level variable and all its components.</summary>
internal sealed class MmsVariableRoot(MmsValue value)
{
    public MmsValue Value = value;
    public readonly object Gate = new();
}

/// <summary>A named variable or one component of it, addressable by its item identifier.</summary>
public sealed class MmsVariableNode
{
    private readonly MmsVariableRoot _root;
    private readonly int[] _path;
    private List<MmsVariableNode>? _children;

    internal MmsVariableNode(MmsDomain domain, string itemId, MmsTypeDescription type, MmsVariableRoot root, int[] path, bool writable)
    {
        Domain = domain;
        ItemId = itemId;
        Type = type;
        _root = root;
        _path = path;
        Writable = writable;
    }

    public MmsDomain Domain { get; }

    /// <summary>The item identifier (<c>LN$FC$DO$DA</c> for a component).</summary>
    public string ItemId { get; }

    public MmsTypeDescription Type { get; }

    /// <summary>Whether clients may write this variable or component.</summary>
    public bool Writable { get; }

    /// <summary>
    /// When set, a client's read of this node is answered by this function instead of the stored value
    /// (e.g. the IEC 61850 select-before-operate read of <c>...$CO$DO$SBO</c>, which selects).
    /// Host reads (<see cref="Read"/>) are not affected.
    /// </summary>
    public Func<MmsPeer, AccessResult>? ReadHandler { get; set; }

    /// <summary>Direct components (empty for a leaf).</summary>
    public IReadOnlyList<MmsVariableNode> Children => (IReadOnlyList<MmsVariableNode>?)_children ?? [];

    internal void AddChild(MmsVariableNode child) => (_children ??= []).Add(child);

    /// <summary>The current value (lock-free: values are immutable and replaced whole).</summary>
    public MmsValue Read()
    {
        var v = Volatile.Read(ref _root.Value);
        foreach (var i in _path) v = ((MmsStructure)v).Components[i];
        return v;
    }

    /// <summary>Replaces the value (type already checked by the caller).</summary>
    internal void Write(MmsValue value)
    {
        lock (_root.Gate)
        {
            var updated = Replace(_root.Value, 0, value);
            Volatile.Write(ref _root.Value, updated);
        }
    }

    private MmsValue Replace(MmsValue current, int depth, MmsValue value)
    {
        if (depth == _path.Length) return value;
        var s = (MmsStructure)current;
        var components = s.Components.ToArray();
        components[_path[depth]] = Replace(components[_path[depth]], depth + 1, value);
        return new MmsStructure(components);
    }
}

/// <summary>A named variable list: its name, members and whether clients may delete it.</summary>
public sealed record MmsNamedVariableList(ObjectName Name, IReadOnlyList<ObjectName> Members, bool Deletable);

internal sealed class MmsNamedVariableListSet
{
    private readonly Dictionary<string, MmsNamedVariableList> _lists = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    public int Count
    {
        get
        {
            lock (_gate) return _lists.Count;
        }
    }

    public bool TryAdd(MmsNamedVariableList list)
    {
        lock (_gate) return _lists.TryAdd(list.Name.ItemId, list);
    }

    public MmsNamedVariableList? Find(string name)
    {
        lock (_gate) return _lists.GetValueOrDefault(name);
    }

    public bool Remove(string name)
    {
        lock (_gate) return _lists.Remove(name);
    }

    public MmsNamedVariableList[] All()
    {
        lock (_gate) return _lists.Values.ToArray();
    }

    public string[] SortedNames()
    {
        lock (_gate)
        {
            var names = _lists.Keys.ToArray();
            Array.Sort(names, StringComparer.Ordinal);
            return names;
        }
    }
}

/// <summary>
/// A journal (IEC 61850 log): entries appended by the host or by log control blocks, read with
/// ReadJournal. The entries live in the VMD's <see cref="MmsJournalStore"/>.
/// </summary>
public sealed class MmsJournal
{
    internal MmsJournal(MmsDomain domain, string name)
    {
        Domain = domain;
        Name = name;
        Key = domain.Name + "/" + name;
    }

    public MmsDomain Domain { get; }

    /// <summary>The item id of the journal in its domain (<c>LLN0$EventLog</c>).</summary>
    public string Name { get; }

    /// <summary>The name the store files its entries under: <c>domain/item</c>.</summary>
    internal string Key { get; }

    private MmsJournalStore Store => Domain.Vmd.JournalStore;

    /// <summary>Appends an entry; returns its 8-octet entry identifier.</summary>
    public byte[] Append(MmsBinaryTime occurrenceTime, IReadOnlyList<(string Tag, MmsValue Value)> variables) =>
        MmsJournalStore.EntryIdOf(Store.Append(Key, occurrenceTime, variables));

    /// <summary>Entries kept now (at most the store's capacity).</summary>
    public int Count => Store.Count(Key);

    /// <summary>Oldest and newest entry (number and time), or null when the journal is empty.</summary>
    public (ulong OldestEntry, MmsBinaryTime OldestTime, ulong NewestEntry, MmsBinaryTime NewestTime)? Bounds => Store.Bounds(Key);

    /// <summary>Entries in entry order after <paramref name="afterEntry"/> with a time within [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public IReadOnlyList<MmsJournalEntry> Read(MmsBinaryTime? from, MmsBinaryTime? to, ulong afterEntry = 0, int limit = 1000) =>
        Store.Read(Key, from, to, afterEntry, limit);

    /// <summary>InitializeJournal: deletes the entries up to a time and entry (all when both are null); returns how many.</summary>
    public int Initialize(MmsBinaryTime? untilTime = null, ulong? untilEntry = null) => Store.Delete(Key, untilTime, untilEntry);
}

internal static class MmsNames
{
    /// <summary>MMS Identifier rules: 1..64 visible characters (IEC 61850 item ids may reach 129 with <c>$</c>).</summary>
    public static void Check(string name, string parameter)
    {
        ArgumentNullException.ThrowIfNull(name, parameter);
        if (name.Length is 0 or > 129 || name.Any(c => c is < '!' or > '~'))
        {
            throw new ArgumentException($"'{name}' is not a valid MMS identifier", parameter);
        }
    }
}
