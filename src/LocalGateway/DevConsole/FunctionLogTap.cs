using System.Text;
using SocketRelay.LocalGateway.Lambda;

namespace SocketRelay.LocalGateway.DevConsole;

/// <summary>
/// Passes the function's output through unchanged and hands each line that belongs to an invocation to the
/// recorder, so the console can show an invocation's own log lines. A line belongs to the invocation its
/// <c>function_request_id</c> (Powertools' key) names; failing that, to the invocation its function host says
/// was running when the line was written (<see cref="IInvocationLogWriter"/>: any line of a child process,
/// JSON or not). Other lines (initialisation, in-process EMF metrics) only pass through.
/// </summary>
public sealed class FunctionLogTap(TextWriter inner, PipelineRecorder recorder) : TextWriter, IInvocationLogWriter
{
    private const string RequestIdKey = "\"function_request_id\":\"";
    private const string ColdStartTrue = "\"cold_start\":true";
    private const string ColdStartFalse = "\"cold_start\":false";

    private readonly Lock _lock = new();
    private readonly StringBuilder _partial = new();

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        lock (_lock)
        {
            inner.Write(value);
            if (value == '\n')
            {
                Capture(_partial.ToString());
                _partial.Clear();
            }
            else
            {
                _partial.Append(value);
            }
        }
    }

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        lock (_lock)
        {
            inner.Write(value);
            Split(value.AsSpan());
        }
    }

    public override void Write(char[] buffer, int index, int count)
    {
        lock (_lock)
        {
            inner.Write(buffer, index, count);
            Split(buffer.AsSpan(index, count));
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_lock)
        {
            inner.WriteLine(value);
            Split((value ?? "").AsSpan());
            Capture(_partial.ToString());
            _partial.Clear();
        }
    }

    public void WriteLine(string line, string? invocationRequestId)
    {
        ArgumentNullException.ThrowIfNull(line);
        lock (_lock)
        {
            inner.WriteLine(line);
            Split(line.AsSpan());
            Capture(_partial.ToString(), invocationRequestId);
            _partial.Clear();
        }
    }

    public override void Flush() => inner.Flush();

    /// <summary>The invocation a log line belongs to and its <c>cold_start</c>, read without parsing the whole line.</summary>
    internal static (string? RequestId, bool? ColdStart) Read(string line)
    {
        var start = line.IndexOf(RequestIdKey, StringComparison.Ordinal);
        if (start < 0)
        {
            return (null, null);
        }

        start += RequestIdKey.Length;
        var end = line.IndexOf('"', start);
        if (end <= start)
        {
            return (null, null);
        }

        bool? coldStart = line.Contains(ColdStartTrue, StringComparison.Ordinal) ? true
            : line.Contains(ColdStartFalse, StringComparison.Ordinal) ? false : null;
        return (line[start..end], coldStart);
    }

    private void Split(ReadOnlySpan<char> text)
    {
        int newline;
        while ((newline = text.IndexOf('\n')) >= 0)
        {
            if (_partial.Length == 0)
            {
                Capture(text[..newline].ToString());
            }
            else
            {
                _partial.Append(text[..newline]);
                Capture(_partial.ToString());
                _partial.Clear();
            }

            text = text[(newline + 1)..];
        }

        if (!text.IsEmpty)
        {
            _partial.Append(text);
        }
    }

    private void Capture(string line, string? invocationRequestId = null)
    {
        var trimmed = line.TrimEnd('\r');
        var (requestId, coldStart) = Read(trimmed);
        if ((requestId ?? invocationRequestId) is { } invocation)
        {
            recorder.FunctionLogLine(invocation, trimmed, coldStart);
        }
    }
}
