using BenchmarkDotNet.Running;
using Silica.Benchmarks;

// Verbs for measurements that are not BenchmarkDotNet micro-benchmarks:
//   dotnet run -c Release --project benchmarks/Silica.Benchmarks -- loadgen-accuracy [runs] [qps] [seconds]
if (args.Length > 0 && args[0] == "loadgen-accuracy")
{
    return await LoadGeneratorAccuracy.RunAsync(args[1..]);
}

// Run all or some benchmarks: dotnet run -c Release --project benchmarks/Silica.Benchmarks -- --filter '*Onnx*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
