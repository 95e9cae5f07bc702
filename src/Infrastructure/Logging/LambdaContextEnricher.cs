using Serilog.Core;
using Serilog.Events;

namespace SocketRelay.Infrastructure.Logging;

/// <summary>
/// Stamps each event with the Lambda facts current when it is written, not when it is formatted,
/// so the facts stay right even if a sink ever buffers. The facts overwrite same-named properties:
/// they are the schema's, and a caller's <c>function_request_id</c> would only mislead.
/// </summary>
internal sealed class LambdaContextEnricher(LambdaLogContext context) : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        foreach (var property in context.CurrentProperties)
        {
            logEvent.AddOrUpdateProperty(property);
        }
    }
}
