using Silica.Serving.OpenAi;

namespace Silica.Serving.Tests.OpenAi;

public sealed class ChatTemplateTests
{
    [Fact]
    public void Render_Messages_WritesRoleLabelledTranscriptEndingWithAssistantCue()
    {
        var text = ChatTemplate.Render([new("developer", "Be terse."), new("user", "Hi"), new("assistant", "Hello."), new("user", "Again")]);

        Assert.Equal("System: Be terse.\n\nUser: Hi\n\nAssistant: Hello.\n\nUser: Again\n\nAssistant:", text);
    }
}
