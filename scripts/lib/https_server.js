// A tiny HTTPS server for scripts/record-tls-captures.sh: HTTP/2 and HTTP/1.1 (ALPN picks) on one TLS port.
// Usage: node https_server.js CERT KEY PORT REQUESTS   (exits after REQUESTS requests were answered)
'use strict';
const http2 = require('http2');
const fs = require('fs');
const [cert, key, port, requests] = process.argv.slice(2);
let left = Number(requests);
const server = http2.createSecureServer({ cert: fs.readFileSync(cert), key: fs.readFileSync(key), allowHTTP1: true });
server.on('request', (req, res) => {
  const body = JSON.stringify({ path: req.url, httpVersion: req.httpVersion, message: 'hello from the console' }) + '\n';
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
  if (--left === 0) setTimeout(() => server.close(() => process.exit(0)), 300).unref();
});
server.listen(Number(port), '::', () => console.log('listening'));
setTimeout(() => process.exit(1), 30000).unref();
