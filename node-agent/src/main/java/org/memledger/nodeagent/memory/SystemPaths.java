package org.memledger.nodeagent.memory;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the kernel's files are. Real systems use {@link #defaults()}; tests point these at
 * fixture trees.
 */
public record SystemPaths(Path procMeminfo, Path procSelfCgroup, Path cgroup2Mount) {
    public SystemPaths {
        Objects.requireNonNull(procMeminfo, "procMeminfo");
        Objects.requireNonNull(procSelfCgroup, "procSelfCgroup");
        Objects.requireNonNull(cgroup2Mount, "cgroup2Mount");
    }

    public static SystemPaths defaults() {
        return new SystemPaths(ProcMeminfoSource.DEFAULT_PATH, CgroupLocator.DEFAULT_PROC_SELF_CGROUP,
                CgroupLocator.DEFAULT_CGROUP2_MOUNT);
    }
}
