package dev.wirelens.tls.internal;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Limits;
import dev.wirelens.pcapng.CaptureReader;
import dev.wirelens.pcapng.DecryptionSecret;
import dev.wirelens.packet.PacketDissector;
import dev.wirelens.tcp.CloseReason;
import dev.wirelens.tcp.Direction;
import dev.wirelens.tcp.GapReason;
import dev.wirelens.tcp.TcpConnection;
import dev.wirelens.tcp.TcpReassembler;
import dev.wirelens.tcp.TcpStreamListener;
import dev.wirelens.tls.TlsKeySource;
import dev.wirelens.tls.TlsSecrets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Test helper, standing in for the not-yet-merged record reader and connection dissector: reads a capture (pcap or
 * pcapng) with the pcapng module's CaptureReader, reassembles it with
 * core's {@link TcpReassembler}, splits each direction into TLS records (5-byte header), follows just enough of the
 * handshake (client and server random, cipher suite, version, encrypt_then_mac, early_data, Finished, KeyUpdate,
 * EndOfEarlyData) to pick keys, and decrypts with {@link RecordDecryptors}. The application data of each direction
 * is collected for comparison with tshark's {@code follow,tls,raw}.
 */
final class CaptureDecryption {
  /** What happened on one TCP connection. */
  static final class Connection {
    String client;
    String server;
    int cipherSuite = -1;
    int version = -1;
    boolean tls13;
    boolean unsupported;
    boolean keysFound;
    boolean encryptThenMac;
    boolean compressed;
    int decryptedRecords;
    int failedRecords;
    int keyUpdates;
    final ByteArrayOutputStream[] applicationData = {new ByteArrayOutputStream(), new ByteArrayOutputStream()};

    byte[] applicationData(Direction d) {
      return applicationData[d.ordinal()].toByteArray();
    }

    @Override
    public String toString() {
      return client + "->" + server + " suite=0x" + Integer.toHexString(cipherSuite) + " version=0x"
          + Integer.toHexString(version) + " decrypted=" + decryptedRecords + " failed=" + failedRecords
          + " unsupported=" + unsupported + " keys=" + keysFound;
    }
  }

  private CaptureDecryption() {}

  static List<Connection> run(Path capture, TlsKeySource keys) throws IOException {
    List<ConnectionState> states = new ArrayList<>();
    // no idle expiry: some corpus files (keys-in-shb-comment) have timestamps that jump by decades between packets
    Limits limits = Limits.builder().idleTimeout(java.time.Duration.ofDays(365L * 200)).build();
    TcpReassembler reassembler = new TcpReassembler(limits, c -> {
      ConnectionState s = new ConnectionState(keys);
      states.add(s);
      return s;
    });
    PacketDissector dissector = new PacketDissector();
    try (CaptureReader reader = CaptureReader.open(capture)) {
      while (reader.next() == DecodeStatus.FRAME) {
        dissector.dissect(reader.frame(), reader.linkType());
        reassembler.onPacket(dissector, reader.timestampNanos());
      }
    } finally {
      reassembler.close();
    }
    List<Connection> out = new ArrayList<>();
    for (ConnectionState s : states) {
      out.add(s.result);
    }
    return out;
  }

  /** The key log text of a capture's pcapng Decryption Secrets Blocks and, separately, of its SHB comments. */
  static String[] embeddedKeyLogs(Path capture) {
    StringBuilder dsb = new StringBuilder();
    try (CaptureReader reader = CaptureReader.open(capture)) {
      while (reader.next() == DecodeStatus.FRAME) {
        // secrets and comments are collected on the way
      }
      for (DecryptionSecret s : reader.decryptionSecrets()) {
        if (s.isTlsKeyLog()) {
          dsb.append(s.dataAsString()).append('\n');
        }
      }
      return new String[] {dsb.toString(), String.join("\n", reader.sectionComments())};
    }
  }

  /** The per-connection listener and TLS state. */
  private static final class ConnectionState implements TcpStreamListener {
    final TlsKeySource keys;
    final Connection result = new Connection();
    final ByteArrayOutputStream[] pending = {new ByteArrayOutputStream(), new ByteArrayOutputStream()};
    final ByteArrayOutputStream[] handshake = {new ByteArrayOutputStream(), new ByteArrayOutputStream()};
    final boolean[] stopped = new boolean[2];
    final boolean[] tlsSeen = new boolean[2];
    final boolean[] encrypted = new boolean[2];
    final RecordDecryptor[] decryptor = new RecordDecryptor[2];
    final byte[][] trafficSecret = new byte[2][];
    final boolean[] switchToApplication = new boolean[2];
    final boolean[] switchToHandshake = new boolean[2];
    final boolean[] keyUpdate = new boolean[2];
    byte[] clientRandom;
    byte[] serverRandom;
    boolean offeredEarlyData;
    boolean earlyDataActive;
    int[] offeredSuites = new int[0];
    boolean encryptThenMac;
    TlsSecrets secrets;

    ConnectionState(TlsKeySource keys) {
      this.keys = keys;
    }

    @Override
    public void onOpen(TcpConnection c) {
      result.client = endpoint(c.clientAddressAsString(), c.clientPort());
      result.server = endpoint(c.serverAddressAsString(), c.serverPort());
    }

    /** "ip:port" as tshark prints it ("[v6]:port"). */
    private static String endpoint(String address, int port) {
      return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
    }

    @Override
    public int onData(TcpConnection c, Direction d, long offset, ByteBuf data) {
      int n = data.readableBytes();
      if (!stopped[d.ordinal()]) {
        pending[d.ordinal()].writeBytes(ByteBufUtil.getBytes(data));
        records(d);
      }
      return n;
    }

    @Override
    public void onGap(TcpConnection c, Direction d, long offset, long length, GapReason why) {
      stopped[d.ordinal()] = true; // decryption of a direction stops at a gap
    }

    @Override
    public void onClose(TcpConnection c, CloseReason why) {}

    private void records(Direction d) {
      int i = d.ordinal();
      byte[] buf = pending[i].toByteArray();
      int p = 0;
      while (buf.length - p >= 5) {
        if (!tlsSeen[i] && (buf[p] != 22 || buf[p + 1] != 3)) {
          p++; // STARTTLS: skip the application protocol's plaintext before the first handshake record
          continue;
        }
        int length = (buf[p + 3] & 0xff) << 8 | buf[p + 4] & 0xff;
        if (buf.length - p < 5 + length) {
          break;
        }
        int type = buf[p] & 0xff;
        int version = (buf[p + 1] & 0xff) << 8 | buf[p + 2] & 0xff;
        tlsSeen[i] = true;
        if (type < 20 || type > 24) {
          stopped[i] = true; // not TLS
          return;
        }
        record(d, type, version, Arrays.copyOfRange(buf, p + 5, p + 5 + length));
        p += 5 + length;
      }
      pending[i].reset();
      pending[i].write(buf, p, buf.length - p);
    }

    private void record(Direction d, int type, int version, byte[] fragment) {
      int i = d.ordinal();
      boolean protectedRecord;
      if (type == 23 && i == 0 && earlyDataActive) {
        protectedRecord = true; // 0-RTT data, before or after the ServerHello
      } else {
        protectedRecord = result.tls13 ? type == 23 && encrypted[i] : encrypted[i];
      }
      if (!protectedRecord) {
        if (type == 22) {
          handshakeBytes(d, fragment, false);
        } else if (type == 20 && !result.tls13 && result.cipherSuite >= 0) {
          encrypted[i] = true;
          startTls12(d);
        }
        return;
      }
      byte[] plain = decrypt(d, type, version, fragment);
      if (Boolean.getBoolean("tls.debug")) {
        System.out.println("DBG2 " + d + " type=" + type + " len=" + fragment.length + " ok=" + (plain != null)
            + " seq=" + (decryptor[i] == null ? -1 : decryptor[i].sequenceNumber()));
      }
      if (plain == null) {
        result.failedRecords++;
        return;
      }
      result.decryptedRecords++;
      int inner = decryptor[i].innerContentType();
      if (inner == 23) {
        result.applicationData[i].writeBytes(plain);
      } else if (inner == 22) {
        handshakeBytes(d, plain, true);
      } else if (inner == 20 && !result.tls13) {
        startTls12(d); // ChangeCipherSpec of a renegotiation: the new handshake's keys from the next record on
      }
      afterRecord(d);
    }

    private byte[] decrypt(Direction d, int type, int version, byte[] fragment) {
      int i = d.ordinal();
      if (i == 0 && earlyDataActive && decryptor[0] == null) {
        decryptor[0] = earlyDecryptor(type, version, fragment);
      }
      if (decryptor[i] == null) {
        return null;
      }
      byte[] plain = tryDecrypt(decryptor[i], type, version, fragment);
      if (plain == null && i == 0 && earlyDataActive && trafficSecret[0] != null) {
        // early data rejected or already over: the client's records are under its handshake key
        earlyDataActive = false;
        decryptor[0] = RecordDecryptors.tls13(result.cipherSuite, trafficSecret[0]);
        plain = tryDecrypt(decryptor[0], type, version, fragment);
      }
      return plain;
    }

    /** 0-RTT: the suite is the resumed session's; try the offered TLS 1.3 suites that fit the secret's length. */
    private RecordDecryptor earlyDecryptor(int type, int version, byte[] fragment) {
      if (secrets == null || secrets.clientEarlyTrafficSecret() == null) {
        return null;
      }
      for (int suite : offeredSuites) {
        RecordDecryptor candidate = RecordDecryptors.tls13(suite, secrets.clientEarlyTrafficSecret());
        if (candidate != null && tryDecrypt(RecordDecryptors.tls13(suite, secrets.clientEarlyTrafficSecret()), type,
            version, fragment) != null) {
          return candidate;
        }
      }
      return null;
    }

    private static byte[] tryDecrypt(RecordDecryptor d, int type, int version, byte[] fragment) {
      ByteBuf in = Unpooled.wrappedBuffer(fragment);
      ByteBuf out = Unpooled.buffer();
      try {
        return d.decrypt(type, version, in, out) ? ByteBufUtil.getBytes(out) : null;
      } finally {
        in.release();
        out.release();
      }
    }

    private void afterRecord(Direction d) {
      int i = d.ordinal();
      if (switchToHandshake[i]) {
        switchToHandshake[i] = false;
        earlyDataActive = false;
        decryptor[i] = RecordDecryptors.tls13(result.cipherSuite, trafficSecret[i]);
      }
      if (switchToApplication[i]) {
        switchToApplication[i] = false;
        byte[] secret = i == 0 ? secrets.clientTrafficSecret0() : secrets.serverTrafficSecret0();
        trafficSecret[i] = secret;
        decryptor[i] = secret == null ? null : RecordDecryptors.tls13(result.cipherSuite, secret);
      }
      if (keyUpdate[i]) {
        keyUpdate[i] = false;
        result.keyUpdates++;
        trafficSecret[i] = RecordDecryptors.nextTrafficSecret(result.cipherSuite, trafficSecret[i]);
        decryptor[i] = RecordDecryptors.tls13(result.cipherSuite, trafficSecret[i]);
      }
    }

    private void handshakeBytes(Direction d, byte[] bytes, boolean wasEncrypted) {
      int i = d.ordinal();
      handshake[i].writeBytes(bytes);
      byte[] buf = handshake[i].toByteArray();
      int p = 0;
      while (buf.length - p >= 4) {
        int length = (buf[p + 1] & 0xff) << 16 | (buf[p + 2] & 0xff) << 8 | buf[p + 3] & 0xff;
        if (buf.length - p < 4 + length) {
          break;
        }
        message(d, buf[p] & 0xff, Arrays.copyOfRange(buf, p + 4, p + 4 + length), wasEncrypted);
        p += 4 + length;
      }
      handshake[i].reset();
      handshake[i].write(buf, p, buf.length - p);
    }

    private void message(Direction d, int type, byte[] body, boolean wasEncrypted) {
      int i = d.ordinal();
      if (type == 1) {
        clientHello(body); // also a renegotiation's (TLS 1.2) or the one after a HelloRetryRequest (same random)
      } else if (type == 2) {
        serverHello(body);
      } else if (result.tls13 && wasEncrypted) {
        if (type == 20) {
          switchToApplication[i] = true; // Finished: the next record is under the application traffic secret
        } else if (type == 5) {
          switchToHandshake[i] = true; // EndOfEarlyData
        } else if (type == 24) {
          keyUpdate[i] = true;
        }
      }
    }

    private void clientHello(byte[] b) {
      clientRandom = Arrays.copyOfRange(b, 2, 34);
      secrets = keys.secretsFor(clientRandom);
      result.keysFound = secrets != null;
      int p = 34;
      p += 1 + (b[p] & 0xff);
      int suitesLength = u16(b, p);
      offeredSuites = new int[suitesLength / 2];
      for (int k = 0; k < offeredSuites.length; k++) {
        offeredSuites[k] = u16(b, p + 2 + 2 * k);
      }
      p += 2 + suitesLength;
      p += 1 + (b[p] & 0xff);
      if (p + 2 <= b.length) {
        int end = p + 2 + u16(b, p);
        for (p += 2; p + 4 <= end; p += 4 + u16(b, p + 2)) {
          if (u16(b, p) == 0x002a) {
            offeredEarlyData = true;
          }
        }
      }
      earlyDataActive = offeredEarlyData && secrets != null && secrets.clientEarlyTrafficSecret() != null;
    }

    private static final byte[] HELLO_RETRY_REQUEST_RANDOM = dev.wirelens.testkit.Hex.decode(
        "CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C"); // RFC 8446 §4.1.3

    private void serverHello(byte[] b) {
      result.version = u16(b, 0);
      byte[] random = Arrays.copyOfRange(b, 2, 34);
      int p = 34;
      p += 1 + (b[p] & 0xff);
      result.cipherSuite = u16(b, p);
      result.compressed = b[p + 2] != 0; // RFC 3749 DEFLATE: the plaintext is compressed, tshark inflates it
      result.unsupported = CipherSuite.of(result.cipherSuite) == null;
      p += 3;
      if (p + 2 <= b.length) {
        int end = p + 2 + u16(b, p);
        for (p += 2; p + 4 <= end; p += 4 + u16(b, p + 2)) {
          int ext = u16(b, p);
          if (ext == 0x002b) {
            result.version = u16(b, p + 4);
          } else if (ext == 0x0016) {
            encryptThenMac = true;
            result.encryptThenMac = true;
          }
        }
      }
      if (Arrays.equals(random, HELLO_RETRY_REQUEST_RANDOM)) {
        return; // HelloRetryRequest: the real ServerHello follows
      }
      serverRandom = random;
      result.tls13 = result.version == 0x0304;
      if (result.tls13) {
        encrypted[0] = true;
        encrypted[1] = true;
        if (secrets != null) {
          trafficSecret[0] = secrets.clientHandshakeTrafficSecret();
          trafficSecret[1] = secrets.serverHandshakeTrafficSecret();
          if (trafficSecret[1] != null) {
            decryptor[1] = RecordDecryptors.tls13(result.cipherSuite, trafficSecret[1]);
            result.unsupported = decryptor[1] == null;
          }
          if (!earlyDataActive && trafficSecret[0] != null) {
            decryptor[0] = RecordDecryptors.tls13(result.cipherSuite, trafficSecret[0]);
          }
        }
      }
    }

    private void startTls12(Direction d) {
      if (secrets == null || secrets.masterSecret() == null || serverRandom == null) {
        return;
      }
      decryptor[d.ordinal()] = RecordDecryptors.tls12(result.cipherSuite, result.version, secrets.masterSecret(),
          clientRandom, serverRandom, d == Direction.CLIENT_TO_SERVER, encryptThenMac);
      result.unsupported |= decryptor[d.ordinal()] == null;
    }

    private static int u16(byte[] b, int p) {
      return (b[p] & 0xff) << 8 | b[p + 1] & 0xff;
    }
  }
}
