// Load-generator tests measure time; running them side by side on a small machine would make each
// one's timing depend on the others, so the assembly runs its tests one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
