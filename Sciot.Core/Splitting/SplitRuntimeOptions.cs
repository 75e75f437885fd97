using Microsoft.ML.OnnxRuntime;

namespace Sciot.Core.Splitting;

/// <summary>How parts are executed. One intra-op thread by default: a server holds many sessions and serves many clients at once.</summary>
public sealed record SplitRuntimeOptions
{
    public int IntraOpThreads { get; init; } = 1;
    public int SessionCacheCapacity { get; init; } = 256;
    public GraphOptimizationLevel Optimization { get; init; } = GraphOptimizationLevel.ORT_ENABLE_ALL;

    public SessionOptions CreateSessionOptions() => new()
    {
        IntraOpNumThreads = IntraOpThreads,
        InterOpNumThreads = 1,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        GraphOptimizationLevel = Optimization,
    };
}
