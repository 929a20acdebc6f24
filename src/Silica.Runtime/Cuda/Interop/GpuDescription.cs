namespace Silica.Runtime.Cuda.Interop;

/// <summary>What the driver says about one device.</summary>
internal sealed record GpuDescription(string Name, int Major, int Minor, long TotalMemoryBytes, int MultiprocessorCount, string DriverVersion);
