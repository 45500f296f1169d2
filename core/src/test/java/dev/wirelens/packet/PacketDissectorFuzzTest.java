package dev.wirelens.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wirelens.Layer;
import dev.wirelens.Limits;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import dev.wirelens.MalformedInputException;
import dev.wirelens.tcp.FlowKey;
import dev.wirelens.tcp.TcpOptionCursor;
import dev.wirelens.testkit.CutPoints;
import dev.wirelens.testkit.EventDigest;
import dev.wirelens.testkit.ExactBuffer;
import io.netty.buffer.ByteBuf;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fuzz target of {@link PacketDissector} over every link type it supports, and unknown ones (issue 8). The first two
 * bytes of the input (after the parameters taken from its end) are the link type, the rest is the frame, given as
 * an exact buffer (any read outside it throws). Property: {@code dissect} never throws; every decoded view's
 * accessors never throw and its payload lies inside the frame; a stop is explained by a malformation at an offset
 * inside the frame; {@code dissectOrThrow} throws exactly when the lax walk stopped; at most
 * {@link Limits#maxIpv6ExtensionHeaders()} extension headers are walked; and the heap, direct and composite shapes
 * of the same bytes dissect to the same fields.
 */
class PacketDissectorFuzzTest {
  private static final Map<Class<?>, Method[]> ACCESSORS = new ConcurrentHashMap<>();

  @FuzzTest(maxDuration = "5m")
  void anyFrameDissectsWithinItsBytes(FuzzedDataProvider data) {
    // all-zero parameters (a seed followed by zero bytes): default limits, whole frame
    int maxExtensions = data.consumeBoolean() ? data.consumeInt(1, 40) : Limits.DEFAULT_MAX_IPV6_EXTENSION_HEADERS;
    CutPoints cuts = CutPoints.consume(data, 8);
    byte[] input = data.consumeRemainingAsBytes();
    if (input.length < 2) {
      return;
    }
    int linkType = ((input[0] & 0xff) << 8) | (input[1] & 0xff);
    byte[] frame = Arrays.copyOfRange(input, 2, input.length);
    Limits limits = Limits.builder().maxIpv6ExtensionHeaders(maxExtensions).build();
    PacketDissector dissector = new PacketDissector(limits);

    EventDigest first = null;
    for (int shape = 0; shape < ExactBuffer.SHAPES; shape++) {
      ByteBuf buf = ExactBuffer.of(frame, shape, cuts);
      try {
        EventDigest d = dissect(dissector, buf, linkType, limits);
        if (first == null) {
          first = d;
        } else {
          assertEquals(first, d, "shape " + shape + " vs heap");
        }
        boolean stopped = dissector.stopLayer() != Layer.NONE;
        if (stopped) {
          assertThrows(MalformedInputException.class, () -> dissector.dissectOrThrow(buf, linkType));
        } else {
          dissector.dissectOrThrow(buf, linkType);
        }
      } finally {
        assertEquals(1, buf.refCnt(), "the dissector does not retain or release the frame");
        buf.release();
      }
    }
  }

  private static EventDigest dissect(PacketDissector p, ByteBuf buf, int linkType, Limits limits) {
    int length = buf.readableBytes();
    Layer deepest = p.dissect(buf, linkType);
    EventDigest d = new EventDigest();
    d.add("dissect", deepest, p.stopLayer(), p.isTruncated(), p.isFragment(), p.isNonFirstFragment(),
        p.transportProtocol(), p.vlanCount(), p.ipv6ExtensionCount());
    assertTrue(deepest == Layer.NONE || p.has(deepest), "the deepest layer is decoded");
    assertTrue(p.ipv6ExtensionCount() <= limits.maxIpv6ExtensionHeaders(), "extension headers above the limit");
    MalformationReport r = p.report();
    if (p.stopLayer() != Layer.NONE) {
      assertTrue(r.isMalformed(), "a stop without a malformation");
      assertEquals(p.stopLayer(), r.layer());
      assertTrue(r.offset() >= 0 && r.offset() <= length, () -> "malformation offset outside the frame: " + r);
      if (r.malformation() == Malformation.TRUNCATED) {
        assertTrue(r.requiredLength() > r.availableLength() && r.availableLength() >= 0, r::toString);
      }
      d.add("report", r);
    } else {
      assertFalse(r.isMalformed(), "a malformation without a stop");
    }
    if (p.hasEthernet()) {
      views(d, "ethernet", p.ethernet(), length);
    }
    for (int i = 0; i < p.vlanCount(); i++) {
      views(d, "vlan", p.vlan(i), length);
    }
    if (p.hasSll()) {
      views(d, "sll", p.sll(), length);
    }
    if (p.hasSll2()) {
      views(d, "sll2", p.sll2(), length);
    }
    if (p.hasLoopback()) {
      views(d, "loopback", p.loopback(), length);
    }
    if (p.has(Layer.IPV4)) {
      views(d, "ipv4", p.ipv4(), length);
    }
    if (p.has(Layer.IPV6)) {
      views(d, "ipv6", p.ipv6(), length);
    }
    if (p.has(Layer.TCP)) {
      views(d, "tcp", p.tcp(), length);
      TcpOptionCursor o = new TcpOptionCursor();
      if (o.wrap(p.tcp())) {
        int n = 0;
        while (o.next()) {
          assertTrue(++n <= 40, "more TCP options than bytes");
          assertTrue(o.valueOffset() + o.valueLength() <= length, "option outside the frame");
          d.add("option", o.kind(), o.length(), o.mss(), o.windowScale(), o.sackBlockCount(), o.timestampValue(),
              o.timestampEchoReply());
        }
        d.add("options-end", o.report());
      }
    }
    if (p.has(Layer.UDP)) {
      views(d, "udp", p.udp(), length);
    }
    if (p.has(Layer.ICMP) || p.has(Layer.ICMPV6)) {
      views(d, "icmp", p.icmp(), length);
    }
    FlowKey key = new FlowKey();
    if (p.has(Layer.TCP) || p.has(Layer.UDP)) {
      assertTrue(p.flowKey(key), "a TCP or UDP packet has a flow key");
      d.add("flow", key);
    }
    return d;
  }

  /**
   * Calls every public no-argument accessor of a decoded view (none may throw: they were validated by wrap), digests
   * the results, and checks that its payload lies inside the frame.
   */
  private static void views(EventDigest d, String name, Object view, int frameLength) {
    Method[] methods = ACCESSORS.computeIfAbsent(view.getClass(), c -> Arrays.stream(c.getDeclaredMethods())
        .filter(m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers())
            && m.getParameterCount() == 0 && !m.getName().equals("hashCode"))
        .sorted(Comparator.comparing(Method::getName)).toArray(Method[]::new));
    d.add("view", name);
    Integer payloadOffset = null;
    Integer captured = null;
    for (Method m : methods) {
      Object v;
      try {
        v = m.invoke(view);
      } catch (IllegalAccessException e) {
        throw new AssertionError(e);
      } catch (InvocationTargetException e) {
        throw new AssertionError(name + "." + m.getName() + "() threw on a decoded view", e.getCause());
      }
      if (v instanceof ByteBuf) {
        ByteBuf b = (ByteBuf) v;
        d.add(m.getName(), b.readableBytes());
        d.bytes(b);
      } else if (v instanceof MalformationReport || v instanceof byte[]) {
        continue; // the report of a decoded view is clear; arrays have identity toString
      } else {
        d.add(m.getName(), v);
      }
      if (m.getName().equals("payloadOffset")) {
        payloadOffset = (Integer) v;
      } else if (m.getName().equals("capturedPayloadLength")) {
        captured = (Integer) v;
      }
    }
    if (payloadOffset != null && captured != null) {
      assertTrue(payloadOffset >= 0 && captured >= 0 && payloadOffset + captured <= frameLength,
          name + " payload outside the frame: " + payloadOffset + "+" + captured + " > " + frameLength);
    }
  }
}
