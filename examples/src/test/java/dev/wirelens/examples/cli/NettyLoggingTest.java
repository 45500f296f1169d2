package dev.wirelens.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.internal.logging.InternalLogger;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * {@link NettyLogging}'s loggers: trace and debug off as {@code java.util.logging}'s default configuration has them
 * (the oracle: a JDK logger's own answer), info and above through {@code java.util.logging} as Netty's
 * {@code JdkLogger} logs them. The factory is not installed here (that is {@code main}'s, for the process).
 */
class NettyLoggingTest {
  @Test
  void debugIsOffAsTheDefaultConfigurationHasItAndWarningsReachJavaUtilLogging() {
    String name = "dev.wirelens.test.NettyLoggingTest";
    Logger jul = Logger.getLogger(name);
    List<LogRecord> records = new ArrayList<>();
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        records.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    jul.addHandler(handler);
    jul.setUseParentHandlers(false);
    try {
      InternalLogger logger = new NettyLogging().newInstance(name);
      assertThat(logger.isTraceEnabled()).isEqualTo(jul.isLoggable(Level.FINEST)).isFalse();
      assertThat(logger.isDebugEnabled()).isEqualTo(jul.isLoggable(Level.FINE)).isFalse();
      logger.debug("not {}", "printed");
      assertThat(logger.isInfoEnabled()).isEqualTo(jul.isLoggable(Level.INFO)).isTrue();
      assertThat(logger.isWarnEnabled()).isTrue();
      assertThat(logger.isErrorEnabled()).isTrue();
      logger.warn("LEAK: {} was not released", "ByteBuf");
      logger.error("broken", new IllegalStateException("x"));
      assertThat(records).extracting(LogRecord::getLevel).containsExactly(Level.WARNING, Level.SEVERE);
      assertThat(records).extracting(LogRecord::getMessage)
          .containsExactly("LEAK: ByteBuf was not released", "broken");
      assertThat(records.get(1).getThrown()).hasMessage("x");
      assertThat(records).extracting(LogRecord::getLoggerName).containsOnly(name);
    } finally {
      jul.removeHandler(handler);
    }
  }
}
