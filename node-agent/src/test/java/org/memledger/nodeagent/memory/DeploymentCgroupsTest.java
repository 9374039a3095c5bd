package org.memledger.nodeagent.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class DeploymentCgroupsTest {

    @Test
    void readsMemoryCurrentOfEveryChildNamedLikeADeployment() throws MemoryReadException {
        // Ignored: "not an id" and ".hidden" (not ids), cgroup.procs and memory.current (files),
        // d3/nested (grandchild: already inside d3's memory.current).
        assertThat(new DeploymentCgroups(Fixtures.path("deployments/root")).read())
                .containsExactly(entry("d-2", 1_073_741_824L), entry("d1", 104_857_600L), entry("d3", 5L));
    }

    @Test
    void rootWithoutDeploymentsReadsEmpty() throws MemoryReadException {
        assertThat(new DeploymentCgroups(Fixtures.path("deployments/empty")).read()).isEmpty();
    }

    @Test
    void garbledMemoryCurrentIsAnErrorNamingTheFile() {
        Path root = Fixtures.path("deployments/garbled");
        assertThatThrownBy(() -> new DeploymentCgroups(root).read())
                .isInstanceOf(MemoryReadException.class)
                .hasMessage(root.resolve("d1/memory.current") + " line 1: '12ab' is not a byte count");
    }

    @Test
    void missingMemoryCurrentPointsAtTheController() {
        Path root = Fixtures.path("deployments/no-controller");
        assertThatThrownBy(() -> new DeploymentCgroups(root).read())
                .isInstanceOf(MemoryReadException.class)
                .hasMessage(root.resolve("d1/memory.current") + ": no such file (is the memory controller enabled in "
                        + root.resolve("cgroup.subtree_control") + "?)");
    }

    @Test
    void missingOrNonDirectoryRootIsAnError() {
        Path missing = Fixtures.path("deployments/no-such-root");
        assertThatThrownBy(() -> new DeploymentCgroups(missing).read())
                .hasMessage(missing + ": no such directory (the deployment cgroup root)");
        Path file = Fixtures.path("deployments/empty/cgroup.procs");
        assertThatThrownBy(() -> new DeploymentCgroups(file).read())
                .hasMessage(file + ": no such directory (the deployment cgroup root)");
    }
}
