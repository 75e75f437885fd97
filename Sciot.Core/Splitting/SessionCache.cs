namespace Sciot.Core.Splitting;

/// <summary>
/// Lazily created, bounded (LRU) cache of ORT sessions. A server may touch every cut of several models; holding all of
/// them costs memory, creating them per request costs milliseconds. Evicted sessions are disposed once no caller still
/// holds a lease on them.
/// </summary>
public sealed class SessionCache(int capacity) : IDisposable
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _recency = new();
    private readonly Lock _lock = new();
    private bool _disposed;

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "must be > 0");

    public int Count
    {
        get { lock (_lock) { return _entries.Count; } }
    }

    public long CreatedCount { get; private set; }

    public Lease Acquire(string key, Func<OrtPart> create)
    {
        Entry entry;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_entries.TryGetValue(key, out var existing))
            {
                entry = existing;
                _recency.Remove(entry.Node);
                _recency.AddFirst(entry.Node);
            }
            else
            {
                entry = new Entry(new Lazy<OrtPart>(create, LazyThreadSafetyMode.ExecutionAndPublication), _recency.AddFirst(key));
                _entries[key] = entry;
                CreatedCount++;
                while (_entries.Count > Capacity)
                {
                    var oldest = _recency.Last!.Value;
                    _recency.RemoveLast();
                    var evicted = _entries[oldest];
                    _entries.Remove(oldest);
                    evicted.Evicted = true;
                    DisposeIfIdle(evicted);
                }
            }
            entry.Leases++;
        }
        try
        {
            return new Lease(this, entry, entry.Part.Value);
        }
        catch
        {
            lock (_lock)
            {
                entry.Leases--;
                _entries.Remove(key);
                _recency.Remove(entry.Node);
            }
            throw;
        }
    }

    private void Release(Entry entry)
    {
        lock (_lock)
        {
            entry.Leases--;
            DisposeIfIdle(entry);
        }
    }

    private static void DisposeIfIdle(Entry entry)
    {
        if (entry is { Evicted: true, Leases: 0 } && entry.Part.IsValueCreated)
        {
            entry.Part.Value.Dispose();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            foreach (var entry in _entries.Values)
            {
                entry.Evicted = true;
                DisposeIfIdle(entry);
            }
            _entries.Clear();
            _recency.Clear();
        }
    }

    internal sealed class Entry(Lazy<OrtPart> part, LinkedListNode<string> node)
    {
        public Lazy<OrtPart> Part { get; } = part;
        public LinkedListNode<string> Node { get; } = node;
        public int Leases { get; set; }
        public bool Evicted { get; set; }
    }

    public readonly struct Lease : IDisposable
    {
        private readonly SessionCache _cache;
        private readonly Entry _entry;

        internal Lease(SessionCache cache, Entry entry, OrtPart part)
        {
            _cache = cache;
            _entry = entry;
            Part = part;
        }

        public OrtPart Part { get; }

        public void Dispose() => _cache.Release(_entry);
    }
}
