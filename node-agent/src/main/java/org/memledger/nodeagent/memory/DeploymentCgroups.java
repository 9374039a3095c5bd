package org.memledger.nodeagent.memory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

import org.memledger.protocol.CommandValidator;
import org.memledger.protocol.Identifiers;

/**
 * Per-deployment memory usage from cgroups named after deployment ids: under the root
 * ({@code --cgroup-root}, e.g. {@code /sys/fs/cgroup/memledger.slice}) each child directory whose
 * name is a valid deployment id ({@link Identifiers#isValid}) is a deployment, and its
 * {@code memory.current} (which includes its descendants and its page cache) is its usage.
 *
 * <p>Other entries are ignored: files such as {@code cgroup.procs}, and directories whose names
 * cannot be deployment ids ({@code .hidden}, names with spaces). A directory that vanishes
 * between listing and reading is a deployment that just ended and is left out. Everything else is
 * an error naming the file: a garbled {@code memory.current}, or one missing from a directory that
 * is still there (the memory controller is not enabled for the root's children: add
 * {@code +memory} to the root's {@code cgroup.subtree_control}).
 *
 * <p>Point the root at a cgroup that holds only deployments: pointed at {@code /sys/fs/cgroup}
 * itself, {@code system.slice} and {@code init.scope} (valid ids) would be counted too.
 */
public final class DeploymentCgroups {
    /** As many deployments as one report may carry; more under one root is a misconfigured root. */
    public static final int MAX_DEPLOYMENTS = CommandValidator.MAX_USAGE_ENTRIES;

    private final Path root;

    public DeploymentCgroups(Path root) {
        this.root = Objects.requireNonNull(root, "root");
    }

    public Path root() {
        return root;
    }

    /** Deployment id → bytes in use, for every deployment cgroup under the root. */
    public SortedMap<String, Long> read() throws MemoryReadException {
        SortedMap<String, Long> usage = new TreeMap<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(root)) {
            for (Path child : children) {
                String name = child.getFileName().toString();
                if (!Identifiers.isValid(name) || !Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                if (usage.size() == MAX_DEPLOYMENTS) {
                    throw new MemoryReadException(root + ": more than " + MAX_DEPLOYMENTS
                            + " deployment cgroups; is --cgroup-root the parent of deployment cgroups only?");
                }
                readUsage(child, usage);
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            throw new MemoryReadException(root + ": no such directory (the deployment cgroup root)", e);
        } catch (IOException e) {
            throw new MemoryReadException(root + ": cannot list (" + e.getMessage() + ")", e);
        }
        return usage;
    }

    private static void readUsage(Path deploymentDir, SortedMap<String, Long> usage) throws MemoryReadException {
        Path current = deploymentDir.resolve(CgroupV2Source.CURRENT);
        try {
            usage.put(deploymentDir.getFileName().toString(), KernelFiles.readCount(current));
        } catch (MemoryReadException e) {
            boolean missing = e.getCause() instanceof NoSuchFileException;
            if (!missing) {
                throw e;
            }
            if (Files.isDirectory(deploymentDir)) {
                throw new MemoryReadException(current + ": no such file (is the memory controller enabled in "
                        + deploymentDir.getParent().resolve("cgroup.subtree_control") + "?)", e);
            }
            // The deployment ended between listing and reading: it uses nothing now.
        }
    }
}
