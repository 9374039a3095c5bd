package org.memledger.nodeagent.memory;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The memory of a cgroup v2 (a container, a systemd unit, a Kubernetes pod), for an agent that
 * runs inside a limited cgroup and should report what that cgroup may use rather than the host.
 *
 * <p>Figures, in bytes, from the cgroup directory and the host source (usually
 * {@code /proc/meminfo}):
 * <pre>
 *   limit      = memory.max, or host MemTotal when memory.max is "max" (no limit)
 *   physical   = min(limit, host MemTotal)
 *   workingSet = max(0, memory.current − inactive_file)            (inactive_file from memory.stat)
 *   available  = clamp(min(limit − workingSet, host MemAvailable), 0, physical)
 * </pre>
 * {@code memory.current} counts the page cache too, but the kernel reclaims inactive file pages
 * before it would OOM-kill anything in the cgroup, so they are as good as free: subtracting them
 * gives the working set, the figure the kernel defends (and the one Kubernetes evicts on). A limit
 * is a ceiling, not a promise: when the host itself has less available than the limit leaves, the
 * host figure wins, and a limit above the machine's memory counts as the machine's memory.
 *
 * <p>Every {@code key value} line of {@code memory.stat} is parsed strictly, not only the one
 * used, so a file that is not a memory.stat is noticed rather than half-read.
 */
public final class CgroupV2Source implements MemorySource {
    static final String MAX = "memory.max";
    static final String CURRENT = "memory.current";
    static final String STAT = "memory.stat";
    private static final String UNLIMITED = "max";
    private static final String INACTIVE_FILE = "inactive_file";
    private static final Pattern STAT_KEY = Pattern.compile("[a-z0-9_]+");

    private final Path cgroupDir;
    private final MemorySource host;

    /**
     * @param cgroupDir the cgroup directory, e.g. {@code /sys/fs/cgroup/system.slice/agent.service}
     * @param host      the machine's figures, used when there is no limit and as an upper bound
     */
    public CgroupV2Source(Path cgroupDir, MemorySource host) {
        this.cgroupDir = Objects.requireNonNull(cgroupDir, "cgroupDir");
        this.host = Objects.requireNonNull(host, "host");
    }

    @Override
    public MemoryReading read() throws MemoryReadException {
        MemoryReading machine = host.read();
        OptionalLong limitBytes = readLimit(cgroupDir.resolve(MAX));
        long currentBytes = KernelFiles.readCount(cgroupDir.resolve(CURRENT));
        long inactiveFileBytes = readInactiveFile(cgroupDir.resolve(STAT));

        long limit = limitBytes.orElse(machine.physicalBytes());
        long physical = Math.min(limit, machine.physicalBytes());
        long workingSet = Math.max(0, currentBytes - inactiveFileBytes);
        long available = Math.min(limit - workingSet, machine.availableBytes());
        return MemoryReading.of(physical, Math.max(0, Math.min(available, physical)));
    }

    @Override
    public String describe() {
        return "cgroup v2 " + cgroupDir + " (host: " + host.describe() + ")";
    }

    /** The cgroup directory this source reads. */
    public Path cgroupDir() {
        return cgroupDir;
    }

    /** {@code memory.max}: a byte count, or empty for {@code max} (no limit). */
    static OptionalLong readLimit(Path file) throws MemoryReadException {
        String value = KernelFiles.readSingleLine(file);
        if (value.equals(UNLIMITED)) {
            return OptionalLong.empty();
        }
        OptionalLong limit = KernelFiles.parseCount(value);
        if (limit.isEmpty()) {
            throw new MemoryReadException(file + " line 1: " + KernelFiles.quote(value)
                    + " is neither a byte count nor 'max'");
        }
        return limit;
    }

    private static long readInactiveFile(Path file) throws MemoryReadException {
        Long inactiveFile = parseStat(file, KernelFiles.read(file)).get(INACTIVE_FILE);
        if (inactiveFile == null) {
            throw new MemoryReadException(file + ": " + INACTIVE_FILE + " is missing");
        }
        return inactiveFile;
    }

    /** Every {@code key value} line of a {@code memory.stat}. */
    static SortedMap<String, Long> parseStat(Path file, String text) throws MemoryReadException {
        SortedMap<String, Long> stat = new TreeMap<>();
        List<String> lines = KernelFiles.lines(text);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            String[] tokens = line.split("\\s+");
            OptionalLong value = tokens.length == 2 ? KernelFiles.parseCount(tokens[1]) : OptionalLong.empty();
            if (value.isEmpty() || !STAT_KEY.matcher(tokens[0]).matches()) {
                throw new MemoryReadException(file + " line " + (i + 1) + ": " + KernelFiles.quote(line)
                        + " is not 'key number'");
            }
            if (stat.put(tokens[0], value.getAsLong()) != null) {
                throw new MemoryReadException(file + " line " + (i + 1) + ": " + tokens[0] + " appears again");
            }
        }
        return stat;
    }
}
