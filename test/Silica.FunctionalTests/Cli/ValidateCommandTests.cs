namespace Silica.FunctionalTests.Cli;

public sealed class ValidateCommandTests
{
    [Fact]
    public async Task Validate_TwoModels_ReportsHeldOutErrors()
    {
        var r = await CliRunner.RunAsync("validate", "zoo:mlp", "zoo:mobilenetv2", "--batch", "1,2,4", "--budget", "3s");
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Matches(@"median \|error\|: leave one batch out [0-9.]+%, leave one model out [0-9.]+%", r.StdOut);
        Assert.Contains("zoo:mobilenetv2", r.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_UnknownModel_OneLineError() =>
        CliRunner.AssertOneLineError(await CliRunner.RunAsync("validate", "zoo:nosuch"));
}
