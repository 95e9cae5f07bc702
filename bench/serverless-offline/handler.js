'use strict';
// A trivial echo: the seed's envelope posted back over @connections, as SocketRelay's function does.

const endpoint = process.env.CONNECTIONS_ENDPOINT;

exports.connect = async () => ({ statusCode: 200 });

exports.echo = async (event) => {
  const { connectionId, requestId } = event.requestContext;
  const response = await fetch(`${endpoint}/@connections/${encodeURIComponent(connectionId)}`, {
    method: 'POST',
    body: JSON.stringify({ connectionId, requestId, message: event.body }),
  });
  return { statusCode: response.ok ? 200 : 500 };
};
