package org.memledger.nodeagent.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class CgroupLocatorTest {
    private static final Path MOUNT = Fixtures.path("hierarchy/mount");
    private static final Path CONTAINER_MOUNT = Fixtures.path("hierarchy/container");

    private static CgroupLocator locator(String procFile, Path mount) {
        return new CgroupLocator(Fixtures.path("hierarchy/proc/" + procFile), mount);
    }

    @Test
    void findsTheInnermostLimitedAncestor() throws MemoryReadException {
        CgroupLocator locator = locator("self-cgroup-ctr", MOUNT);

        assertThat(locator.ownCgroup()).contains(MOUNT.resolve("kubepods/pod1/ctr"));
        assertThat(locator.limitedCgroup()).contains(MOUNT.resolve("kubepods"));
    }

    @Test
    void ownCgroupWithALimitIsTheOne() throws MemoryReadException {
        assertThat(locator("self-cgroup-service", MOUNT).limitedCgroup())
                .contains(MOUNT.resolve("system.slice/agent.service"));
    }

    @Test
    void unlimitedAllTheWayUpIsNotLimited() throws MemoryReadException {
        CgroupLocator locator = locator("self-cgroup-unlimited", MOUNT);

        assertThat(locator.ownCgroup()).contains(MOUNT.resolve("user.slice/session"));
        assertThat(locator.limitedCgroup()).isEmpty();
    }

    @Test
    void hostRootCgroupHasNoLimitButAContainerRootHas() throws MemoryReadException {
        assertThat(locator("self-cgroup-root", MOUNT).ownCgroup()).contains(MOUNT);
        assertThat(locator("self-cgroup-root", MOUNT).limitedCgroup()).isEmpty();
        assertThat(locator("self-cgroup-root", CONTAINER_MOUNT).limitedCgroup()).contains(CONTAINER_MOUNT);
    }

    @Test
    void usesTheUnifiedLineOnHybridSystemsAndNothingOnV1Only() throws MemoryReadException {
        assertThat(locator("self-cgroup-hybrid", MOUNT).ownCgroup()).contains(MOUNT.resolve("kubepods/pod1/ctr"));
        assertThat(locator("self-cgroup-v1", MOUNT).ownCgroup()).isEmpty();
        assertThat(locator("self-cgroup-v1", MOUNT).limitedCgroup()).isEmpty();
    }

    @Test
    void pathsOutsideTheMountOrMissingAreNotCgroups() throws MemoryReadException {
        assertThat(locator("self-cgroup-escape", MOUNT).ownCgroup()).isEmpty();
        assertThat(locator("self-cgroup-missing-dir", MOUNT).ownCgroup()).isEmpty();
    }

    @Test
    void noProcFileMeansNotLinux() throws MemoryReadException {
        assertThat(locator("no-such-file", MOUNT).limitedCgroup()).isEqualTo(Optional.empty());
    }

    @Test
    void garbledLimitOnTheWayUpIsAnError() {
        CgroupLocator locator = new CgroupLocator(Fixtures.path("hierarchy/proc/self-cgroup-root"),
                Fixtures.path("cgroup/garbled-max"));
        assertThatThrownBy(locator::limitedCgroup).isInstanceOf(MemoryReadException.class)
                .hasMessageContaining("memory.max line 1: 'unlimited' is neither a byte count nor 'max'");
    }
}
