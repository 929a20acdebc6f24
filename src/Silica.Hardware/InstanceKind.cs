namespace Silica.Hardware;

/// <summary>Where an instance comes from.</summary>
public enum InstanceKind
{
    /// <summary>A cloud instance type with a list price.</summary>
    Cloud,

    /// <summary>This machine, described at run time; unpriced unless the user gives a price.</summary>
    Local,
}
