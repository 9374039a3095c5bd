package org.memledger.nodeagent.memory;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds the cgroup v2 directory this process lives in, and whether it is memory-limited.
 *
 * <p>{@code /proc/self/cgroup} holds one line per hierarchy; the cgroup v2 (unified) one reads
 * {@code 0::/path}, relative to the cgroup2 mount ({@code /sys/fs/cgroup} on current systems;
 * hybrid systems mount it at {@code /sys/fs/cgroup/unified}, where it carries no memory
 * controller, so they end up on {@code /proc/meminfo}, which is right for them). Inside a
 * container with its own cgroup namespace the line is {@code 0::/} and the mount shows the
 * container's cgroup as the root, so the same rule holds there.
 *
 * <p>The process is in a <em>limited</em> cgroup when its own cgroup or an ancestor up to the mount
 * has a numeric {@code memory.max}; the innermost such cgroup is the one to measure, because its
 * {@code memory.current} includes this process and everything sharing the limit with it. (An outer
 * limit tighter than the inner one, shared with siblings, is not accounted: rare, and the host
 * bound in {@link CgroupV2Source} still caps what is reported.) The host's root cgroup has no
 * {@code memory.max} at all, so a process there is unlimited.
 *
 * <p>All paths are injectable so that tests run against fixture trees.
 */
public final class CgroupLocator {
    public static final Path DEFAULT_PROC_SELF_CGROUP = Path.of("/proc/self/cgroup");
    public static final Path DEFAULT_CGROUP2_MOUNT = Path.of("/sys/fs/cgroup");
    private static final String UNIFIED_PREFIX = "0::";

    private final Path procSelfCgroup;
    private final Path mount;

    public CgroupLocator(Path procSelfCgroup, Path cgroup2Mount) {
        this.procSelfCgroup = Objects.requireNonNull(procSelfCgroup, "procSelfCgroup");
        this.mount = Objects.requireNonNull(cgroup2Mount, "cgroup2Mount").toAbsolutePath().normalize();
    }

    /**
     * This process's cgroup v2 directory; empty when there is no {@code /proc/self/cgroup} (not
     * Linux), no {@code 0::} line (cgroup v1 only), or the directory is not under the mount.
     */
    public Optional<Path> ownCgroup() throws MemoryReadException {
        String text;
        try {
            text = KernelFiles.read(procSelfCgroup);
        } catch (MemoryReadException e) {
            if (e.getCause() instanceof NoSuchFileException) {
                return Optional.empty();
            }
            throw e;
        }
        List<String> lines = KernelFiles.lines(text);
        for (String line : lines) {
            if (line.startsWith(UNIFIED_PREFIX)) {
                return resolve(line.substring(UNIFIED_PREFIX.length()).strip());
            }
        }
        return Optional.empty();
    }

    /** The innermost cgroup from this process's own up to the mount with a numeric {@code memory.max}. */
    public Optional<Path> limitedCgroup() throws MemoryReadException {
        Optional<Path> own = ownCgroup();
        for (Path dir = own.orElse(null); dir != null && dir.startsWith(mount); dir = dir.getParent()) {
            Path max = dir.resolve(CgroupV2Source.MAX);
            if (Files.isRegularFile(max) && CgroupV2Source.readLimit(max).isPresent()) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    private Optional<Path> resolve(String cgroupPath) throws MemoryReadException {
        if (!cgroupPath.startsWith("/")) {
            throw new MemoryReadException(procSelfCgroup + ": cgroup v2 path '" + cgroupPath + "' is not absolute");
        }
        Path dir = mount.resolve(cgroupPath.substring(1)).normalize();
        return dir.startsWith(mount) && Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
    }
}
