using System.ClientModel;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using ChatFinishReason = OpenAI.Chat.ChatFinishReason;

namespace Silica.FunctionalTests;

/// <summary>The official OpenAI .NET SDK and Microsoft.Extensions.AI's IChatClient against Silica's OpenAI API and the real engine.</summary>
public sealed class OpenAiSdkTests(OpenAiEngineHost host) : IClassFixture<OpenAiEngineHost>
{
    private ChatClient Chat => new(OpenAiEngineHost.Model, new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = host.V1 });

    private static readonly OpenAI.Chat.ChatMessage[] Messages = [new SystemChatMessage("You are terse."), new UserChatMessage("Name a colour.")];

    private const string Transcript = "System: You are terse.\n\nUser: Name a colour.\n\nAssistant:";

    [Fact]
    public async Task OpenAiSdk_CompleteChat_ReturnsTheEnginesGreedyTextAndUsage()
    {
        ChatCompletion completion = await Chat.CompleteChatAsync(Messages, new ChatCompletionOptions { MaxOutputTokenCount = 6, Temperature = 0 });

        Assert.Equal(await host.GreedyAsync(Transcript, 6), completion.Content.Single().Text);
        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.Equal(6, completion.Usage.OutputTokenCount);
        Assert.Equal(host.Engine.Tokenizer.Encode(Transcript).Count, completion.Usage.InputTokenCount);
        Assert.Equal(OpenAiEngineHost.Model, completion.Model);
    }

    [Fact]
    public async Task OpenAiSdk_CompleteChatStreaming_StreamsTheSameTextThenUsage()
    {
        var text = new System.Text.StringBuilder();
        ChatTokenUsage? usage = null;
        OpenAI.Chat.ChatFinishReason? finish = null;
        var updates = 0;
        await foreach (var update in Chat.CompleteChatStreamingAsync(Messages, new ChatCompletionOptions { MaxOutputTokenCount = 6, Temperature = 0 }))
        {
            updates++;
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
            usage = update.Usage ?? usage;
            finish = update.FinishReason ?? finish;
        }

        Assert.Equal(await host.GreedyAsync(Transcript, 6), text.ToString());
        Assert.True(updates >= 3, $"expected the text in several chunks, got {updates} updates");
        Assert.Equal(ChatFinishReason.Length, finish);
        Assert.NotNull(usage);
        Assert.Equal(6, usage.OutputTokenCount);
    }

    [Fact]
    public async Task ExtensionsAi_IChatClient_PlainAndStreaming_AgreeWithTheEngine()
    {
        IChatClient client = Chat.AsIChatClient();
        List<Microsoft.Extensions.AI.ChatMessage> messages = [new(ChatRole.System, "You are terse."), new(ChatRole.User, "Name a colour.")];
        var options = new ChatOptions { MaxOutputTokens = 5, Temperature = 0 };
        var expected = await host.GreedyAsync(Transcript, 5);

        var response = await client.GetResponseAsync(messages, options);
        var streamed = new System.Text.StringBuilder();
        await foreach (var update in client.GetStreamingResponseAsync(messages, options))
        {
            streamed.Append(update.Text);
        }

        Assert.Equal(expected, response.Text);
        Assert.Equal(Microsoft.Extensions.AI.ChatFinishReason.Length, response.FinishReason);
        Assert.Equal(5, response.Usage?.OutputTokenCount);
        Assert.Equal(expected, streamed.ToString());
    }

    [Fact]
    public async Task OpenAiSdk_UnknownModel_ThrowsWith404()
    {
        var client = new ChatClient("no-such-model", new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = host.V1 });

        var e = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(404, e.Status);
        Assert.Contains("no-such-model", e.Message, StringComparison.Ordinal);
    }
}
