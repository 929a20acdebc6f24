using BenchmarkDotNet.Running;

// Run all or some benchmarks: dotnet run -c Release --project benchmarks/Silica.Benchmarks -- --filter '*Onnx*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
