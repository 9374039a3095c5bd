package org.memledger.coordinator.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * forbiddenapis bans clocks, randomness, threads, I/O and hash-order iteration in the ledger's
 * bytecode; primitive floating point has no API to ban, so this test reads the sources.
 */
class LedgerPurityTest {
    private static final Pattern FLOATING_POINT = Pattern.compile("\\b(double|float|Double|Float)\\b");

    @Test
    void ledgerSourcesUseNoFloatingPoint() throws IOException {
        Path sources = Path.of("src/main/java/org/memledger/coordinator/ledger");
        assertThat(sources).isDirectory();
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.list(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    String code = lines.get(i).replaceAll("//.*|\\*.*|\"[^\"]*\"", "");
                    if (FLOATING_POINT.matcher(code).find()) {
                        offenders.add(file.getFileName() + ":" + (i + 1) + ": " + lines.get(i).trim());
                    }
                }
            }
        }
        assertThat(offenders).as("floating point in the ledger").isEmpty();
    }
}
