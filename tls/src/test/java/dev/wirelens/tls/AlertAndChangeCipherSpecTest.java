package dev.wirelens.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Layer;
import dev.wirelens.Limits;
import dev.wirelens.Malformation;
import dev.wirelens.testkit.Hex;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class AlertAndChangeCipherSpecTest {
  static byte[] resource(String name) throws IOException {
    try (InputStream in = AlertAndChangeCipherSpecTest.class.getClassLoader().getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }

  @Test
  void plaintextCloseNotifyOfTheIllustratedTls12ConnectionIsAWarning() throws IOException {
    // clientalertplain: the decrypted fragment of the client's alert record (tls12.xargs.org: "01 00" then MAC+padding)
    ByteBuf b = Unpooled.wrappedBuffer(resource("vectors/tls/illustrated-tls12/clientalertplain"));
    Alert a = new Alert();
    assertThat(a.wrap(b, 0, 2)).isTrue();
    assertThat(a.level()).isEqualTo(AlertLevels.WARNING);
    assertThat(a.description()).isEqualTo(AlertDescriptions.CLOSE_NOTIFY);
    assertThat(a.isPlausiblePlaintext(2)).isTrue();
    b.release();
  }

  @Test
  void encryptedAlertRecordIsNotPlausiblePlaintext() throws IOException {
    // clientalert: the protected alert record as sent (48-byte CBC fragment)
    ByteBuf b = Unpooled.wrappedBuffer(resource("vectors/tls/illustrated-tls12/clientalert"));
    try (TlsRecordReader reader = new TlsRecordReader(Limits.defaults())) {
      reader.feed(b);
      assertThat(reader.next()).isEqualTo(DecodeStatus.RECORD);
      TlsRecord r = reader.record();
      assertThat(r.contentType()).isEqualTo(ContentTypes.ALERT);
      Alert a = new Alert();
      assertThat(a.wrap(r.buffer(), r.fragmentOffset(), r.length())).isTrue();
      assertThat(a.isPlausiblePlaintext(r.length())).isFalse();
    }
  }

  @Test
  void alertShorterThanTwoBytesIsTruncated() {
    Alert a = new Alert();
    assertThat(a.wrap(Unpooled.wrappedBuffer(Hex.decode("02")), 0, 1)).isFalse();
    assertThat(a.report().malformation()).isEqualTo(Malformation.TRUNCATED);
    assertThat(a.report().layer()).isEqualTo(Layer.TLS);
    assertThat(a.level()).isEqualTo(-1);
  }

  @Test
  void changeCipherSpecOfTheIllustratedConnectionsIsOneByteOfOne() throws IOException {
    for (String file : new String[] {"illustrated-tls12/clientccs", "illustrated-tls13/serverccs"}) {
      try (TlsRecordReader reader = new TlsRecordReader(Limits.defaults())) {
        reader.feed(Unpooled.wrappedBuffer(resource("vectors/tls/" + file)));
        assertThat(reader.next()).isEqualTo(DecodeStatus.RECORD);
        TlsRecord r = reader.record();
        assertThat(r.contentType()).isEqualTo(ContentTypes.CHANGE_CIPHER_SPEC);
        ChangeCipherSpec ccs = new ChangeCipherSpec();
        assertThat(ccs.wrap(r.buffer(), r.fragmentOffset(), r.length())).isTrue();
        assertThat(ccs.type()).isEqualTo(1);
      }
    }
  }

  @Test
  void changeCipherSpecLongerThanOneByteIsABadLength() {
    ChangeCipherSpec ccs = new ChangeCipherSpec();
    assertThat(ccs.wrap(Unpooled.wrappedBuffer(Hex.decode("0101")), 0, 2)).isFalse();
    assertThat(ccs.report().malformation()).isEqualTo(Malformation.BAD_LENGTH_FIELD);
    assertThat(ccs.report().offset()).isEqualTo(1);
  }
}
