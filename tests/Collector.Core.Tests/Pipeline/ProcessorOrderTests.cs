using Collector.Core.Components;
using Collector.Core.Pipeline;

namespace Collector.Core.Tests.Pipeline;

public sealed class ProcessorOrderTests
{
    private static readonly ProcessorCapabilities Lifecycle = new() { RawSamples = RawSampleHandling.Consumed, Provides = PipelineFacts.ProcessResources };
    private static readonly ProcessorCapabilities Symbolization = new() { Needs = PipelineFacts.ProcessResources, Provides = PipelineFacts.FunctionNames };
    private static readonly ProcessorCapabilities Filter = new() { Needs = PipelineFacts.ProcessResources | PipelineFacts.FunctionNames };
    private static readonly ProcessorCapabilities Limiter = new() { RawSamples = RawSampleHandling.PassedThrough };

    private static List<ProcessorOrder.Problem> Check(params (string Id, ProcessorCapabilities Capabilities)[] processors) =>
        ProcessorOrder.Check([.. processors.Select(p => (ComponentId.Parse(p.Id), p.Capabilities))]);

    [Fact]
    public void The_usual_orders_pass()
    {
        Assert.Empty(Check(("memory_limiter", Limiter), ("pid_lifecycle", Lifecycle), ("symbolization", Symbolization), ("filter", Filter)));
        Assert.Empty(Check(("symbolization", Symbolization), ("filter", Filter)));
        Assert.Empty(Check(("filter", Filter)));
        Assert.Empty(Check());
    }

    [Fact]
    public void Symbolization_before_pid_lifecycle_is_one_problem_naming_both_on_the_misplaced_one()
    {
        var problem = Assert.Single(Check(("symbolization", Symbolization), ("pid_lifecycle", Lifecycle)));

        Assert.Equal(1, problem.Index);
        Assert.Equal(0, problem.OtherIndex);
        Assert.Equal("processor \"pid_lifecycle\" turns raw samples into profiles itself, but \"symbolization\" before it receives them already converted; list \"pid_lifecycle\" before \"symbolization\"", problem.Message);
    }

    [Fact]
    public void A_processor_that_needs_what_a_later_one_provides_is_refused()
    {
        var problem = Assert.Single(Check(("pid_lifecycle", Lifecycle), ("filter/names", Filter), ("symbolization", Symbolization)));

        Assert.Equal(1, problem.Index);
        Assert.Equal(2, problem.OtherIndex);
        Assert.Contains("\"filter/names\" needs function names, which \"symbolization\" provides", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_processor_that_passes_raw_samples_through_may_come_first_but_a_converting_one_may_not()
    {
        Assert.Empty(Check(("memory_limiter", Limiter), ("pid_lifecycle", Lifecycle)));
        var problem = Assert.Single(Check(("resource", ProcessorCapabilities.Default), ("pid_lifecycle", Lifecycle)));
        Assert.Contains("\"resource\" before it receives them already converted", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_misplaced_pair_is_reported()
    {
        var problems = Check(("filter", Filter), ("symbolization", Symbolization), ("pid_lifecycle", Lifecycle));

        Assert.Equal(
            [(0, 1), (2, 0), (2, 1)],
            problems.Select(p => (p.Index, p.OtherIndex)).ToList());
    }
}
