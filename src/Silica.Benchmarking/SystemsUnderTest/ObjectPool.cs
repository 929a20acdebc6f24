namespace Silica.Benchmarking.SystemsUnderTest;

/// <summary>
/// A small lock-protected stack of reusable objects. Rent and return are a few tens of nanoseconds
/// uncontended, and unlike <see cref="System.Collections.Concurrent.ConcurrentStack{T}"/> it allocates
/// no node per push, which keeps the measuring path allocation-free.
/// </summary>
internal sealed class ObjectPool<T>
    where T : class
{
    private readonly Func<ObjectPool<T>, T> _factory;
    private readonly Lock _lock = new();
    private T[] _items;
    private int _count;

    public ObjectPool(Func<ObjectPool<T>, T> factory, int initialCapacity = 64)
    {
        _factory = factory;
        _items = new T[Math.Max(1, initialCapacity)];
    }

    public T Rent()
    {
        lock (_lock)
        {
            if (_count > 0)
            {
                var item = _items[--_count];
                _items[_count] = null!;
                return item;
            }
        }

        // Slow path: the pool grows to the peak number of outstanding objects, then stops allocating.
        return _factory(this);
    }

    public void Return(T item)
    {
        lock (_lock)
        {
            if (_count == _items.Length)
            {
                Array.Resize(ref _items, _items.Length * 2);
            }

            _items[_count++] = item;
        }
    }
}
