// Calls the @connections API with AWS's own SDK for JavaScript v3, as a Node.js function would.
// Usage: node connections-client.mjs '<json>' with {endpoint, region, accessKeyId, secretAccessKey,
// operation: "post" | "get" | "delete", connectionId, data?, dataLength?} (dataLength: that many "a"s).
// Prints one JSON line: {"ok":true,"status":200,"result":{...}} or
// {"ok":false,"name":"GoneException","status":410,"message":"..."}.
import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GetConnectionCommand,
  PostToConnectionCommand,
} from "@aws-sdk/client-apigatewaymanagementapi";

const request = JSON.parse(process.argv[2]);
const client = new ApiGatewayManagementApiClient({
  endpoint: request.endpoint,
  region: request.region,
  credentials: { accessKeyId: request.accessKeyId, secretAccessKey: request.secretAccessKey },
  maxAttempts: 1,
});
const data = new TextEncoder().encode(request.dataLength != null ? "a".repeat(request.dataLength) : request.data ?? "");
const command = {
  post: () => new PostToConnectionCommand({ ConnectionId: request.connectionId, Data: data }),
  get: () => new GetConnectionCommand({ ConnectionId: request.connectionId }),
  delete: () => new DeleteConnectionCommand({ ConnectionId: request.connectionId }),
}[request.operation]();

try {
  const { $metadata, ...result } = await client.send(command);
  console.log(JSON.stringify({ ok: true, status: $metadata.httpStatusCode, result }));
} catch (error) {
  console.log(JSON.stringify({ ok: false, name: error.name, status: error.$metadata?.httpStatusCode, message: error.message }));
}
