namespace Silica.Runtime.Cuda.Planning;

/// <summary>Liveness of the arena-resident buffers over step order, then <see cref="ArenaPlanner"/> offsets.</summary>
internal static class MemoryPlanner
{
    /// <summary>Sets <see cref="PlanBuffer.Offset"/> on Input, Output and Arena buffers; returns the arena size.</summary>
    public static long Assign(List<PlanBuffer> buffers, List<Step> steps, List<int> inputs, List<int> outputs)
    {
        var intervals = Liveness(buffers, steps, inputs, outputs);
        var ids = intervals.Keys.Order().ToList();
        var assignment = ArenaPlanner.Assign([.. ids.Select(id => (buffers[id].ByteSize, intervals[id].First, intervals[id].Last))]);
        for (var i = 0; i < ids.Count; i++)
        {
            buffers[ids[i]].Offset = assignment.Offsets[i];
        }
        return assignment.PeakBytes;
    }

    /// <summary>[first, last] step index per arena-resident buffer; a view keeps its base alive.</summary>
    public static Dictionary<int, (int First, int Last)> Liveness(IReadOnlyList<PlanBuffer> buffers, IReadOnlyList<Step> steps,
        IReadOnlyList<int> inputs, IReadOnlyList<int> outputs)
    {
        var live = new Dictionary<int, (int First, int Last)>();
        void Touch(int id, int step)
        {
            var root = buffers[id].Kind == BufferKind.View ? buffers[id].ViewOf : id;
            if (buffers[root].Kind is BufferKind.Input or BufferKind.Output or BufferKind.Arena)
            {
                live[root] = live.TryGetValue(root, out var r) ? (Math.Min(r.First, step), Math.Max(r.Last, step)) : (step, step);
            }
        }
        for (var i = 0; i < steps.Count; i++)
        {
            foreach (var id in StepBuffers.Reads(steps[i]))
            {
                Touch(id, i);
            }
            Touch(StepBuffers.Writes(steps[i]), i);
        }
        foreach (var id in inputs)
        {
            Touch(id, 0);
        }
        var end = Math.Max(steps.Count - 1, 0);
        foreach (var id in outputs)
        {
            Touch(id, end);
        }
        foreach (var b in buffers.Where(b => b.Kind == BufferKind.Arena && !live.ContainsKey(b.Id)))
        {
            live[b.Id] = (0, 0);
        }
        return live;
    }
}
