package org.memledger.nodeagent.memory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Builds the source a {@code --memory-source} choice names, with per-deployment usage from
 * {@code --cgroup-root} when one is given.
 *
 * <p>{@code auto} measures the innermost limited cgroup v2 the agent runs in (a container, a
 * systemd unit with {@code MemoryMax=}), else the whole machine through {@code /proc/meminfo}.
 * {@code cgroup} insists on cgroup v2: the limited cgroup if there is one, else the agent's own
 * (whose {@code max} limit falls back to the host's figures); it fails when the agent is not in a
 * cgroup v2 with the memory controller.
 */
public final class MemorySources {
    private MemorySources() {
    }

    /**
     * @param deploymentCgroupRoot the parent of deployment cgroups, if any
     * @throws MemoryReadException when the chosen source cannot exist here (no cgroup v2)
     */
    public static MemorySource open(MemorySourceOption option, SystemPaths paths, Optional<Path> deploymentCgroupRoot)
            throws MemoryReadException {
        MemorySource node = openNode(option, paths);
        return deploymentCgroupRoot.isPresent()
                ? new DeploymentUsageSource(node, new DeploymentCgroups(deploymentCgroupRoot.get()))
                : node;
    }

    private static MemorySource openNode(MemorySourceOption option, SystemPaths paths) throws MemoryReadException {
        MemorySource meminfo = new ProcMeminfoSource(paths.procMeminfo());
        CgroupLocator locator = new CgroupLocator(paths.procSelfCgroup(), paths.cgroup2Mount());
        switch (option.kind()) {
            case STATIC:
                return new StaticSource(option.staticPhysicalBytes(), option.staticAvailableBytes());
            case MEMINFO:
                return meminfo;
            case CGROUP:
                return new CgroupV2Source(requireCgroup(locator, paths), meminfo);
            case AUTO:
                Optional<Path> limited = locator.limitedCgroup();
                return limited.isPresent() ? new CgroupV2Source(limited.get(), meminfo) : meminfo;
            default:
                throw new IllegalStateException("unhandled memory source " + option.kind());
        }
    }

    private static Path requireCgroup(CgroupLocator locator, SystemPaths paths) throws MemoryReadException {
        Optional<Path> limited = locator.limitedCgroup();
        if (limited.isPresent()) {
            return limited.get();
        }
        Path own = locator.ownCgroup().orElseThrow(() -> new MemoryReadException("not in a cgroup v2: "
                + paths.procSelfCgroup() + " names no cgroup under " + paths.cgroup2Mount()));
        if (!Files.isRegularFile(own.resolve(CgroupV2Source.CURRENT))) {
            throw new MemoryReadException("not in a cgroup v2 with the memory controller: " + own.resolve(
                    CgroupV2Source.CURRENT) + " is missing (a cgroup v1 or hybrid host, or the controller is off)");
        }
        return own;
    }
}
