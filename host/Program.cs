using Collector.Host.CommandLine;

return await CollectorCommandLine.RunAsync(args).ConfigureAwait(false);
