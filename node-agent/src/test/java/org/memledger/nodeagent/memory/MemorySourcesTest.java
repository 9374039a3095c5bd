package org.memledger.nodeagent.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class MemorySourcesTest {
    private static final long GIB = 1L << 30;
    private static final Path MOUNT = Fixtures.path("hierarchy/mount");
    private static final Path MEMINFO = Fixtures.path("meminfo/typical");

    private static SystemPaths paths(String procFile) {
        return new SystemPaths(MEMINFO, Fixtures.path("hierarchy/proc/" + procFile), MOUNT);
    }

    @Test
    void parsesEveryOptionForm() {
        assertThat(MemorySourceOption.parse("auto")).isEqualTo(MemorySourceOption.AUTO);
        assertThat(MemorySourceOption.parse("cgroup").kind()).isEqualTo(MemorySourceOption.Kind.CGROUP);
        assertThat(MemorySourceOption.parse("meminfo").kind()).isEqualTo(MemorySourceOption.Kind.MEMINFO);
        assertThat(MemorySourceOption.parse("static:16GiB,10GiB"))
                .isEqualTo(new MemorySourceOption(MemorySourceOption.Kind.STATIC, 16 * GIB, 10 * GIB));
        assertThat(MemorySourceOption.parse("static:1e9, 5e8"))
                .isEqualTo(new MemorySourceOption(MemorySourceOption.Kind.STATIC, 1_000_000_000, 500_000_000));
    }

    @Test
    void refusesMalformedOptionsWithAReason() {
        assertThatThrownBy(() -> MemorySourceOption.parse("proc"))
                .hasMessage("'proc' is not a memory source (auto|cgroup|meminfo|static:PHYSICAL,AVAILABLE)");
        assertThatThrownBy(() -> MemorySourceOption.parse("static:16GiB"))
                .hasMessage("'static:16GiB': a static source takes two sizes, physical and available, e.g. static:16GiB,10GiB");
        assertThatThrownBy(() -> MemorySourceOption.parse("static:10GiB,16GiB"))
                .hasMessage("'static:10GiB,16GiB': available (16GiB) exceeds physical (10GiB)");
        assertThatThrownBy(() -> MemorySourceOption.parse("static:lots,10GiB"))
                .hasMessageStartingWith("static physical: 'lots' is not a byte size");
    }

    @Test
    void autoMeasuresTheLimitedCgroup() throws MemoryReadException {
        MemorySource source = MemorySources.open(MemorySourceOption.AUTO, paths("self-cgroup-ctr"), Optional.empty());

        assertThat(source).isInstanceOf(CgroupV2Source.class);
        assertThat(((CgroupV2Source) source).cgroupDir()).isEqualTo(MOUNT.resolve("kubepods"));
        // kubepods: limit 4 GiB, current 1 GiB, inactive_file 0; the host has more available than 3 GiB.
        assertThat(source.read()).isEqualTo(MemoryReading.of(4 * GIB, 3 * GIB));
    }

    @Test
    void autoUsesMeminfoOutsideALimitedCgroup() throws MemoryReadException {
        for (String procFile : new String[] {"self-cgroup-unlimited", "self-cgroup-root", "self-cgroup-v1", "absent"}) {
            MemorySource source = MemorySources.open(MemorySourceOption.AUTO, paths(procFile), Optional.empty());
            assertThat(source.describe()).as(procFile).isEqualTo(MEMINFO.toString());
        }
    }

    @Test
    void cgroupInsistsOnCgroupV2() throws MemoryReadException {
        MemorySourceOption cgroup = MemorySourceOption.parse("cgroup");

        MemorySource unlimited = MemorySources.open(cgroup, paths("self-cgroup-unlimited"), Optional.empty());
        assertThat(((CgroupV2Source) unlimited).cgroupDir()).isEqualTo(MOUNT.resolve("user.slice/session"));

        assertThatThrownBy(() -> MemorySources.open(cgroup, paths("self-cgroup-v1"), Optional.empty()))
                .hasMessage("not in a cgroup v2: " + Fixtures.path("hierarchy/proc/self-cgroup-v1")
                        + " names no cgroup under " + MOUNT);
        assertThatThrownBy(() -> MemorySources.open(cgroup, paths("self-cgroup-root"), Optional.empty()))
                .hasMessage("not in a cgroup v2 with the memory controller: " + MOUNT.resolve("memory.current")
                        + " is missing (a cgroup v1 or hybrid host, or the controller is off)");
    }

    @Test
    void staticAndMeminfoAreWhatTheySay() throws MemoryReadException {
        assertThat(MemorySources.open(MemorySourceOption.parse("static:16GiB,10GiB"), paths("self-cgroup-ctr"),
                Optional.empty()).read()).isEqualTo(MemoryReading.of(16 * GIB, 10 * GIB));
        assertThat(MemorySources.open(MemorySourceOption.parse("meminfo"), paths("self-cgroup-ctr"),
                Optional.empty()).describe()).isEqualTo(MEMINFO.toString());
    }

    @Test
    void cgroupRootAddsDeploymentUsage() throws MemoryReadException {
        Path root = Fixtures.path("deployments/root");
        MemorySource source = MemorySources.open(MemorySourceOption.parse("static:16GiB,10GiB"), paths("self-cgroup-ctr"),
                Optional.of(root));

        MemoryReading reading = source.read();
        assertThat(reading.physicalBytes()).isEqualTo(16 * GIB);
        assertThat(reading.deploymentUsage())
                .containsExactly(entry("d-2", 1_073_741_824L), entry("d1", 104_857_600L), entry("d3", 5L));
        assertThat(source.describe()).isEqualTo("static, deployments under " + root);
    }
}
