using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SocketRelay.Deployment.Tests.Support;

/// <summary>
/// A synthesized CloudFormation template with just enough of CloudFormation's intrinsic functions
/// to read it as deployed values: pseudo parameters take fixed values, a <c>Ref</c> to a resource
/// becomes <c>{LogicalId}</c> and <c>Fn::GetAtt</c> becomes <c>{LogicalId.Attribute}</c>, so an
/// assertion can say <c>arn:aws:execute-api:us-east-1:123456789012:{WebSocketApi}/…</c> whether
/// the template used Fn::Join or Fn::Sub.
/// </summary>
public sealed partial class CloudFormationTemplate
{
    public const string AccountId = "123456789012";

    private readonly JsonObject _root;

    private CloudFormationTemplate(JsonObject root) => _root = root;

    public JsonObject Resources => _root[nameof(Resources)]!.AsObject();

    public JsonObject Outputs => _root[nameof(Outputs)]!.AsObject();

    public static CloudFormationTemplate Load(string path) =>
        new(JsonNode.Parse(File.ReadAllText(path))!.AsObject());

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
        _ => throw new InvalidOperationException($"Ref to {name}, which is neither a pseudo parameter nor a resource"),
    };

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z0-9:.]+)\}")]
    private static partial Regex SubstitutionVariable();
}
