using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;

namespace Collector.Protocol.Http.Server;

/// <summary>
/// Runs one request through the hosting application without the connection knowing its context type. The
/// response is sent between the handler and the context's disposal, so the hosting layer's request log and
/// metrics see the status actually sent (a 500 for a handler that threw).
/// </summary>
internal abstract class ApplicationRunner
{
    /// <summary>
    /// Creates the request's context from <paramref name="features"/>, runs the handler, then calls
    /// <paramref name="respond"/> with the handler's exception (or null) and disposes the context.
    /// </summary>
    public abstract Task RunAsync<TState>(IFeatureCollection features, TState state, Func<TState, Exception?, Task> respond);

    public static ApplicationRunner For<TContext>(IHttpApplication<TContext> application) where TContext : notnull => new Typed<TContext>(application);

    private sealed class Typed<TContext>(IHttpApplication<TContext> application) : ApplicationRunner where TContext : notnull
    {
        public override async Task RunAsync<TState>(IFeatureCollection features, TState state, Func<TState, Exception?, Task> respond)
        {
            var context = application.CreateContext(features);
            Exception? error = null;
            try
            {
                await application.ProcessRequestAsync(context).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Whatever the handler throws becomes a 500 for this request, not the end of the connection loop.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                error = exception;
            }
            try
            {
                await respond(state, error).ConfigureAwait(false);
            }
            finally
            {
                application.DisposeContext(context, error);
            }
        }
    }
}
