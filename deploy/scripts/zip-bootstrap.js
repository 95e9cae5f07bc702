#!/usr/bin/env node
// Writes the Lambda artifact: a zip holding one executable file named `bootstrap` at its root.
// Node's zlib does the compression, so packaging needs no `zip` tool on the machine.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const [source, target] = process.argv.slice(2);
if (!source || !target) {
  console.error('usage: zip-bootstrap.js <path/to/bootstrap> <path/to/artifact.zip>');
  process.exit(2);
}

const entryName = Buffer.from('bootstrap', 'utf8');
const content = fs.readFileSync(source);
const compressed = zlib.deflateRawSync(content, { level: 9 });
const crc = zlib.crc32(content);

// A fixed timestamp (1980-01-01 00:00) keeps the artifact byte-identical for identical input.
const dosTime = 0;
const dosDate = (0 << 9) | (1 << 5) | 1;
const versionMadeByUnix = (3 << 8) | 20;
const versionNeeded = 20;
const deflate = 8;
// Unix mode in the high 16 bits: a regular file, rwxr-xr-x, so the runtime can execute it.
const externalAttributes = ((0o100755 << 16) >>> 0);

const localHeader = Buffer.alloc(30);
localHeader.writeUInt32LE(0x04034b50, 0);
localHeader.writeUInt16LE(versionNeeded, 4);
localHeader.writeUInt16LE(0, 6);
localHeader.writeUInt16LE(deflate, 8);
localHeader.writeUInt16LE(dosTime, 10);
localHeader.writeUInt16LE(dosDate, 12);
localHeader.writeUInt32LE(crc, 14);
localHeader.writeUInt32LE(compressed.length, 18);
localHeader.writeUInt32LE(content.length, 22);
localHeader.writeUInt16LE(entryName.length, 26);
localHeader.writeUInt16LE(0, 28);

const centralHeader = Buffer.alloc(46);
centralHeader.writeUInt32LE(0x02014b50, 0);
centralHeader.writeUInt16LE(versionMadeByUnix, 4);
centralHeader.writeUInt16LE(versionNeeded, 6);
centralHeader.writeUInt16LE(0, 8);
centralHeader.writeUInt16LE(deflate, 10);
centralHeader.writeUInt16LE(dosTime, 12);
centralHeader.writeUInt16LE(dosDate, 14);
centralHeader.writeUInt32LE(crc, 16);
centralHeader.writeUInt32LE(compressed.length, 20);
centralHeader.writeUInt32LE(content.length, 24);
centralHeader.writeUInt16LE(entryName.length, 28);
centralHeader.writeUInt16LE(0, 30);
centralHeader.writeUInt16LE(0, 32);
centralHeader.writeUInt16LE(0, 34);
centralHeader.writeUInt16LE(0, 36);
centralHeader.writeUInt32LE(externalAttributes, 38);
centralHeader.writeUInt32LE(0, 42);

const centralOffset = localHeader.length + entryName.length + compressed.length;
const centralSize = centralHeader.length + entryName.length;
const end = Buffer.alloc(22);
end.writeUInt32LE(0x06054b50, 0);
end.writeUInt16LE(0, 4);
end.writeUInt16LE(0, 6);
end.writeUInt16LE(1, 8);
end.writeUInt16LE(1, 10);
end.writeUInt32LE(centralSize, 12);
end.writeUInt32LE(centralOffset, 16);
end.writeUInt16LE(0, 20);

fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
fs.writeFileSync(target, Buffer.concat([localHeader, entryName, compressed, centralHeader, entryName, end]));
console.log(`${target}: bootstrap (${content.length} bytes, ${compressed.length} compressed)`);
