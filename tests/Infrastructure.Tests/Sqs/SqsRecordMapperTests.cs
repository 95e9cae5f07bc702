namespace SocketRelay.Infrastructure.Tests.Sqs;

public class SqsRecordMapperTests
{
}
