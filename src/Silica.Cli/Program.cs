using Silica.Cli;

return await SilicaCommand.RunAsync(args).ConfigureAwait(false);
