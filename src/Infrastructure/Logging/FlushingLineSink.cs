using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace SocketRelay.Infrastructure.Logging;

/// <summary>
/// Writes each event's line to the output and flushes it before returning, so nothing is lost
/// when Lambda freezes or kills the process right after. Lines from concurrent message groups are
/// written whole, one after the other.
/// </summary>
internal sealed class FlushingLineSink(ITextFormatter formatter, TextWriter output) : ILogEventSink
{
    private readonly Lock _writing = new();

    public void Emit(LogEvent logEvent)
    {
        lock (_writing)
        {
            formatter.Format(logEvent, output);
            output.Flush();
        }
    }
}
