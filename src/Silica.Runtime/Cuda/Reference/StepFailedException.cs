namespace Silica.Runtime.Cuda.Reference;

/// <summary>A step of a plan failed in the reference interpreter; the message names the step's index, kind and name.</summary>
internal sealed class StepFailedException(string message, Exception inner) : Exception(message, inner);
