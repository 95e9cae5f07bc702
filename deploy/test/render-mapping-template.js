#!/usr/bin/env node
// Renders an API Gateway WebSocket mapping template (VTL) the way API Gateway does, for tests.
//
// stdin:  {"template": "<VTL>", "cases": [{"body": "<frame text>", "context": {"connectionId": "…", "requestId": "…"}}]}
// stdout: [{"rendered": "<integration request body>"} | {"error": "<message>"}], one entry per case, in order.
//
// One process renders a whole corpus. The models of $input, $context and $util follow API
// Gateway's documented behaviour:
//   $input.json('$')    the body re-serialized compactly (JSON.stringify(JSON.parse(body)))
//   $input.path('$.a')  the value at a JSONPath of plain property names
//   $input.body         the raw frame text
//   $util.urlEncode(s)  java.net.URLEncoder.encode(s, "UTF-8")
'use strict';

const { render } = require('velocityjs');

// java.net.URLEncoder keeps a-z A-Z 0-9 . - * _ as they are, turns a space into '+', and writes
// every other UTF-8 byte as %XX with uppercase hex. (encodeURIComponent differs: it keeps ~ ! ' ( )
// and encodes a space as %20.)
function javaUrlEncode(value) {
  const bytes = Buffer.from(String(value), 'utf8');
  let out = '';
  for (const byte of bytes) {
    const isAlphanumeric =
      (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a);
    if (isAlphanumeric || byte === 0x2e || byte === 0x2d || byte === 0x2a || byte === 0x5f) {
      out += String.fromCharCode(byte);
    } else if (byte === 0x20) {
      out += '+';
    } else {
      out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
    }
  }
  return out;
}

function javaUrlDecode(value) {
  return decodeURIComponent(String(value).replace(/\+/g, ' '));
}

function select(document, jsonPath) {
  if (jsonPath === '$') {
    return document;
  }
  if (!jsonPath.startsWith('$.')) {
    throw new Error(`unsupported JSONPath ${jsonPath}`);
  }
  let node = document;
  for (const name of jsonPath.slice(2).split('.')) {
    if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, name)) {
      return undefined;
    }
    node = node[name];
  }
  return node;
}

function inputOf(body) {
  const document = JSON.parse(body);
  return {
    body,
    json: (jsonPath) => JSON.stringify(select(document, jsonPath)),
    path: (jsonPath) => select(document, jsonPath),
  };
}

const util = {
  urlEncode: javaUrlEncode,
  urlDecode: javaUrlDecode,
  escapeJavaScript: (value) => JSON.stringify(String(value)).slice(1, -1),
  parseJson: (value) => JSON.parse(value),
};

function renderCase(template, testCase) {
  try {
    const context = { input: inputOf(testCase.body), context: testCase.context, util };
    return { rendered: render(template, context, undefined, { escape: false }) };
  } catch (error) {
    return { error: String(error && error.message ? error.message : error) };
  }
}

let stdin = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  stdin += chunk;
});
process.stdin.on('end', () => {
  const request = JSON.parse(stdin);
  const results = request.cases.map((testCase) => renderCase(request.template, testCase));
  process.stdout.write(JSON.stringify(results));
});
