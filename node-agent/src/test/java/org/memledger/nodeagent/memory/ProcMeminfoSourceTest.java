package org.memledger.nodeagent.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class ProcMeminfoSourceTest {

    private static MemoryReading read(String fixture) throws MemoryReadException {
        return new ProcMeminfoSource(Fixtures.path("meminfo/" + fixture)).read();
    }

    private static void assertFails(String fixture, String message) {
        Path file = Fixtures.path("meminfo/" + fixture);
        assertThatThrownBy(() -> new ProcMeminfoSource(file).read())
                .isInstanceOf(MemoryReadException.class)
                .hasMessage(file + message);
    }

    @Test
    void readsTotalAndAvailableInKilobytesAsExactBytes() throws MemoryReadException {
        MemoryReading reading = read("typical");

        assertThat(reading.physicalBytes()).isEqualTo(16_318_412L * 1024);
        assertThat(reading.availableBytes()).isEqualTo(9_873_020L * 1024);
        assertThat(reading.deploymentUsage()).isEmpty();
    }

    @Test
    void toleratesExtraSpacesAndTabs() throws MemoryReadException {
        assertThat(read("extra-spaces")).isEqualTo(MemoryReading.of(16L << 30, 8L << 30));
    }

    @Test
    void missingMemAvailableIsAnErrorNotAZero() {
        assertFails("missing-available",
                ": MemAvailable is missing (the kernel is older than 3.14, or this is not /proc/meminfo)");
    }

    @Test
    void emptyFileLacksMemTotal() {
        assertFails("empty", ": MemTotal is missing");
    }

    @Test
    void garbledNumberNamesFileAndLine() {
        assertFails("garbled-number", " line 3: 'MemAvailable:    98x3020 kB' is not 'Key: number [kB]'");
    }

    @Test
    void anyMalformedLineIsAnError() {
        assertFails("garbled-line", " line 4: 'this line is not meminfo' is not 'Key: number [kB]'");
        assertFails("wrong-unit", " line 1: 'MemTotal:       16318412 MB' is not 'Key: number [kB]'");
    }

    @Test
    void requiredKeysNeedTheirUnit() {
        assertFails("no-unit-on-total", " line 1: MemTotal has no kB unit");
    }

    @Test
    void repeatedKeyIsAnError() {
        assertFails("duplicate-key", " line 3: MemTotal appears again (first on line 1)");
    }

    @Test
    void availableAboveTotalIsAnError() {
        assertFails("available-exceeds-total", " line 2: MemAvailable (2048000000 bytes) exceeds MemTotal (1024000000 bytes)");
    }

    @Test
    void sizeThatOverflowsBytesIsAnError() {
        assertFails("overflow", " line 1: 9223372036854775807 kB is too large");
    }

    @Test
    void missingFileIsAnErrorNamingIt() {
        assertFails("no-such-file", ": no such file");
    }

    @Test
    void readsThisMachine() throws MemoryReadException {
        assumeTrue(Files.isReadable(ProcMeminfoSource.DEFAULT_PATH), "not Linux");

        MemoryReading reading = new ProcMeminfoSource(ProcMeminfoSource.DEFAULT_PATH).read();

        assertThat(reading.physicalBytes()).isPositive();
        assertThat(reading.availableBytes()).isBetween(0L, reading.physicalBytes());
    }
}
