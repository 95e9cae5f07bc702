using Microsoft.Extensions.Time.Testing;
using SocketRelay.LocalGateway.DevConsole;

namespace SocketRelay.LocalGateway.Tests.DevConsole;

public sealed class FunctionLogTapTests
{
    [Fact]
    public void Lines_pass_through_unchanged_and_those_with_a_function_request_id_are_kept_per_invocation()
    {
        var recorder = new PipelineRecorder(new FakeTimeProvider());
        var output = new StringWriter();
        using var tap = new FunctionLogTap(output, recorder);
        const string Init = """{"level":"Information","message":"init","cold_start":true}""";
        const string First = """{"level":"Information","message":"one","cold_start":true,"function_request_id":"req-1"}""";
        const string Second = """{"level":"Warning","message":"two","cold_start":false,"function_request_id":"req-2"}""";

        tap.Write(Init + "\n" + First[..20]);
        tap.Write(First[20..] + "\n");
        tap.WriteLine(Second);

        Assert.Equal(Init + "\n" + First + "\n" + Second + Environment.NewLine, output.ToString());
        var invocations = Invocations(recorder);
        Assert.Equal(["req-2", "req-1"], invocations.Select(i => i.GetProperty("requestId").GetString()));
        Assert.Equal("one", invocations[1].GetProperty("logs")[0].GetProperty("message").GetString());
        Assert.True(invocations[1].GetProperty("coldStart").GetBoolean());
        Assert.False(invocations[0].GetProperty("coldStart").GetBoolean());
        Assert.Equal(1, invocations[0].GetProperty("logs").GetArrayLength());
    }

    [Fact]
    public void A_line_with_no_request_id_of_its_own_is_kept_under_the_invocation_its_host_names_and_a_powertools_key_wins()
    {
        var recorder = new PipelineRecorder(new FakeTimeProvider());
        var output = new StringWriter();
        using var tap = new FunctionLogTap(output, recorder);
        const string Text = "2026-12-03T00:00:00.000Z\treq-1\tINFO\thello from console.log";
        const string Tagged = """{"message":"two","function_request_id":"req-2"}""";

        tap.WriteLine(Text, "req-1");
        tap.WriteLine(Tagged, "req-1");
        tap.WriteLine("written during init", null);

        Assert.Equal(string.Join(Environment.NewLine, Text, Tagged, "written during init") + Environment.NewLine, output.ToString());
        var invocations = Invocations(recorder);
        Assert.Equal(["req-2", "req-1"], invocations.Select(i => i.GetProperty("requestId").GetString()));
        Assert.Equal(Text, Assert.Single(invocations[1].GetProperty("logs").EnumerateArray()).GetString());
        Assert.Equal("two", Assert.Single(invocations[0].GetProperty("logs").EnumerateArray()).GetProperty("message").GetString());
    }

    private static List<System.Text.Json.JsonElement> Invocations(PipelineRecorder recorder)
    {
        using var buffer = new MemoryStream();
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            recorder.WriteInvocations(json, 10);
        }

        return [.. System.Text.Json.JsonDocument.Parse(buffer.ToArray()).RootElement.GetProperty("invocations").EnumerateArray()];
    }
}
