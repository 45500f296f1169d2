package dev.wirelens.examples.cli;

import io.netty.util.internal.logging.AbstractInternalLogger;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;

/**
 * Internal: Netty's logging in the {@code wirelens} process as Netty itself would set it up there, through
 * {@code java.util.logging}, but without starting {@code java.util.logging}'s {@code LogManager} for the debug
 * messages Netty asks about while it initialises. The first Netty class to log looks for SLF4J, Log4J 2 and Log4J
 * (none is in the jar: each probe ends in a class-loading error) and settles on {@link JdkLoggerFactory}; its
 * loggers then ask the {@code LogManager} whether debug is enabled, which reads the JDK's
 * {@code conf/logging.properties} and looks up logging services: about 0.03 s of every run's start-up, for
 * messages that are never printed.
 *
 * <p>With the JDK's logging configuration ({@code .level= INFO}, neither {@code java.util.logging.config.file} nor
 * {@code java.util.logging.config.class} set), trace and debug are off, and {@link #install()} sets a factory whose
 * loggers say so without asking; info, warnings and errors (a leak report, say) go to the {@link JdkLoggerFactory}
 * logger of the same name, created when first needed, so they print exactly as before. With a logging
 * configuration of the user's, or an SLF4J or Log4J class that Netty would pick instead, nothing is changed.
 */
final class NettyLogging extends InternalLoggerFactory {
  /** The classes whose presence makes Netty choose another logging framework than {@code java.util.logging}. */
  private static final String[] OTHER_BACKENDS = {
      "org/slf4j/LoggerFactory.class", "org/apache/logging/log4j/LogManager.class", "org/apache/log4j/Logger.class"};

  /** Use {@link #install()}; tests make their own. */
  NettyLogging() {}

  /** Sets this factory as Netty's default when the conditions above hold; call before Netty's first class runs. */
  static void install() {
    if (System.getProperty("java.util.logging.config.file") != null
        || System.getProperty("java.util.logging.config.class") != null) {
      return;
    }
    ClassLoader loader = NettyLogging.class.getClassLoader();
    for (String backend : OTHER_BACKENDS) {
      if (loader == null || loader.getResource(backend) != null) {
        return;
      }
    }
    InternalLoggerFactory.setDefaultFactory(new NettyLogging());
  }

  @Override
  protected InternalLogger newInstance(String name) {
    return new InfoAndAbove(name);
  }

  /** Trace and debug off; info and above through the JDK logger of the same name, made on first use. */
  private static final class InfoAndAbove extends AbstractInternalLogger {
    private static final long serialVersionUID = 1L;
    private transient volatile InternalLogger jdk;

    InfoAndAbove(String name) {
      super(name);
    }

    private InternalLogger jdk() {
      InternalLogger j = jdk;
      if (j == null) {
        j = ((JdkLoggerFactory) JdkLoggerFactory.INSTANCE).newInstance(name());
        jdk = j;
      }
      return j;
    }

    @Override
    public boolean isTraceEnabled() {
      return false;
    }

    @Override
    public void trace(String msg) {}

    @Override
    public void trace(String format, Object arg) {}

    @Override
    public void trace(String format, Object argA, Object argB) {}

    @Override
    public void trace(String format, Object... arguments) {}

    @Override
    public void trace(String msg, Throwable t) {}

    @Override
    public boolean isDebugEnabled() {
      return false;
    }

    @Override
    public void debug(String msg) {}

    @Override
    public void debug(String format, Object arg) {}

    @Override
    public void debug(String format, Object argA, Object argB) {}

    @Override
    public void debug(String format, Object... arguments) {}

    @Override
    public void debug(String msg, Throwable t) {}

    @Override
    public boolean isInfoEnabled() {
      return jdk().isInfoEnabled();
    }

    @Override
    public void info(String msg) {
      jdk().info(msg);
    }

    @Override
    public void info(String format, Object arg) {
      jdk().info(format, arg);
    }

    @Override
    public void info(String format, Object argA, Object argB) {
      jdk().info(format, argA, argB);
    }

    @Override
    public void info(String format, Object... arguments) {
      jdk().info(format, arguments);
    }

    @Override
    public void info(String msg, Throwable t) {
      jdk().info(msg, t);
    }

    @Override
    public boolean isWarnEnabled() {
      return jdk().isWarnEnabled();
    }

    @Override
    public void warn(String msg) {
      jdk().warn(msg);
    }

    @Override
    public void warn(String format, Object arg) {
      jdk().warn(format, arg);
    }

    @Override
    public void warn(String format, Object... arguments) {
      jdk().warn(format, arguments);
    }

    @Override
    public void warn(String format, Object argA, Object argB) {
      jdk().warn(format, argA, argB);
    }

    @Override
    public void warn(String msg, Throwable t) {
      jdk().warn(msg, t);
    }

    @Override
    public boolean isErrorEnabled() {
      return jdk().isErrorEnabled();
    }

    @Override
    public void error(String msg) {
      jdk().error(msg);
    }

    @Override
    public void error(String format, Object arg) {
      jdk().error(format, arg);
    }

    @Override
    public void error(String format, Object argA, Object argB) {
      jdk().error(format, argA, argB);
    }

    @Override
    public void error(String format, Object... arguments) {
      jdk().error(format, arguments);
    }

    @Override
    public void error(String msg, Throwable t) {
      jdk().error(msg, t);
    }
  }
}
