/**
 * Wirelens core: the shared vocabulary, link/IP/TCP/UDP views, the packet dissector, flows and TCP reassembly.
 * Depends on netty-buffer only.
 */
module dev.wirelens.core {
  requires transitive io.netty.buffer;
  requires transitive io.netty.common;

  exports dev.wirelens;
  exports dev.wirelens.link;
  exports dev.wirelens.ip;
  exports dev.wirelens.tcp;
  exports dev.wirelens.udp;
  exports dev.wirelens.icmp;
  exports dev.wirelens.packet;
}
