"""A user-space lossy link for kernels without the sch_netem module (used by record-tcp-captures.sh).

  lossy_relay.py LOSS SEED IF1 IF2

Bridges the interfaces IF1 and IF2 (AF_PACKET sockets, Ethernet frames as they are): each frame received on one is
sent on the other, except that a share LOSS (0..1) of the frames, drawn from a random generator seeded with SEED,
is dropped in each direction, as `tc qdisc add dev IF root netem loss LOSS` would drop them. Frames this host sent
itself (PACKET_OUTGOING) are not relayed again. Prints the number of frames relayed and dropped per direction when
it receives SIGTERM or SIGINT.
"""
import random
import select
import signal
import socket
import sys

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4


def open_socket(ifname):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((ifname, 0))
    return s


def main(argv):
    loss, seed, names = float(argv[1]), int(argv[2]), argv[3:5]
    rng = random.Random(seed)
    a, b = open_socket(names[0]), open_socket(names[1])
    peer = {a: b, b: a}
    counts = {names[0]: [0, 0], names[1]: [0, 0]}
    name = {a: names[0], b: names[1]}

    def report(*_):
        for n, (relayed, dropped) in counts.items():
            print("from %s: %d relayed, %d dropped" % (n, relayed, dropped), flush=True)
        sys.exit(0)

    signal.signal(signal.SIGTERM, report)
    signal.signal(signal.SIGINT, report)
    print("relaying %s <-> %s, loss %s, seed %d" % (names[0], names[1], loss, seed), flush=True)
    while True:
        ready, _, _ = select.select([a, b], [], [])
        for s in ready:
            data, addr = s.recvfrom(65600)
            if addr[2] == PACKET_OUTGOING:
                continue
            c = counts[name[s]]
            if rng.random() < loss:
                c[1] += 1
                continue
            c[0] += 1
            peer[s].send(data)


if __name__ == "__main__":
    main(sys.argv)
