# Two network namespaces joined by one veth pair, for the TLS and WebSocket recordings. Source this file (it
# sources common.sh) instead of calling wl_setup: it uses its own namespace names (wl-ra, wl-rb), so it never
# touches the namespaces of the other recording scripts, and the same addresses as they do:
#   wl-ra (client): 10.200.0.1, fd00:200::1 on wra0      wl-rb (server): 10.200.0.2, fd00:200::2 on wrb0
# Nothing is sent to any other address. Needs root, iproute2, tcpdump.

. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/common.sh"

WL_NS_A=wl-ra
WL_NS_B=wl-rb
WL_NS_T=wl-rt   # not created; named so wl_teardown_quiet never deletes another script's wl-t
WL_IF_A=wra0
WL_IF_B=wrb0

wl_setup_pair() {
  wl_teardown_quiet
  ip netns add "$WL_NS_A"
  ip netns add "$WL_NS_B"
  ip link add "$WL_IF_A" netns "$WL_NS_A" type veth peer name "$WL_IF_B" netns "$WL_NS_B"
  for ns in "$WL_NS_A" "$WL_NS_B"; do
    ip netns exec "$ns" ip link set lo up
    ip netns exec "$ns" sysctl -q -w net.ipv6.conf.all.accept_ra=0 net.ipv6.conf.default.accept_ra=0
  done
  in_a ip link set "$WL_IF_A" address "$WL_MAC_A"
  in_b ip link set "$WL_IF_B" address "$WL_MAC_B"
  in_a ip addr add "$WL_V4_A/24" dev "$WL_IF_A"
  in_b ip addr add "$WL_V4_B/24" dev "$WL_IF_B"
  in_a ip -6 addr add "$WL_V6_A/64" dev "$WL_IF_A" nodad
  in_b ip -6 addr add "$WL_V6_B/64" dev "$WL_IF_B" nodad
  in_a ip link set "$WL_IF_A" up
  in_b ip link set "$WL_IF_B" up
  # Fill the neighbour caches first so no capture starts with ARP / neighbour discovery.
  in_a ping -c 1 -W 2 "$WL_V4_B" >/dev/null
  in_a ping -c 1 -W 2 "$WL_V6_B" >/dev/null
}

# wl_wait_port NS PORT : waits until something listens on TCP PORT in namespace NS.
wl_wait_port() {
  local ns="$1" port="$2" i
  for i in $(seq 1 100); do
    if ip netns exec "$ns" ss -Hltn "sport = :$port" | grep -q LISTEN; then return 0; fi
    sleep 0.1
  done
  log "nothing listens on port $port in $ns"; return 1
}

# Names for the client namespace only: ip netns exec bind-mounts /etc/netns/wl-ra/hosts over /etc/hosts, so
# console.test (IPv4) and console6.test (IPv6) resolve to the server inside wl-ra, and nowhere else.
wl_pair_hosts() {
  mkdir -p "/etc/netns/$WL_NS_A"
  printf '127.0.0.1 localhost\n::1 localhost\n%s console.test\n%s console6.test\n' "$WL_V4_B" "$WL_V6_B" \
    > "/etc/netns/$WL_NS_A/hosts"
}

wl_pair_cleanup() {
  wl_cleanup
  rm -rf "/etc/netns/$WL_NS_A"
}
