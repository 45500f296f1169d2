package dev.wirelens.pcapng;

import dev.wirelens.Layer;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;

/**
 * Decryption Secrets Block (draft-ietf-opsawg-pcapng §4.7): key material, such as a TLS key log
 * ({@link DecryptionSecretsTypes#TLS_KEY_LOG}), that applies to the packets after it.
 *
 * <pre>
 *    +---------------------------------------------------------------+
 *  0 |                    Block Type = 0x0000000A                    |
 *  4 |                      Block Total Length                       |
 *  8 |                          Secrets Type                         |
 * 12 |                         Secrets Length                        |
 * 16 /                          Secrets Data (padded)                /
 *    /                       Options (variable)                      /
 *    |                       Block Total Length                      |
 *    +---------------------------------------------------------------+
 * </pre>
 *
 * <p>{@link #wrap} fails with {@link Malformation#BAD_LENGTH_FIELD} at byte 12 if the secrets run past the block.
 *
 * <p>Lifetime: borrows the wrapped buffer until the next {@code wrap}; {@link #secretsData()} is a non-retained
 * slice. Allocation: none, except {@link #secretsDataAsString()} and {@link #copySecretsData()}.
 * Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * DecryptionSecretsBlock dsb = reader.decryptionSecrets();
 * if (dsb.secretsType() == DecryptionSecretsTypes.TLS_KEY_LOG) keyLog.append(dsb.secretsDataAsString());
 * }</pre>
 */
public final class DecryptionSecretsBlock {
  /** Minimum Block Total Length: 20. */
  public static final int MIN_LENGTH = 20;

  private final MalformationReport report = new MalformationReport();
  private final PcapngOptionCursor options = new PcapngOptionCursor();
  private ByteBuf buf;
  private int offset;
  private int total;
  private int secretsLength;
  private boolean le;

  /** Creates an unwrapped view. */
  public DecryptionSecretsBlock() {}

  /** Wraps the DSB at {@code offset}, {@code length} bytes available, in a section of the given byte order. */
  public boolean wrap(ByteBuf buf, int offset, int length, boolean littleEndian) {
    int t = Blocks.frame(report, buf, offset, length, littleEndian, MIN_LENGTH);
    if (t < 0) {
      return false;
    }
    long n = Bytes.u32(buf, offset + 12, littleEndian);
    if (n > t - MIN_LENGTH) {
      return report.invalid(Layer.CAPTURE, Malformation.BAD_LENGTH_FIELD, offset + 12);
    }
    this.buf = buf;
    this.offset = offset;
    this.total = t;
    this.secretsLength = (int) n;
    this.le = littleEndian;
    return true;
  }

  // bounds: the accessors below read fixed fields inside MIN_LENGTH and slices inside the lengths checked in
  // wrap(); they do no checks of their own.

  /** Bytes 8–11: secrets type ({@link DecryptionSecretsTypes}). */
  public long secretsType() {
    return Bytes.u32(buf, offset + 8, le);
  }

  /** Bytes 12–15: secrets length. */
  public int secretsLength() {
    return secretsLength;
  }

  /** The secrets data, a non-retained slice. */
  public ByteBuf secretsData() {
    return buf.slice(offset + 16, secretsLength);
  }

  /** The secrets data as UTF-8 text (a key log). Allocates. */
  public String secretsDataAsString() {
    return buf.toString(offset + 16, secretsLength, StandardCharsets.UTF_8);
  }

  /** A copy of the secrets data. Allocates. */
  public byte[] copySecretsData() {
    return ByteBufUtil.getBytes(buf, offset + 16, secretsLength);
  }

  /** Bytes 4–7: Block Total Length. */
  public int blockTotalLength() {
    return total;
  }

  /** The options after the padded secrets, rewound. */
  public PcapngOptionCursor options() {
    int start = 16 + Bytes.pad4(secretsLength);
    options.wrap(buf, offset + start, Math.max(0, total - 4 - start), le);
    return options;
  }

  /** Why the last {@code wrap} failed. */
  public MalformationReport report() {
    return report;
  }
}
