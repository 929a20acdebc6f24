namespace Silica.Cli;

/// <summary>A mistake in what the user typed (a bad flag value, a malformed binding); printed as one line, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
