namespace Silica.Serving.Tests.OpenAi;

public sealed class OpenAiKeyTests
{
    [Fact]
    public async Task Chat_ApiKeyConfigured_RefusesWithoutItInOpenAiShapeAndServesWithIt()
    {
        await using var host = await OpenAiTestHost.StartAsync([new ScriptedEngine()], new ServerHostOptions { ApiKey = "sk-test" });
        const string body = """{"model":"scripted","messages":[{"role":"user","content":"hi"}],"max_tokens":2}""";

        using (var refused = await host.PostAsync("/v1/chat/completions", body))
        {
            var error = await OpenAiTestHost.AssertErrorAsync(refused, 401, null, "API key");
            Assert.Equal("invalid_api_key", error.GetProperty("code").GetString());
        }
        using (var models = await host.Client.GetAsync("/v1/models"))
        {
            await OpenAiTestHost.AssertErrorAsync(models, 401, null, "API key");
        }
        host.Client.DefaultRequestHeaders.Authorization = new("Bearer", "sk-test");
        using var ok = await host.PostAsync("/v1/chat/completions", body);
        Assert.Equal(200, (int)ok.StatusCode);
    }

    [Fact]
    public async Task Chat_BodyOverTheLimit_Answers413InOpenAiShape()
    {
        await using var host = await OpenAiTestHost.StartAsync([new ScriptedEngine()], new ServerHostOptions { MaxRequestBodyBytes = 2048 });
        var big = new string('x', 4096);

        using var response = await host.PostAsync("/v1/chat/completions", $$"""{"model":"scripted","messages":[{"role":"user","content":"{{big}}"}]}""");

        await OpenAiTestHost.AssertErrorAsync(response, 413, null, "2048-byte limit");
    }
}
