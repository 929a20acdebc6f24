using System.Text;

namespace Silica.Serving.OpenAi;

/// <summary>
/// Renders chat messages as one prompt for a base (not instruction-tuned) decoder. The models Silica serves carry no
/// Jinja chat template, so this is a fixed, plain-text transcript that GPT-2-style tokenizers handle without special
/// tokens: each message as <c>Role: content</c> followed by a blank line, then <c>Assistant:</c> for the reply.
/// <code>
/// System: You are terse.
///
/// User: Hi
///
/// Assistant:
/// </code>
/// A <c>developer</c> message renders as <c>System</c> (OpenAI's newer name for the same role).
/// </summary>
internal static class ChatTemplate
{
    public static string Render(IReadOnlyList<ChatMessage> messages)
    {
        var text = new StringBuilder();
        foreach (var m in messages)
        {
            text.Append(RoleLabel(m.Role)).Append(": ").Append(m.Content).Append("\n\n");
        }
        return text.Append("Assistant:").ToString();
    }

    private static string RoleLabel(string role) => role switch
    {
        "system" or "developer" => "System",
        "user" => "User",
        _ => "Assistant",
    };
}
