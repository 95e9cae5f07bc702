namespace SocketRelay.Application.Configuration;

/// <summary>
/// One thing wrong with one setting: <see cref="Name"/> is the name its user set it by (a property
/// such as <c>MaxConcurrentGroups</c>, or a host's own name for it, such as <c>--port</c>), and
/// <see cref="Problem"/> says what is wrong and what would do, with the value given, e.g.
/// <c>must be at least 1 (was 0)</c>. Every options type of SocketRelay reports its problems as
/// these, all at once, from a <c>Problems()</c> method.
/// </summary>
public readonly record struct OptionProblem(string Name, string Problem)
{
    /// <summary>A copy under another name: how a host reports a component's problem by its own switch or variable.</summary>
    public OptionProblem Renamed(string name) => this with { Name = name };

    /// <summary><c>{Name} {Problem}</c>, e.g. <c>MaxConcurrentGroups must be at least 1 (was 0)</c>.</summary>
    public override string ToString() => $"{Name} {Problem}";
}
