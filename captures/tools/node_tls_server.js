// node_tls_server.js - a backend on Node.js that requires the ALPN protocols
// it is given: Node refuses a client whose offer shares none with
// no_application_protocol. With "h2" alone it is an HTTP/2-only server
// (http2.createSecureServer without allowHTTP1, as gRPC backends run), else
// a `tls` server answering each connection with a short HTTP/1.1 response.
// Logs each handshake's result on stderr.
//   node node_tls_server.js ADDR PORT CHAIN.pem KEY.pem ALPN[,ALPN...] [COUNT]
'use strict';
const tls = require('tls');
const http2 = require('http2');
const fs = require('fs');

const [addr, port, chain, key, alpn, count] = process.argv.slice(2);
const options = {cert: fs.readFileSync(chain), key: fs.readFileSync(key)};
let left = Number(count || 0);
let server;
if (alpn === 'h2') {
  server = http2.createSecureServer(options, (req, res) => res.end('ok\n'));
  server.on('secureConnection', (s) => {
    console.error(`handshake: ${s.getProtocol()}, ALPN ${s.alpnProtocol}`);
    s.on('close', done);
  });
} else {
  server = tls.createServer({...options, ALPNProtocols: alpn.split(',')}, (socket) => {
    console.error(`handshake: ${socket.getProtocol()}, ALPN ${socket.alpnProtocol}`);
    socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n'));
    socket.on('error', (e) => console.error(`socket: ${e.message}`));
    socket.on('close', done);
  });
}
server.on('tlsClientError', (e) => {
  console.error(`handshake failed: ${e.message}`);
  done();
});
function done() {
  if (left && --left === 0) server.close();
}
server.listen(Number(port), addr);
