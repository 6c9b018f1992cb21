// node_client.js - a Node.js tls client as applications use it: default
// verification (rejectUnauthorized), which Node runs after OpenSSL's
// handshake, so a refused certificate ends the connection without an alert.
// Usage: node node_client.js HOST PORT SERVERNAME CA.pem [KEYLOG] [TLS-MAX] [BIND]
'use strict';
const fs = require('fs');
const tls = require('tls');
const [host, port, servername, ca, keylog, maxVersion, localAddress] = process.argv.slice(2);
const socket = tls.connect({
  host, port: Number(port), servername, ca: fs.readFileSync(ca),
  maxVersion: maxVersion || 'TLSv1.3', localAddress,
});
if (keylog) socket.on('keylog', (line) => fs.appendFileSync(keylog, line));
socket.on('secureConnect', () => {
  console.log(`connected: ${socket.getProtocol()} authorized=${socket.authorized}`);
  socket.write('GET / HTTP/1.0\r\nHost: x\r\n\r\n');
});
socket.on('data', () => {});
socket.on('end', () => console.log('server closed'));
socket.on('error', (e) => { console.log(`error: ${e.code || ''} ${e.message}`); process.exitCode = 1; });
