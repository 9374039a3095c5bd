package org.memledger.deploy;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.memledger.protocol.ByteSize;
import org.memledger.protocol.ByteSizeException;
import org.memledger.protocol.CommandValidator;
import org.memledger.protocol.Replicas;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option values people write: sizes with units, replica counts or ALL, durations. */
final class Converters {
  private Converters() {
  }

  /** {@code 512Mi}, {@code 2GiB}, {@code 1.5G}, {@code 1048576}: exact bytes (see {@link ByteSize}). */
  static final class SizeConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        long bytes = ByteSize.parse(value);
        if (bytes <= 0) {
          throw new TypeConversionException("'" + value + "' is not a positive size");
        }
        return bytes;
      } catch (ByteSizeException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** A count from 1 or {@code ALL} (any case). */
  static final class ReplicasConverter implements ITypeConverter<Replicas> {
    @Override
    public Replicas convert(String value) {
      if (value.strip().equalsIgnoreCase("ALL")) {
        return Replicas.ALL;
      }
      if (value.strip().matches("[0-9]{1,4}")) {
        int count = Integer.parseInt(value.strip());
        if (count >= 1 && count <= CommandValidator.MAX_REPLICAS) {
          return Replicas.of(count);
        }
      }
      throw new TypeConversionException("'" + value + "' is not a count from 1 to " + CommandValidator.MAX_REPLICAS
          + " or ALL");
    }
  }

  /** {@code 1500ms}, {@code 10s}, {@code 2m}; a bare number is milliseconds. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern FORMAT = Pattern.compile("([0-9]{1,9})(ms|s|m)?");

    @Override
    public Duration convert(String value) {
      Matcher m = FORMAT.matcher(value.strip().toLowerCase(Locale.ROOT));
      if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
        throw new TypeConversionException("'" + value + "' is not a duration (e.g. 500ms, 10s, 2m)");
      }
      long amount = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "ms" : m.group(2);
      switch (unit) {
        case "s":
          return Duration.ofSeconds(amount);
        case "m":
          return Duration.ofMinutes(amount);
        default:
          return Duration.ofMillis(amount);
      }
    }
  }
}
