package org.memledger.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code memledger --version}: the project version stamped into {@code memledger-version.properties}
 * by Maven resource filtering, plus the git commit when the build could read one.
 *
 * <p>The first line is always exactly {@code memledger <version>} so scripts can parse it. A value
 * the build could not supply is left as a literal {@code ${...}} placeholder and treated as absent.
 */
public final class MemledgerVersion implements IVersionProvider {

  static final String RESOURCE = "/memledger-version.properties";
  static final String UNKNOWN_VERSION = "unknown";

  @Override
  public String[] getVersion() {
    Properties properties = load();
    List<String> lines = new ArrayList<>();
    lines.add("memledger " + value(properties, "version", UNKNOWN_VERSION));
    String commit = value(properties, "commit", "");
    if (!commit.isEmpty()) {
      boolean dirty = Boolean.parseBoolean(value(properties, "dirty", "false"));
      lines.add("commit " + commit + (dirty ? " (modified)" : ""));
    }
    return lines.toArray(new String[0]);
  }

  private static Properties load() {
    Properties properties = new Properties();
    try (InputStream in = MemledgerVersion.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
    return properties;
  }

  private static String value(Properties properties, String key, String absent) {
    String value = properties.getProperty(key, "").trim();
    return value.isEmpty() || value.contains("${") ? absent : value;
  }
}
