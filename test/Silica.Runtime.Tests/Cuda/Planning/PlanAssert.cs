using Silica.Runtime.Cuda.Planning;

namespace Silica.Runtime.Tests.Cuda.Planning;

/// <summary>Checks on a finished plan computed independently of the planner's own liveness code.</summary>
internal static class PlanAssert
{
    /// <summary>No two arena-resident buffers live at the same step share a byte; offsets are aligned and inside the arena.</summary>
    public static void ArenaIsSound(ExecutionPlan plan)
    {
        var first = new Dictionary<int, int>();
        var last = new Dictionary<int, int>();
        int Root(int id) => plan[id].Kind == BufferKind.View ? plan[id].ViewOf : id;
        void Use(int id, int step)
        {
            var r = Root(id);
            if (plan[r].Kind is BufferKind.Weight)
            {
                return;
            }
            first[r] = Math.Min(first.GetValueOrDefault(r, int.MaxValue), step);
            last[r] = Math.Max(last.GetValueOrDefault(r, int.MinValue), step);
        }
        for (var i = 0; i < plan.Steps.Count; i++)
        {
            foreach (var id in StepBuffers.Reads(plan.Steps[i]).Append(StepBuffers.Writes(plan.Steps[i])))
            {
                Assert.InRange(id, 0, plan.Buffers.Count - 1);
                Use(id, i);
            }
        }
        foreach (var id in plan.Inputs)
        {
            Use(id, 0);
        }
        foreach (var id in plan.Outputs)
        {
            Use(id, plan.Steps.Count - 1);
        }
        var ids = first.Keys.ToList();
        foreach (var id in ids)
        {
            Assert.Equal(0, plan[id].Offset % 256);
            Assert.True(plan[id].Offset + plan[id].ByteSize <= plan.ArenaBytes, $"{plan[id]} ends past the arena");
        }
        foreach (var b in plan.Buffers.Where(b => b.Kind == BufferKind.View))
        {
            Assert.NotEqual(BufferKind.View, plan[b.ViewOf].Kind);
            Assert.True(b.ByteSize <= plan[b.ViewOf].ByteSize, $"view {b} is larger than its base");
        }
        // Sweep by offset: sort by start, compare neighbours that overlap in bytes.
        var byStart = ids.OrderBy(id => plan[id].Offset).ToList();
        for (var i = 0; i < byStart.Count; i++)
        {
            var a = plan[byStart[i]];
            for (var j = i + 1; j < byStart.Count && plan[byStart[j]].Offset < a.Offset + a.ByteSize; j++)
            {
                var bId = byStart[j];
                var timeOverlap = first[a.Id] <= last[bId] && first[bId] <= last[a.Id];
                Assert.False(timeOverlap && plan[bId].ByteSize > 0 && a.ByteSize > 0, $"{a} and {plan[bId]} are live together and overlap");
            }
        }
    }
}
