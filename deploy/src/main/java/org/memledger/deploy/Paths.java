package org.memledger.deploy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** URL pieces from user input: ids are percent-encoded so a stray character cannot change the path. */
final class Paths {
  private Paths() {
  }

  static String segment(String id) {
    return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
