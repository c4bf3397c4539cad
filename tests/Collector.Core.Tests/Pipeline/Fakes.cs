using Collector.Core.Components;
using Collector.Core.Helpers;
using Collector.Core.Model;
using Microsoft.Extensions.Logging.Abstractions;

namespace Collector.Core.Tests.Pipeline;

/// <summary>Records what the fake components did, in order, across threads.</summary>
public sealed class Journal
{
    private readonly List<string> _entries = [];

    public IReadOnlyList<string> Entries { get { lock (_entries) return [.. _entries]; } }

    public void Add(string entry) { lock (_entries) _entries.Add(entry); }
}

public sealed class FakeOptions : IComponentOptions
{
    public bool Mutates { get; set; }

    public IEnumerable<OptionsError> Validate() => [];
}

/// <summary>Emits whatever the test pushes through <see cref="EmitAsync"/>; refuses to emit before start or after shutdown.</summary>
public sealed class FakeReceiver(string id, Journal journal, IProfilesConsumer next) : IReceiver
{
    private bool _running;

    public IProfilesConsumer Next => next;

    public Task StartAsync(IComponentHost host, CancellationToken cancellationToken)
    {
        journal.Add($"start {id}");
        _running = true;
        return Task.CompletedTask;
    }

    public Task ShutdownAsync(CancellationToken cancellationToken)
    {
        journal.Add($"shutdown {id}");
        _running = false;
        return Task.CompletedTask;
    }

    public ValueTask EmitAsync(ProfileBatch batch) =>
        _running ? next.ConsumeAsync(batch, CancellationToken.None) : throw new InvalidOperationException($"{id} is not running");
}

/// <summary>Holds every batch until shutdown, then flushes them downstream: proves flush happens before exporters stop.</summary>
public sealed class FakeBufferingProcessor(ComponentCreateSettings settings, string id, Journal journal, IProfilesConsumer next, bool mutates)
    : ProcessorBase(settings, next)
{
    private readonly List<ProfileBatch> _held = [];

    public override bool MutatesData => mutates;

    protected override Task OnStartAsync(IComponentHost host, CancellationToken cancellationToken)
    {
        journal.Add($"start {id}");
        return Task.CompletedTask;
    }

    protected override ValueTask ProcessAsync(ProfileBatch batch, CancellationToken cancellationToken)
    {
        if (mutates) batch.ProcessEvents.Add(new ProcessEvent(ProcessEventKind.Exec, 1, 0, 0, id));
        lock (_held) _held.Add(batch);
        return ValueTask.CompletedTask;
    }

    protected override async Task OnShutdownAsync(CancellationToken cancellationToken)
    {
        journal.Add($"shutdown {id}");
        List<ProfileBatch> held;
        lock (_held) { held = [.. _held]; _held.Clear(); }
        foreach (var batch in held) await ForwardAsync(batch, cancellationToken);
    }
}

public sealed class FakeExporter(ComponentCreateSettings settings, string id, Journal journal, bool mutates) : ExporterBase(settings)
{
    /// <summary>One used outside a graph (fan-out tests): its settings record nowhere.</summary>
    public FakeExporter(string id, Journal journal, bool mutates)
        : this(new ComponentCreateSettings { Id = ComponentId.Of("fake_exporter"), Kind = ComponentKind.Exporter, LoggerFactory = NullLoggerFactory.Instance }, id, journal, mutates)
    {
    }

    public List<ProfileBatch> Received { get; } = [];

    public override bool MutatesData => mutates;

    public Exception? FailWith { get; set; }

    protected override Task OnStartAsync(IComponentHost host, CancellationToken cancellationToken)
    {
        journal.Add($"start {id}");
        return Task.CompletedTask;
    }

    protected override ValueTask ExportAsync(ProfileBatch batch, CancellationToken cancellationToken)
    {
        if (FailWith is not null) throw FailWith;
        if (mutates) batch.ProcessEvents.Add(new ProcessEvent(ProcessEventKind.Exit, 2, 0, 0, id));
        lock (Received) Received.Add(batch);
        journal.Add($"consume {id}");
        return ValueTask.CompletedTask;
    }

    protected override Task OnShutdownAsync(CancellationToken cancellationToken)
    {
        journal.Add($"shutdown {id}");
        return Task.CompletedTask;
    }
}

public sealed class FakeReceiverFactory(Journal journal) : ReceiverFactory<FakeOptions>
{
    public List<FakeReceiver> Created { get; } = [];

    public override string Type => "fake_receiver";

    public override string Description => "test receiver";

    protected override IReceiver Create(ComponentCreateSettings settings, FakeOptions options, IProfilesConsumer next)
    {
        var receiver = new FakeReceiver($"receiver/{settings.Id}", journal, next);
        Created.Add(receiver);
        return receiver;
    }
}

public sealed class FakeProcessorFactory(Journal journal) : ProcessorFactory<FakeOptions>
{
    public override string Type => "fake_processor";

    public override string Description => "test processor";

    protected override IProcessor Create(ComponentCreateSettings settings, FakeOptions options, IProfilesConsumer next) =>
        new FakeBufferingProcessor(settings, $"processor/{settings.Id}", journal, next, options.Mutates);
}

public sealed class FakeExporterFactory(Journal journal, IReadOnlyList<string>? aliases = null) : ExporterFactory<FakeOptions>
{
    public Dictionary<string, FakeExporter> Created { get; } = [];

    public override string Type => "fake_exporter";

    public override string Description => "test exporter";

    public override IReadOnlyList<string> Aliases => aliases ?? [];

    protected override IExporter Create(ComponentCreateSettings settings, FakeOptions options)
    {
        var exporter = new FakeExporter(settings, $"exporter/{settings.Id}", journal, options.Mutates);
        Created.Add(settings.Id.ToString(), exporter);
        return exporter;
    }
}
