using BenchmarkDotNet.Running;

// Runs every benchmark in this assembly; pass BenchmarkDotNet arguments through (e.g. --filter '*Encode*').
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
