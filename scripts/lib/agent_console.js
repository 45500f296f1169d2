// The README's sample: an "agent" that reports to its "console" over WebSocket inside TLS 1.3, on port 8084.
//   node agent_console.js console PORT CERT KEY     https + WebSocket server (certificate for console.test)
//   node agent_console.js agent URL CA              client: SNI console.test, JSON both ways, a ping every second,
//                                                   about 6 s, then a close with 1000
// Debian's node-ws (ws 8). Used by scripts/record-websocket-captures.sh; the key log comes from the agent's
// NODE_OPTIONS=--tls-keylog=FILE.
'use strict';
const fs = require('fs');
const https = require('https');
const WebSocket = require('ws');

const [mode, where, a, b] = process.argv.slice(2);
const log = (...x) => console.log(`[${mode}]`, ...x);

if (mode === 'console') {
  const server = https.createServer({ cert: fs.readFileSync(a), key: fs.readFileSync(b), minVersion: 'TLSv1.3' },
    (req, res) => { res.writeHead(404); res.end(); });
  const wss = new WebSocket.Server({ server, path: '/agent', perMessageDeflate: false });
  wss.on('connection', (ws, req) => {
    log('agent connected from', req.socket.remoteAddress, req.headers['user-agent'] || '');
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString());
      log('got', m.type);
      if (m.type === 'hello') {
        ws.send(JSON.stringify({ type: 'welcome', console: 'console.test', session: 'c0ffee42', interval_ms: 1000 }));
        setTimeout(() => ws.send(JSON.stringify({ type: 'command', id: 1, action: 'collect', what: ['cpu', 'disk'] })),
          2500);
      } else if (m.type === 'status') {
        ws.send(JSON.stringify({ type: 'ack', seq: m.seq }));
      }
    });
    ws.on('close', (code, reason) => {
      log('close', code, reason.toString());
      setTimeout(() => server.close(() => process.exit(0)), 200);
    });
  });
  server.listen(Number(where), '::', () => log('listening'));
  setTimeout(() => process.exit(2), 30000).unref();
} else {
  const ws = new WebSocket(where, { ca: fs.readFileSync(a), servername: 'console.test', perMessageDeflate: false,
    minVersion: 'TLSv1.3', headers: { 'User-Agent': 'wirelens-sample-agent/1.0' } });
  let seq = 0;
  let timer;
  ws.on('open', () => {
    log('connected,', ws._socket.getProtocol(), ws._socket.getCipher().name);
    ws.send(JSON.stringify({ type: 'hello', agent: 'agent-7', version: '1.4.2', host: 'build-box-3' }));
    timer = setInterval(() => {
      seq += 1;
      ws.ping(String(seq));
      ws.send(JSON.stringify({ type: 'status', seq, cpu: 10 + seq, mem_mb: 512 + 3 * seq, queue: seq % 3 }));
    }, 1000);
    setTimeout(() => { clearInterval(timer); ws.close(1000, 'agent shutting down'); }, 6200);
  });
  ws.on('pong', (d) => log('pong', d.toString()));
  ws.on('message', (data) => {
    const m = JSON.parse(data.toString());
    log('got', m.type);
    if (m.type === 'command') ws.send(JSON.stringify({ type: 'result', id: m.id, cpu: 14.5, disk: { '/': 41.2 } }));
  });
  ws.on('close', (code) => { log('closed', code); setTimeout(() => process.exit(0), 200); });
  ws.on('error', (e) => { log('error', e.message); process.exit(1); });
}
