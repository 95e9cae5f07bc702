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

    public static SqsQueueException Describe(string operation, string queueUrl, AmazonServiceException exception)
    {
        var code = string.IsNullOrEmpty(exception.ErrorCode) ? "UnknownError" : exception.ErrorCode;
        return new SqsQueueException(
            $"SQS {operation} on {queueUrl} failed with {code} (HTTP {(int)exception.StatusCode}): {exception.Message}",
            code,
            exception);
    }

    private static bool HasCode(AmazonServiceException exception, string code) =>
        exception.ErrorCode is { } errorCode
        && (errorCode == code || errorCode.EndsWith("." + code, StringComparison.Ordinal));
}
