namespace SocketRelay.Application.Configuration;

/// <summary>
/// Thrown by the <c>Validate()</c> of every SocketRelay options type. <see cref="Problems"/> holds
/// every problem found, not only the first; the message lists them as
/// <c>Invalid {options type}: {name} {problem}; …</c>, and <see cref="ParamName"/>
/// is the first problem's setting.
/// </summary>
public sealed class InvalidOptionsException : ArgumentException
{
    public InvalidOptionsException()
    {
    }

    public InvalidOptionsException(string message)
        : base(message)
    {
    }

    public InvalidOptionsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <param name="optionsName">The options type, e.g. <c>BatchProcessingOptions</c>.</param>
    /// <param name="problems">At least one problem.</param>
    public InvalidOptionsException(string optionsName, IReadOnlyList<OptionProblem> problems)
        : base($"Invalid {optionsName}: {string.Join("; ", problems ?? [])}") =>
        Problems = problems ?? [];

    public IReadOnlyList<OptionProblem> Problems { get; } = [];

    /// <summary>The first problem's setting.</summary>
    public override string? ParamName => Problems.Count > 0 ? Problems[0].Name : base.ParamName;

    /// <summary>Throws when <paramref name="problems"/> has any; does nothing otherwise.</summary>
    /// <exception cref="InvalidOptionsException">One or more problems, all listed.</exception>
    public static void ThrowIfAny(string optionsName, IEnumerable<OptionProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var list = problems.ToList();
        if (list.Count > 0)
        {
            throw new InvalidOptionsException(optionsName, list);
        }
    }
}
