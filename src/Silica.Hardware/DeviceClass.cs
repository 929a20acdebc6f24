namespace Silica.Hardware;

/// <summary>The kind of silicon a device is; decides which runtime can target it.</summary>
public enum DeviceClass
{
    /// <summary>A general-purpose CPU; catalog figures are per physical core.</summary>
    Cpu,

    /// <summary>A GPU (NVIDIA in this catalog).</summary>
    Gpu,

    /// <summary>AWS Inferentia (Neuron SDK).</summary>
    Inferentia,

    /// <summary>AWS Trainium (Neuron SDK).</summary>
    Trainium,

    /// <summary>Google Cloud TPU (XLA).</summary>
    Tpu,
}
