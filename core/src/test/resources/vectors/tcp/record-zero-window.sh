#!/usr/bin/env bash
# Records wirelens/zero-window-keepalive.pcap: a real Linux TCP connection over the loopback interface whose
# receiver stops reading (its 4 KiB receive buffer fills: zero windows, the sender's window probes) and which then
# idles with SO_KEEPALIVE at 1 s (keep-alives and their ACKs). Headers only (snap length 128).
# Usage: record-zero-window.sh   (needs root for tcpdump on lo, python3; CI never runs this). Then rerun
# record-analysis.sh over every capture to refresh tshark-analysis.tsv.
set -euo pipefail
cd "$(dirname "$0")"
port=47123
out=wirelens/zero-window-keepalive.pcap
tcpdump -i lo -U -s 128 -w "$out" "tcp port $port" 2>/dev/null &
dump=$!
sleep 1.5
python3 - "$port" <<'PY'
import socket, sys, threading, time
port = int(sys.argv[1])
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
srv.bind(("127.0.0.1", port))
srv.listen(1)
def serve():
    c, _ = srv.accept()
    time.sleep(2.5)  # do not read: the window closes, the client probes
    got = 0
    while got < 60000:
        b = c.recv(65536)
        if not b:
            break
        got += len(b)
    c.sendall(b"ok")
    time.sleep(3.5)  # idle: the client's keep-alives
    c.close()
t = threading.Thread(target=serve)
t.start()
cl = socket.socket()
cl.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 8192)
cl.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
cl.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
cl.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
cl.connect(("127.0.0.1", port))
cl.sendall(b"x" * 60000)
cl.recv(2)
t.join()
cl.close()
PY
sleep 1
kill -INT "$dump"
wait "$dump" || true
