package org.memledger.nodeagent.memory;

/**
 * A memory figure could not be read or made sense of. The message names the file (and the line,
 * for parse errors) so that an operator can look at it directly, e.g.
 * {@code /proc/meminfo line 3: 'MemAvailable: 12x4 kB' is not 'Key: number [kB]'}.
 */
public final class MemoryReadException extends Exception {
    private static final long serialVersionUID = 1L;

    public MemoryReadException(String message) {
        super(message);
    }

    public MemoryReadException(String message, Throwable cause) {
        super(message, cause);
    }
}
