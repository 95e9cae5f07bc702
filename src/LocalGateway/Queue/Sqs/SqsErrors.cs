using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace SocketRelay.LocalGateway.Queue.Sqs;

/// <summary>Reads the errors SQS answers with.</summary>
internal static class SqsErrors
{
    /// <summary>
    /// A receipt handle SQS no longer honours. A malformed or unknown handle is
    /// <c>ReceiptHandleIsInvalid</c>; an expired one (the message was received again, or its
    /// visibility timeout ran out) is <c>InvalidParameterValue</c> naming the ReceiptHandle.
    /// </summary>
    public static bool IsStaleReceiptHandle(AmazonSQSException exception) =>
        exception is ReceiptHandleIsInvalidException
        || HasCode(exception, "ReceiptHandleIsInvalid")
        || (HasCode(exception, "InvalidParameterValue")
            && (exception.Message ?? "").Contains("ReceiptHandle", StringComparison.OrdinalIgnoreCase));

    /// <summary>The same judgement for a failed entry of a batch request, which carries only a code and a message.</summary>
    public static bool IsStaleReceiptHandle(string? code, string? message) =>
        IsCode(code, "ReceiptHandleIsInvalid")
        || IsCode(code, "MessageNotInflight")
        || (IsCode(code, "InvalidParameterValue") && (message ?? "").Contains("ReceiptHandle", StringComparison.OrdinalIgnoreCase));

    public static SqsQueueException Describe(string operation, string queueUrl, AmazonServiceException exception)
    {
        var code = string.IsNullOrEmpty(exception.ErrorCode) ? "UnknownError" : exception.ErrorCode;
        return new SqsQueueException(
            $"SQS {operation} on {queueUrl} failed with {code} (HTTP {(int)exception.StatusCode}): {exception.Message}",
            code,
            exception);
    }

    private static bool HasCode(AmazonServiceException exception, string code) => IsCode(exception.ErrorCode, code);

    /// <summary>SQS's codes come bare (<c>ReceiptHandleIsInvalid</c>) or prefixed (<c>AWS.SimpleQueueService.…</c>).</summary>
    private static bool IsCode(string? errorCode, string code) =>
        errorCode is not null && (errorCode == code || errorCode.EndsWith("." + code, StringComparison.Ordinal));
}
