namespace Silica.Serving.OpenAi;

/// <summary>One message of a chat request, its content already flattened to text.</summary>
internal sealed record ChatMessage(string Role, string Content);
