"""Both ends of a small TCP conversation for scripts/record-tcp-captures.sh (run inside a network namespace).

  tcp_peers.py server PORT CLOSE ROUNDS          accept one connection, answer ROUNDS messages, then close as CLOSE says
  tcp_peers.py client HOST PORT CLOSE ROUNDS INTERVAL
                                                 send ROUNDS messages INTERVAL seconds apart, read each answer, close

CLOSE says who ends the connection and how:
  client-fin   the client closes first (FIN), the server closes when it reads the end of the stream
  server-fin   the server closes first (FIN), the client closes when it reads the end of the stream
  client-rst   the client closes with SO_LINGER 0 (RST instead of FIN)
  server-rst   the server closes with SO_LINGER 0 (RST instead of FIN)
  tcp_peers.py bulk-server PORT SIZE             accept one connection, send SIZE bytes at once, close (FIN) first
  tcp_peers.py slow-client HOST PORT RCVBUF CHUNK PAUSE
                                                 receive buffer RCVBUF bytes; read CHUNK bytes every PAUSE seconds
                                                 until the end of the stream (the window fills: flow control)
Message i from the client is "request NNNN\n" padded to 40 + i bytes; the answer is "answer NNNN\n" padded to 60 + 2i
bytes, so every segment's bytes and length differ.
"""
import socket
import struct
import sys
import time


def request(i):
    return (b"request %04d " % i).ljust(40 + i, b"c")[:-1] + b"\n"


def answer(i):
    return (b"answer %04d " % i).ljust(60 + 2 * i, b"s")[:-1] + b"\n"


def read_exact(s, n):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            raise EOFError("stream ended after %d of %d bytes" % (len(buf), n))
        buf += chunk
    return buf


def linger_zero(s):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def drain(s):
    try:
        while s.recv(4096):
            pass
    except ConnectionResetError:
        pass


def server(port, close, rounds):
    ls = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    ls.bind(("::", port))
    ls.listen(1)
    print("listening", flush=True)
    s, _ = ls.accept()
    for i in range(rounds):
        read_exact(s, len(request(i)))
        s.sendall(answer(i))
    if close == "server-fin":
        time.sleep(0.3)
        s.shutdown(socket.SHUT_WR)
        drain(s)
    elif close == "server-rst":
        time.sleep(0.3)
        linger_zero(s)
    else:
        drain(s)
    s.close()
    ls.close()


def client(host, port, close, rounds, interval):
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.settimeout(10)
    s.connect((host, port))
    for i in range(rounds):
        if i:
            time.sleep(interval)
        s.sendall(request(i))
        read_exact(s, len(answer(i)))
    if close == "client-fin":
        time.sleep(0.3)
        s.shutdown(socket.SHUT_WR)
        drain(s)
    elif close == "client-rst":
        time.sleep(0.3)
        linger_zero(s)
    else:
        drain(s)
        time.sleep(0.1)
    s.close()


def bulk_server(port, size):
    ls = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    ls.bind(("::", port))
    ls.listen(1)
    print("listening", flush=True)
    s, _ = ls.accept()
    line = b"bulk line of the wirelens flow-control capture, %08d\n"
    data = b"".join(line % i for i in range(size // len(line % 0) + 1))[:size]
    s.sendall(data)
    s.shutdown(socket.SHUT_WR)
    drain(s)
    s.close()
    ls.close()


def slow_client(host, port, rcvbuf, chunk, pause):
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.settimeout(30)
    s.connect((host, port))
    while True:
        time.sleep(pause)
        if not s.recv(chunk):
            break
    s.close()


if __name__ == "__main__":
    if sys.argv[1] == "bulk-server":
        bulk_server(int(sys.argv[2]), int(sys.argv[3]))
    elif sys.argv[1] == "slow-client":
        slow_client(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6]))
    elif sys.argv[1] == "server":
        server(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
    else:
        client(sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5]), float(sys.argv[6]))
