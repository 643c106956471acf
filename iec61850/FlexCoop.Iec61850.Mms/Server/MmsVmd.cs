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

    /// <summary>The journal store if one was given or has been created, else null (nothing to dispose).</summary>
    internal MmsJournalStore? CreatedJournalStore
    {
        get
        {
            lock (_gate) return _journalStore;
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

/// <summary>
/// A domain (IEC 61850 logical device) with its named variables, lists and journals.
/// <para>
/// Only the top-level variables are stored (name, type, value, writability rule). A component
/// (<c>LLN0$ST$Mod$stVal</c>) is found by walking the variable's structure type, and GetNameList walks the
/// types in name order, so a large model costs no object, string or index entry per component.
/// </para>
/// </summary>
public sealed class MmsDomain
{
    private readonly Dictionary<string, MmsVariableRoot> _variables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MmsJournal> _journals = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Func<MmsPeer, AccessResult>> _readHandlers = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private Dictionary<string, MmsVariableRoot>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private MmsVariableRoot[]? _sorted;
    private int _nameCount;

    internal MmsDomain(MmsVmd vmd, string name)
    {
        Vmd = vmd;
        Name = name;
        _lookup = _variables.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public MmsVmd Vmd { get; }
    public string Name { get; }

    internal MmsNamedVariableListSet Lists { get; } = new();

    /// <summary>Number of top-level named variables.</summary>
    public int VariableCount
    {
        get
        {
            lock (_gate) return _variables.Count;
        }
    }

    /// <summary>Number of addressable names (variables and all their components).</summary>
    public int NameCount
    {
        get
        {
            lock (_gate) return _nameCount;
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
        var count = CountNames(type, name, nameof(type));
        var root = new MmsVariableRoot(name, type, value, writable);
        lock (_gate)
        {
            if (!_variables.TryAdd(name, root)) throw new ArgumentException($"variable '{name}' already exists in domain {Name}", nameof(name));
            _nameCount += count;
            _sorted = null;
        }
        return new MmsVariableNode(this, name, type, root, []);
    }

    /// <summary>The names a variable of <paramref name="type"/> adds (itself and every component); component names must be unique per structure.</summary>
    private static int CountNames(MmsTypeDescription type, string path, string parameter)
    {
        if (type is not MmsStructureType s) return 1;
        var count = 1;
        for (var i = 0; i < s.Components.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (string.Equals(s.Components[j].Name, s.Components[i].Name, StringComparison.Ordinal))
                {
                    throw new ArgumentException($"name '{path}${s.Components[i].Name}' is defined twice", parameter);
                }
            }
            count += CountNames(s.Components[i].Type, path + "$" + s.Components[i].Name, parameter);
        }
        return count;
    }

    /// <summary>The variable or component named <paramref name="itemId"/> (<c>LN$FC$DO$DA</c>), or null.</summary>
    public MmsVariableNode? Find(string itemId)
    {
        ArgumentNullException.ThrowIfNull(itemId);
        var span = itemId.AsSpan();
        var cut = span.IndexOf('$');
        MmsVariableRoot? root;
        lock (_gate)
        {
            if (!_lookup.TryGetValue(cut < 0 ? span : span[..cut], out root)) return null;
        }
        if (cut < 0) return new MmsVariableNode(this, itemId, root.Type, root, []);
        var depth = span.Count('$');
        var path = new int[depth];
        var type = root.Type;
        var rest = span[(cut + 1)..];
        for (var level = 0; level < depth; level++)
        {
            var next = rest.IndexOf('$');
            var part = next < 0 ? rest : rest[..next];
            if (type is not MmsStructureType s) return null;
            var index = -1;
            for (var i = 0; i < s.Components.Count; i++)
            {
                if (part.SequenceEqual(s.Components[i].Name))
                {
                    index = i;
                    break;
                }
            }
            if (index < 0) return null;
            path[level] = index;
            type = s.Components[index].Type;
            rest = next < 0 ? [] : rest[(next + 1)..];
        }
        return new MmsVariableNode(this, itemId, type, root, path);
    }

    internal Func<MmsPeer, AccessResult>? ReadHandlerOf(string itemId) =>
        _readHandlers.IsEmpty ? null : _readHandlers.GetValueOrDefault(itemId);

    internal void SetReadHandler(string itemId, Func<MmsPeer, AccessResult>? handler)
    {
        if (handler is null) _readHandlers.TryRemove(itemId, out _);
        else _readHandlers[itemId] = handler;
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

    /// <summary>All variable names and component paths, sorted ordinally (the GetNameList order). Built on each call.</summary>
    public IReadOnlyList<string> Names => NamesAfter(null).ToArray();

    /// <summary>
    /// The variable names and component paths that sort ordinally after <paramref name="after"/> (all when null), in
    /// that order, built one at a time (see <see cref="OpenNames"/>; this makes a string of each).
    /// </summary>
    internal IEnumerable<string> NamesAfter(string? after)
    {
        var cursor = OpenNames(after);
        while (cursor.MoveNext()) yield return cursor.Current.ToString();
    }

    /// <summary>A cursor over the variable names and component paths that sort ordinally after <paramref name="after"/> (all when null).</summary>
    internal MmsNameCursor OpenNames(string? after)
    {
        MmsVariableRoot[] roots;
        lock (_gate)
        {
            if (_sorted is null)
            {
                var sorted = _variables.Values.ToArray();
                Array.Sort(sorted, (x, y) => string.CompareOrdinal(x.Name, y.Name));
                _sorted = sorted;
            }
            roots = _sorted;
        }
        return new MmsNameCursor(roots, after);
    }
}

/// <summary>A top-level variable: its name, type, writability rule and the value shared by all its components.</summary>
internal sealed class MmsVariableRoot(string name, MmsTypeDescription type, MmsValue value, Func<string, bool>? writable)
{
    public string Name { get; } = name;
    public MmsTypeDescription Type { get; } = type;
    public Func<string, bool>? WritableRule { get; } = writable;
    public MmsValue Value = value;
    public readonly object Gate = new();
}

/// <summary>
/// A named variable or one component of it, addressable by its item identifier. A handle: <see cref="MmsDomain.Find"/>
/// makes a new one each time, and all handles of one name read and write the same value.
/// </summary>
public sealed class MmsVariableNode
{
    private readonly MmsVariableRoot _root;
    private readonly int[] _path;

    internal MmsVariableNode(MmsDomain domain, string itemId, MmsTypeDescription type, MmsVariableRoot root, int[] path)
    {
        Domain = domain;
        ItemId = itemId;
        Type = type;
        _root = root;
        _path = path;
    }

    public MmsDomain Domain { get; }

    /// <summary>The item identifier (<c>LN$FC$DO$DA</c> for a component).</summary>
    public string ItemId { get; }

    public MmsTypeDescription Type { get; }

    /// <summary>Whether clients may write this variable or component.</summary>
    public bool Writable => _root.WritableRule?.Invoke(ItemId) ?? false;

    /// <summary>
    /// When set, a client's read of this node is answered by this function instead of the stored value
    /// (e.g. the IEC 61850 select-before-operate read of <c>...$CO$DO$SBO</c>, which selects).
    /// Host reads (<see cref="Read"/>) are not affected. Kept by the domain under the item identifier.
    /// </summary>
    public Func<MmsPeer, AccessResult>? ReadHandler
    {
        get => Domain.ReadHandlerOf(ItemId);
        set => Domain.SetReadHandler(ItemId, value);
    }

    /// <summary>Direct components (empty for a leaf).</summary>
    public IReadOnlyList<MmsVariableNode> Children
    {
        get
        {
            if (Type is not MmsStructureType s) return [];
            var children = new MmsVariableNode[s.Components.Count];
            for (var i = 0; i < children.Length; i++)
            {
                children[i] = new MmsVariableNode(Domain, ItemId + "$" + s.Components[i].Name, s.Components[i].Type, _root, [.. _path, i]);
            }
            return children;
        }
    }

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
