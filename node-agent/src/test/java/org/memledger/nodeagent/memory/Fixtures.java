package org.memledger.nodeagent.memory;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Paths of the fixture trees under {@code src/test/resources/fixtures}. */
public final class Fixtures {
    private Fixtures() {
    }

    public static Path path(String relative) {
        URL root = Fixtures.class.getResource("/fixtures");
        if (root == null) {
            throw new IllegalStateException("fixtures are not on the test class path");
        }
        try {
            return Path.of(root.toURI()).resolve(relative);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
