using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SocketRelay.Deployment.Tests.Support;

/// <summary>
/// A synthesized CloudFormation template with just enough of CloudFormation's intrinsic functions
/// to read it as deployed values: pseudo parameters take fixed values, a <c>Ref</c> to a resource
/// becomes <c>{LogicalId}</c> and <c>Fn::GetAtt</c> becomes <c>{LogicalId.Attribute}</c>, so an
/// assertion can say <c>arn:aws:execute-api:us-east-1:123456789012:{WebSocketApi}/…</c> whether
/// the template used Fn::Join or Fn::Sub. A <c>Ref</c> to a template parameter is its default, the
/// value <c>serverless deploy</c> deploys.
/// </summary>
public sealed partial class CloudFormationTemplate
{
    public const string AccountId = "123456789012";

    private readonly JsonObject _root;

    private CloudFormationTemplate(string text)
    {
        _root = JsonNode.Parse(text)!.AsObject();
        Text = text;
    }

    /// <summary>The template as synthesized, for tools that read it themselves (cfn-lint).</summary>
    public string Text { get; }

    public JsonObject Resources => _root[nameof(Resources)]!.AsObject();

    public JsonObject Outputs => _root[nameof(Outputs)]!.AsObject();

    public JsonObject Parameters => _root[nameof(Parameters)]?.AsObject() ?? [];

    public static CloudFormationTemplate Load(string path) => new(File.ReadAllText(path));

    /// <summary>Whether a stack deployed with the parameters' defaults creates the resource (its <c>Condition</c> holds).</summary>
    public bool IsCreated(string logicalId) =>
        Resource(logicalId)["Condition"] is not JsonValue condition || Condition((string)condition!);

    /// <summary>Evaluates a named condition with the parameters' defaults (Fn::Not, Fn::Equals, Fn::And, Fn::Or, Condition).</summary>
    public bool Condition(string name) =>
        IsTrue(_root["Conditions"]?[name] ?? throw new KeyNotFoundException($"no condition {name} in the template"));

    /// <summary>
    /// A property value as deployed with the parameters' defaults: <c>Fn::If</c> takes its branch,
    /// <c>Ref: AWS::NoValue</c> becomes <see langword="null"/>; other values are returned as they are.
    /// </summary>
    public JsonNode? Resolve(JsonNode? node) => node switch
    {
        JsonObject function when function.Count == 1 && function.ContainsKey("Fn::If") =>
            Resolve(Condition((string)function["Fn::If"]![0]!) ? function["Fn::If"]![1] : function["Fn::If"]![2]),
        JsonObject function when function.Count == 1 && (string?)function["Ref"] == "AWS::NoValue" => null,
        _ => node,
    };

    private bool IsTrue(JsonNode? node)
    {
        var function = node!.AsObject().Single();
        var arguments = function.Value!;
        return function.Key switch
        {
            "Fn::Not" => !IsTrue(arguments[0]),
            "Fn::And" => arguments.AsArray().All(IsTrue),
            "Fn::Or" => arguments.AsArray().Any(IsTrue),
            "Fn::Equals" => Evaluate(arguments[0]) == Evaluate(arguments[1]),
            "Condition" => Condition((string)arguments!),
            _ => throw new InvalidOperationException($"condition function {function.Key} is not modelled"),
        };
    }

    public JsonObject Resource(string logicalId) =>
        Resources[logicalId]?.AsObject() ?? throw new KeyNotFoundException($"no resource {logicalId} in the template");

    public JsonObject Properties(string logicalId) => Resource(logicalId)["Properties"]!.AsObject();

    public IEnumerable<KeyValuePair<string, JsonObject>> ResourcesOfType(string type) =>
        Resources.Where(r => (string?)r.Value!["Type"] == type).Select(r => KeyValuePair.Create(r.Key, r.Value!.AsObject()));

    public string SingleResourceOfType(string type) => Assert.Single(ResourcesOfType(type)).Key;

    /// <summary>Evaluates a property value that must come out as a string.</summary>
    public string Evaluate(JsonNode? node) => node switch
    {
        JsonValue value => value.ToString(),
        JsonObject function when function.Count == 1 => EvaluateFunction(function.Single()),
        _ => throw new InvalidOperationException($"cannot evaluate {node?.ToJsonString() ?? "null"} to a string"),
    };

    private string EvaluateFunction(KeyValuePair<string, JsonNode?> function) => function.Key switch
    {
        "Ref" => Reference((string)function.Value!),
        "Fn::GetAtt" => "{" + string.Join('.', function.Value!.AsArray().Select(part => (string)part!)) + "}",
        "Fn::Join" => string.Join(
            (string)function.Value![0]!,
            function.Value![1]!.AsArray().Select(Evaluate)),
        "Fn::Sub" when function.Value is JsonValue text => SubstitutionVariable().Replace(
            (string)text!,
            match => Reference(match.Groups["name"].Value)),
        _ => throw new InvalidOperationException($"intrinsic function {function.Key} is not modelled"),
    };

    private string Reference(string name) => name switch
    {
        "AWS::Partition" => "aws",
        "AWS::Region" => ServerlessPackage.Region,
        "AWS::AccountId" => AccountId,
        "AWS::URLSuffix" => "amazonaws.com",
        _ when name.Contains('.', StringComparison.Ordinal) => "{" + name + "}",
        _ when Resources.ContainsKey(name) => "{" + name + "}",
        _ when Parameters[name] is JsonObject parameter => (string?)parameter["Default"] ?? throw new InvalidOperationException($"parameter {name} has no default"),
        _ => throw new InvalidOperationException($"Ref to {name}, which is neither a pseudo parameter nor a resource"),
    };

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z0-9:.]+)\}")]
    private static partial Regex SubstitutionVariable();
}
