package org.memledger.nodeagent.memory;

/**
 * Where a node agent's memory figures come from: the kernel ({@link ProcMeminfoSource},
 * {@link CgroupV2Source}), per-deployment cgroups ({@link DeploymentUsageSource}), or a test or
 * the simulator ({@link StaticSource}).
 *
 * <p>A source either returns a complete, consistent reading or throws: it never fills a figure it
 * could not read with zero, because a zero would tell the ledger that the node has no memory.
 * Implementations must be safe to call from one thread while another thread changes what they
 * read (the agent samples on its own thread).
 */
public interface MemorySource {
    /** One fresh reading; every call reads again (nothing is cached). */
    MemoryReading read() throws MemoryReadException;

    /** A short human description for logs and {@code --print}, e.g. {@code /proc/meminfo}. */
    String describe();
}
