package org.memledger.nodeagent.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class CgroupV2SourceTest {
    private static final long GIB = 1L << 30;
    private static final long MIB = 1L << 20;

    private static MemoryReading read(String fixture, long hostPhysical, long hostAvailable) throws MemoryReadException {
        return new CgroupV2Source(Fixtures.path("cgroup/" + fixture), new StaticSource(hostPhysical, hostAvailable)).read();
    }

    private static void assertFails(String fixture, String file, String message) {
        Path dir = Fixtures.path("cgroup/" + fixture);
        assertThatThrownBy(() -> new CgroupV2Source(dir, new StaticSource(16 * GIB, 12 * GIB)).read())
                .isInstanceOf(MemoryReadException.class)
                .hasMessage(dir.resolve(file) + message);
    }

    @Test
    void limitedCgroupReportsItsLimitAndLimitMinusWorkingSet() throws MemoryReadException {
        // memory.max 8 GiB, memory.current 3 GiB of which inactive_file 1 GiB: working set 2 GiB.
        assertThat(read("limited", 16 * GIB, 12 * GIB)).isEqualTo(MemoryReading.of(8 * GIB, 6 * GIB));
    }

    @Test
    void unlimitedCgroupFallsBackToTheHostFigures() throws MemoryReadException {
        // memory.max "max": limit = host 16 GiB; working set 2 GiB − 512 MiB = 1.5 GiB.
        assertThat(read("unlimited", 16 * GIB, 15_872 * MIB)).isEqualTo(MemoryReading.of(16 * GIB, 14_848 * MIB));
        assertThat(read("unlimited", 16 * GIB, 12 * GIB)).isEqualTo(MemoryReading.of(16 * GIB, 12 * GIB));
    }

    @Test
    void hostAvailabilityBoundsWhatTheLimitLeaves() throws MemoryReadException {
        assertThat(read("limited", 16 * GIB, 4 * GIB)).isEqualTo(MemoryReading.of(8 * GIB, 4 * GIB));
    }

    @Test
    void limitAboveTheMachineCountsAsTheMachine() throws MemoryReadException {
        assertThat(read("limited", 4 * GIB, 3 * GIB)).isEqualTo(MemoryReading.of(4 * GIB, 3 * GIB));
    }

    @Test
    void usageOverTheLimitClampsAvailableAtZero() throws MemoryReadException {
        assertThat(read("over-limit", 16 * GIB, 12 * GIB)).isEqualTo(MemoryReading.of(8 * GIB, 0));
    }

    @Test
    void garbledFilesAreErrorsNamingFileAndLine() {
        assertFails("garbled-current", "memory.current", " line 1: '12abc' is not a byte count");
        assertFails("garbled-max", "memory.max", " line 1: 'unlimited' is neither a byte count nor 'max'");
        assertFails("garbled-stat", "memory.stat", " line 3: 'inactive_file twelve' is not 'key number'");
    }

    @Test
    void missingStatOrKeyIsAnError() {
        assertFails("missing-stat", "memory.stat", ": no such file");
        assertFails("stat-without-inactive-file", "memory.stat", ": inactive_file is missing");
        assertFails("no-such-cgroup", "memory.max", ": no such file");
    }

    @Test
    void statParsingIsStrictAboutTokensButNotSpacing() throws MemoryReadException {
        Path file = Path.of("memory.stat");
        assertThat(CgroupV2Source.parseStat(file, "anon  5\n\tfile 6  \n"))
                .containsExactly(org.assertj.core.api.Assertions.entry("anon", 5L),
                        org.assertj.core.api.Assertions.entry("file", 6L));
        assertThatThrownBy(() -> CgroupV2Source.parseStat(file, "anon 5 6\n"))
                .hasMessage("memory.stat line 1: 'anon 5 6' is not 'key number'");
        assertThatThrownBy(() -> CgroupV2Source.parseStat(file, "anon 5\n\nfile 6\n"))
                .hasMessage("memory.stat line 2: '' is not 'key number'");
        assertThatThrownBy(() -> CgroupV2Source.parseStat(file, "anon -5\n"))
                .hasMessage("memory.stat line 1: 'anon -5' is not 'key number'");
        assertThatThrownBy(() -> CgroupV2Source.parseStat(file, "anon 5\nanon 6\n"))
                .hasMessage("memory.stat line 2: anon appears again");
    }

    @Test
    void describesTheCgroupAndTheHost() {
        Path dir = Fixtures.path("cgroup/limited");
        assertThat(new CgroupV2Source(dir, new StaticSource(1, 1)).describe()).isEqualTo("cgroup v2 " + dir + " (host: static)");
    }
}
