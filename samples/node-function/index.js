// A Node.js consumer of the SocketRelay queue, answering exactly as the .NET function does:
// each SQS record is posted back on its WebSocket connection as {"connectionId","requestId","message"},
// and the batch response lists what must come back. A failure that may pass (429, 5xx, no answer; the
// SDK has retried it) holds back the later messages of its FIFO group (they are reported too, so the
// group stays in order). A reply that can never be delivered (413 over 128 KB, 403, any other 4xx) is
// reported alone, and the rest of its group goes on (ADR-008). A client that has left (410) is done.
const {
  ApiGatewayManagementApiClient,
  PostToConnectionCommand,
  GoneException,
} = require("@aws-sdk/client-apigatewaymanagementapi");

// Region and credentials come from the Lambda environment (AWS_REGION, AWS_ACCESS_KEY_ID, ...).
const client = new ApiGatewayManagementApiClient({ endpoint: process.env.WEBSOCKET_API_ENDPOINT });

exports.handler = async (event) => {
  const batchItemFailures = [];
  const failedGroups = new Set();
  for (const record of event.Records) {
    const group = record.attributes.MessageGroupId;
    if (failedGroups.has(group)) {
      batchItemFailures.push({ itemIdentifier: record.messageId });
      continue;
    }

    const connectionId = record.messageAttributes.connectionId?.stringValue;
    const requestId = record.messageAttributes.requestId?.stringValue;
    try {
      const reply = JSON.stringify({ connectionId, requestId, message: record.body });
      await client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: reply }));
    } catch (error) {
      if (error instanceof GoneException) {
        continue; // the client has left: nothing to retry
      }

      const status = error.$metadata?.httpStatusCode;
      const permanent = status >= 400 && status < 500 && status !== 429;
      console.error(JSON.stringify({ level: "ERROR", message: permanent ? "reply can never be delivered" : "reply failed", messageId: record.messageId, status, error: String(error) }));
      if (!permanent) {
        failedGroups.add(group);
      }

      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }

  return { batchItemFailures };
};
