package org.memledger.nodeagent.memory;

import org.memledger.protocol.ByteSize;
import org.memledger.protocol.ByteSizeException;

/**
 * The {@code --memory-source} choice: {@code auto} (cgroup v2 when inside a limited cgroup, else
 * {@code /proc/meminfo}), {@code cgroup}, {@code meminfo}, or
 * {@code static:PHYSICAL,AVAILABLE} with sizes such as {@code static:16GiB,10GiB}.
 *
 * @param staticPhysicalBytes  physical bytes of a static source, 0 otherwise
 * @param staticAvailableBytes available bytes of a static source, 0 otherwise
 */
public record MemorySourceOption(Kind kind, long staticPhysicalBytes, long staticAvailableBytes) {
    public static final String SYNTAX = "auto|cgroup|meminfo|static:PHYSICAL,AVAILABLE";
    private static final String STATIC_PREFIX = "static:";

    public enum Kind { AUTO, CGROUP, MEMINFO, STATIC }

    public static final MemorySourceOption AUTO = new MemorySourceOption(Kind.AUTO, 0, 0);

    public MemorySourceOption {
        if (kind == null) {
            throw new IllegalArgumentException("memory source kind is required");
        }
        if (kind == Kind.STATIC) {
            MemoryReading.of(staticPhysicalBytes, staticAvailableBytes);
        } else if (staticPhysicalBytes != 0 || staticAvailableBytes != 0) {
            throw new IllegalArgumentException("only a static memory source has figures");
        }
    }

    /**
     * Parses the option text.
     *
     * @throws IllegalArgumentException with a message fit for the command line
     */
    public static MemorySourceOption parse(String text) {
        String value = text == null ? "" : text.strip();
        switch (value) {
            case "auto":
                return AUTO;
            case "cgroup":
                return new MemorySourceOption(Kind.CGROUP, 0, 0);
            case "meminfo":
                return new MemorySourceOption(Kind.MEMINFO, 0, 0);
            default:
                break;
        }
        if (!value.startsWith(STATIC_PREFIX)) {
            throw new IllegalArgumentException("'" + value + "' is not a memory source (" + SYNTAX + ")");
        }
        String[] sizes = value.substring(STATIC_PREFIX.length()).split(",", -1);
        if (sizes.length != 2) {
            throw new IllegalArgumentException("'" + value + "': a static source takes two sizes, "
                    + "physical and available, e.g. static:16GiB,10GiB");
        }
        try {
            long physical = ByteSize.parse("static physical", sizes[0]);
            long available = ByteSize.parse("static available", sizes[1]);
            if (available > physical) {
                throw new IllegalArgumentException("'" + value + "': available (" + sizes[1].strip()
                        + ") exceeds physical (" + sizes[0].strip() + ")");
            }
            return new MemorySourceOption(Kind.STATIC, physical, available);
        } catch (ByteSizeException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
