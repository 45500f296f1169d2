"""UDP echo server used by the recording scripts: answers every datagram with the same bytes.

Listens on [::]:PORT with IPV6_V6ONLY off, so IPv4 clients are answered too. Runs until killed.
"""
import socket
import sys

port = int(sys.argv[1])
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.bind(("::", port))
while True:
    data, peer = s.recvfrom(65535)
    s.sendto(data, peer)
