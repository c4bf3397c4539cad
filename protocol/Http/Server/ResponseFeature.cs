using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Collector.Protocol.Http.Server;

/// <summary>
/// The response as <see cref="HttpContext.Response"/> sees it. The body is buffered (<see cref="ResponseBuffer"/>):
/// nothing goes to the client until the handler has returned, so "started" only means the OnStarting callbacks
/// have run and the head is the handler's to finish.
/// </summary>
internal sealed class ResponseFeature : IHttpResponseFeature, IHttpResponseBodyFeature, IDisposable
{
    private readonly ResponseBuffer _body = new();
    private PipeWriter? _writer;
    private List<(Func<object, Task> Callback, object State)>? _onStarting;
    private List<(Func<object, Task> Callback, object State)>? _onCompleted;

    public int StatusCode { get; set; } = StatusCodes.Status200OK;

    public string? ReasonPhrase { get; set; }

    public IHeaderDictionary Headers { get; set; } = new HeaderDictionary();

    public bool HasStarted { get; private set; }

    /// <summary>The body written so far, once the handler's pipe writer (if it used one) is flushed.</summary>
    public ArraySegment<byte> Written => _body.Written;

    public Stream Stream => _body;

    public PipeWriter Writer => _writer ??= PipeWriter.Create(_body, new StreamPipeWriterOptions(leaveOpen: true));

    Stream IHttpResponseFeature.Body
    {
        get => _body;
        // Wrapping the body is done through IHttpResponseBodyFeature (HttpResponse.Body's setter does that);
        // replacing the stream here would take the response away from the server.
        set => throw new NotSupportedException("Replace the body through IHttpResponseBodyFeature.");
    }

    public void OnStarting(Func<object, Task> callback, object state) => (_onStarting ??= []).Add((callback, state));

    public void OnCompleted(Func<object, Task> callback, object state) => (_onCompleted ??= []).Add((callback, state));

    public void DisableBuffering()
    {
    }

    public Task StartAsync(CancellationToken cancellationToken = default) => RunOnStartingAsync();

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        SendFileFallback.SendFileAsync(_body, path, offset, count, cancellationToken);

    public Task CompleteAsync() => RunOnStartingAsync();

    /// <summary>Runs the OnStarting callbacks once, last registered first, as ASP.NET Core servers do.</summary>
    public async Task RunOnStartingAsync()
    {
        if (HasStarted) return;
        HasStarted = true;
        if (_onStarting is null) return;
        for (var i = _onStarting.Count - 1; i >= 0; i--) await _onStarting[i].Callback(_onStarting[i].State).ConfigureAwait(false);
    }

    /// <summary>After the handler: what it left in its pipe writer goes into the body.</summary>
    public async Task FinishBodyAsync()
    {
        if (_writer is not null) await _writer.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary>Puts a bare error status in place of whatever the handler had made of the response.</summary>
    public void Reset(int statusCode)
    {
        StatusCode = statusCode;
        ReasonPhrase = null;
        Headers.Clear();
        _body.Clear();
    }

    /// <summary>Runs the OnCompleted callbacks, last registered first, once the response has been sent.</summary>
    public async Task CompleteCallbacksAsync()
    {
        if (_onCompleted is null) return;
        for (var i = _onCompleted.Count - 1; i >= 0; i--) await _onCompleted[i].Callback(_onCompleted[i].State).ConfigureAwait(false);
    }

    public void Dispose() => _body.Dispose();
}
