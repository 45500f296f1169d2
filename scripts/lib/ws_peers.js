// WebSocket peers for scripts/record-websocket-captures.sh, on Debian's node-ws (ws 8).
//   node ws_peers.js server SCENARIO PORT [CERT KEY]          (TLS when CERT and KEY are given)
//   node ws_peers.js client SCENARIO URL [CA SERVERNAME]
// Each scenario is a fixed script of frames: see SCENARIOS below and the README of the captures folder.
// The server echoes every data message back (as one unfragmented message of the same type) unless the scenario
// says otherwise; it exits when its one connection has ended.
'use strict';
const fs = require('fs');
const http = require('http');
const https = require('https');
const WebSocket = require('ws');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const [mode, scenario, where, certOrCa, keyOrName] = process.argv.slice(2);
const log = (...a) => console.log(`[${mode}]`, ...a);

const deflate = {
  'ws-deflate-v4': { threshold: 0 },
  'ws-deflate-no-takeover-v6': { threshold: 0, serverNoContextTakeover: true, clientNoContextTakeover: true,
    serverMaxWindowBits: 10, clientMaxWindowBits: 10 },
};
const protocols = { 'ws-basic-v4': ['chat.v1', 'chat.v2'] };

// A JSON message of the agent/console kind, n-th of a series.
const status = (n) => JSON.stringify({ type: 'status', seq: n, agent: 'agent-7', cpu: [12.5, 13.25, 11.0],
  disks: [{ mount: '/', used: 41.2 }, { mount: '/var', used: 77.9 }], note: 'all systems nominal' });
const bytes = (n, seed) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff));

async function clientScript(ws, name) {
  const opened = new Promise((r) => ws.once('open', r));
  const messages = [];
  ws.on('message', (data, isBinary) => messages.push([data.length, isBinary]));
  ws.on('ping', (d) => log('ping from server', d.toString()));
  ws.on('pong', (d) => log('pong', d.toString()));
  await opened;
  log('open, extensions:', ws.extensions, 'protocol:', ws.protocol);
  switch (name) {
    case 'ws-basic-v4':
    case 'wss-tls13-v4':
      ws.send('hello from the client');                            // text, 7-bit length
      await sleep(150);
      ws.send(bytes(16, 1));                                       // binary, 7-bit length
      await sleep(150);
      ws.send('x'.repeat(125));                                    // text, the largest 7-bit length
      await sleep(150);
      ws.send('y'.repeat(126));                                    // text, the smallest 16-bit length
      await sleep(150);
      ws.send(bytes(300, 2));                                      // binary, 16-bit length
      await sleep(150);
      ws.send(bytes(70000, 3));                                    // binary, 64-bit length (> 65535)
      await sleep(300);
      ws.ping('client-ping-1');                                    // answered by the server's pong
      await sleep(300);
      ws.send('h\u00e9llo \u2713 utf-8 \ud83d\ude00');             // text with 2, 3 and 4 byte UTF-8
      await sleep(300);
      ws.close(1000, 'done');                                      // client closes: 1000
      break;
    case 'ws-fragmented-v6':
      ws.send('first fragment, ', { fin: false });                 // text in 3 fragments ...
      await sleep(100);
      ws.ping('between-fragments');                                // ... with a ping between them
      await sleep(100);
      ws.send('second fragment, ', { fin: false });
      await sleep(100);
      ws.send('last fragment', { fin: true });
      await sleep(200);
      ws.send(bytes(200, 4), { binary: true, fin: false });        // binary in 2 fragments (16-bit lengths)
      await sleep(100);
      ws.send(bytes(70, 5), { binary: true, fin: true });
      await sleep(500);                                            // the server closes with 1001
      break;
    case 'ws-close-4000-v4':
      ws.send('please close with 4000');
      await sleep(1000);                                           // the server closes with 4000 and a reason
      break;
    case 'ws-reset-v4':
      ws.send('about to vanish');
      await sleep(300);
      ws.ping('last-ping');
      await sleep(300);
      ws._socket.resetAndDestroy();                                // RST, no close frame
      return;
    case 'ws-deflate-v4':
    case 'ws-deflate-no-takeover-v6':
      for (let i = 0; i < 6; i++) {                                // similar messages: context takeover pays
        ws.send(status(i));
        await sleep(120);
      }
      ws.send(bytes(4000, 6));                                     // binary, compressed too
      await sleep(200);
      ws.send('z'.repeat(100000));                                 // 100 kB of text that inflates from ~100 B
      await sleep(300);
      ws.ping('deflate-ping');                                     // control frames are never compressed
      await sleep(300);
      ws.close(1000, 'bye');
      break;
    case 'ws-coalesced-v4': {
      await sleep(200);
      const sock = ws._socket;
      sock.cork();                                                 // 7 frames in one write: one TCP segment
      for (let i = 1; i <= 5; i++) ws.send('m' + i);
      ws.ping('coalesced');
      ws.send(bytes(10, 7));
      process.nextTick(() => sock.uncork());
      await sleep(400);
      sock.cork();                                                 // 3 x 1000 B in one 3 kB write: frames
      for (let i = 0; i < 3; i++) ws.send(String(i).repeat(1000)); // cross segment boundaries
      process.nextTick(() => sock.uncork());
      await sleep(400);
      ws.close(1000, 'coalesced done');
      break;
    }
    case 'ws-unanswered-pings-v4':
      ws.send('anyone there?');
      for (let i = 1; i <= 5; i++) {                              // the server never answers (no pongs)
        await sleep(300);
        ws.ping('unanswered-' + i);
      }
      await sleep(500);
      ws.close(1000, 'no pongs');                                  // no close comes back either ...
      await sleep(500);
      ws.terminate();                                              // ... so the client drops the connection (FIN)
      return;
    default:
      throw new Error('unknown scenario ' + name);
  }
  await new Promise((r) => (ws.readyState === WebSocket.CLOSED ? r() : ws.once('close', r)));
  log('closed; received', JSON.stringify(messages));
}

function serverScript(ws, name, done) {
  log('connection, extensions:', ws.extensions, 'protocol:', ws.protocol);
  ws.on('message', (data, isBinary) => {
    ws.send(data, { binary: isBinary });
    if (name === 'ws-close-4000-v4') setTimeout(() => ws.close(4000, 'console restarting: reconnect later'), 300);
  });
  ws.on('ping', (d) => log('ping', d.toString()));
  if (name === 'ws-basic-v4' || name === 'wss-tls13-v4') setTimeout(() => ws.ping('server-ping'), 1200);
  if (name === 'ws-fragmented-v6') setTimeout(() => ws.close(1001, 'going away'), 1200);
  ws.on('close', (code, reason) => { log('close', code, reason.toString()); setTimeout(done, 200); });
  ws.on('error', (e) => log('error', e.message));
}

// A server that completes the Upgrade (RFC 6455 section 4.2.2) by hand and then ignores every frame: no pong, no
// close, no echo. It ends the TCP connection when the client does.
function silentServer(port) {
  const net = require('net');
  const crypto = require('crypto');
  const server = net.createServer((sock) => {
    let head = '';
    let upgraded = false;
    sock.on('data', (d) => {
      if (upgraded) return;
      head += d.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      upgraded = true;
      const key = /sec-websocket-key:\s*(\S+)/i.exec(head)[1];
      const accept = crypto.createHash('sha1').update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
      sock.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
        + `Sec-WebSocket-Accept: ${accept}\r\n\r\n`);
      log('upgraded; now silent');
    });
    sock.on('end', () => sock.end());
    sock.on('close', () => setTimeout(() => process.exit(0), 200));
  });
  server.listen(Number(port), '::', () => log('listening'));
}

if (mode === 'server' && scenario === 'ws-unanswered-pings-v4') {
  silentServer(where);
  setTimeout(() => process.exit(2), 20000).unref();
} else if (mode === 'server') {
  const server = certOrCa
    ? https.createServer({ cert: fs.readFileSync(certOrCa), key: fs.readFileSync(keyOrName) })
    : http.createServer();
  const wss = new WebSocket.Server({ server, perMessageDeflate: deflate[scenario] || false,
    handleProtocols: (ps) => (ps.has('chat.v2') ? 'chat.v2' : false),
    // ws-refused-v4: the Upgrade is refused with 403; the server ends when that connection is closed
    verifyClient: scenario === 'ws-refused-v4' ? (info, cb) => cb(false, 403, 'Forbidden') : undefined });
  if (scenario === 'ws-coalesced-v4') {
    // The 101 response and the server's first frame in one write (one TCP segment): cork before ws writes the 101.
    wss.on('headers', (headers, req) => req.socket.cork());
    wss.on('connection', (ws) => {
      ws.send('welcome, sent with the 101');
      process.nextTick(() => ws._socket.uncork());
    });
  }
  if (scenario === 'ws-refused-v4') {
    server.on('connection', (sock) => sock.on('close', () => setTimeout(() => process.exit(0), 200)));
  }
  wss.on('connection', (ws) => serverScript(ws, scenario, () => process.exit(0)));
  server.listen(Number(where), '::', () => log('listening'));
  setTimeout(() => process.exit(2), 20000).unref();
} else {
  const opts = { perMessageDeflate: deflate[scenario] || false };
  if (certOrCa) Object.assign(opts, { ca: fs.readFileSync(certOrCa), servername: keyOrName });
  const ws = new WebSocket(where, protocols[scenario] || [], opts);
  ws.on('error', (e) => log('error', e.message));
  if (scenario === 'ws-refused-v4') {                              // expected: "Unexpected server response: 403"
    ws.on('error', () => setTimeout(() => process.exit(0), 300));
  }
  clientScript(ws, scenario).then(() => setTimeout(() => process.exit(0), 200),
    (e) => { console.error(e); process.exit(1); });
}
