"""A user-space 802.1Q trunk for kernels without the 8021q module (used by record-foundation.sh).

  vlan_relay.py VID PRIORITY ACCESS1:TRUNK1 [ACCESS2:TRUNK2 ...]
  vlan_relay.py --outer SVID VID PRIORITY ACCESS1:TRUNK1 [...]   (IEEE 802.1ad: S-tag SVID, then C-tag VID)

Each ACCESS:TRUNK pair of interfaces is bridged: an untagged Ethernet frame received on ACCESS is sent on
TRUNK with an IEEE 802.1Q tag (TPID 0x8100, PCP = PRIORITY, VID) inserted after the source address; a frame
received on TRUNK with that VID is sent on ACCESS untagged. Frames with another VID are dropped. The kernel
moves a received tag into packet metadata (PACKET_AUXDATA); the relay reads it from there, or from the frame
bytes when the tag was left in place. With --outer, frames on the trunk carry two tags (QinQ): an 802.1ad S-tag
(TPID 0x88a8, VID SVID, same priority) and inside it the 802.1Q C-tag. Runs until killed.
"""
import select
import socket
import struct
import sys

ETH_P_ALL = 0x0003
SOL_PACKET = 263
PACKET_AUXDATA = 8
PACKET_OUTGOING = 4
TP_STATUS_VLAN_VALID = 0x10
AUX = struct.Struct("=IIIHHHH")  # struct tpacket_auxdata


def open_socket(ifname):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((ifname, 0))
    s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
    return s


def receive(s):
    """Returns (frame, outermost vlan_tci or None), or None for frames this host sent itself."""
    data, anc, _flags, addr = s.recvmsg(65600, socket.CMSG_SPACE(AUX.size))
    if addr[2] == PACKET_OUTGOING:
        return None
    tci = None
    for level, kind, value in anc:
        if level == SOL_PACKET and kind == PACKET_AUXDATA and len(value) >= AUX.size:
            status, _len, _snap, _mac, _net, vlan_tci, _tpid = AUX.unpack_from(value)
            if status & TP_STATUS_VLAN_VALID:
                tci = vlan_tci
    if tci is None and len(data) >= 18 and data[12:14] in (b"\x81\x00", b"\x88\xa8"):
        tci = struct.unpack_from("!H", data, 14)[0]
        data = data[:12] + data[16:]
    return data, tci


def pop_inner(frame, vid):
    """Removes the C-tag left in the frame bytes once the outer tag is gone; None if it is not VID."""
    if len(frame) < 18 or frame[12:14] != b"\x81\x00":
        return None
    if (struct.unpack_from("!H", frame, 14)[0] & 0x0FFF) != vid:
        return None
    return frame[:12] + frame[16:]


def main(argv):
    outer = None
    if argv[1] == "--outer":
        outer = int(argv[2])
        argv = argv[:1] + argv[3:]
    vid, prio = int(argv[1]), int(argv[2])
    tci = struct.pack("!H", (prio << 13) | vid)
    tags = b"\x81\x00" + tci
    if outer is not None:
        tags = b"\x88\xa8" + struct.pack("!H", (prio << 13) | outer) + tags
    routes = {}
    for pair in argv[3:]:
        access_name, trunk_name = pair.split(":")
        access, trunk = open_socket(access_name), open_socket(trunk_name)
        routes[access] = (trunk, True)
        routes[trunk] = (access, False)
    while True:
        ready, _, _ = select.select(list(routes), [], [])
        for s in ready:
            got = receive(s)
            if got is None:
                continue
            frame, frame_tci = got
            out, push = routes[s]
            if push:
                if frame_tci is None:
                    out.send(frame[:12] + tags + frame[12:])
            elif frame_tci is not None and (frame_tci & 0x0FFF) == (vid if outer is None else outer):
                if outer is not None:
                    frame = pop_inner(frame, vid)
                if frame is not None:
                    out.send(frame)


if __name__ == "__main__":
    main(sys.argv)
