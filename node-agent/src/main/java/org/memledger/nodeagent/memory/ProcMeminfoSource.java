package org.memledger.nodeagent.memory;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whole machine, from {@code /proc/meminfo}: {@code physical = MemTotal},
 * {@code available = MemAvailable}, both given in kB (1024 bytes) and converted exactly.
 *
 * <p>{@code MemAvailable} is the kernel's own estimate of how much memory a new workload can get
 * without swapping (free memory plus the reclaimable part of the page cache and slab). It is the
 * figure {@code free} shows as "available"; {@code MemFree} would count reclaimable cache as used.
 *
 * <p>Parsing is strict on purpose. Every line must read {@code Key: number [kB]}; a line that does
 * not, a key given twice, a number too large, or a missing {@code MemTotal}/{@code MemAvailable}
 * (kernels before 3.14 lack the latter) is an error naming the file and line. A guessed zero would
 * tell the ledger this node has no memory; an error keeps the last good report in place until the
 * heartbeat timeout says the truth: this node cannot be measured.
 */
public final class ProcMeminfoSource implements MemorySource {
    public static final Path DEFAULT_PATH = Path.of("/proc/meminfo");

    /** {@code Key: value [kB]}; keys such as {@code Active(anon)} hold parentheses. */
    private static final Pattern LINE = Pattern.compile("([^:\\s]+):\\s+(\\S+)(?:\\s+(\\S+))?");
    private static final String TOTAL = "MemTotal";
    private static final String AVAILABLE = "MemAvailable";

    private final Path file;

    public ProcMeminfoSource(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    @Override
    public MemoryReading read() throws MemoryReadException {
        Map<String, Field> fields = parse(KernelFiles.read(file));
        long physical = bytes(required(fields, TOTAL));
        long available = bytes(required(fields, AVAILABLE));
        if (available > physical) {
            throw new MemoryReadException(file + " line " + fields.get(AVAILABLE).line() + ": " + AVAILABLE + " ("
                    + available + " bytes) exceeds " + TOTAL + " (" + physical + " bytes)");
        }
        return MemoryReading.of(physical, available);
    }

    @Override
    public String describe() {
        return file.toString();
    }

    private Map<String, Field> parse(String text) throws MemoryReadException {
        Map<String, Field> fields = new HashMap<>();
        List<String> lines = KernelFiles.lines(text);
        for (int i = 0; i < lines.size(); i++) {
            int lineNumber = i + 1;
            String line = lines.get(i).strip();
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw malformed(lineNumber, line);
            }
            OptionalLong value = KernelFiles.parseCount(m.group(2));
            String unit = m.group(3);
            if (value.isEmpty() || (unit != null && !unit.equals("kB"))) {
                throw malformed(lineNumber, line);
            }
            Field previous = fields.put(m.group(1), new Field(lineNumber, value.getAsLong(), unit != null));
            if (previous != null) {
                throw new MemoryReadException(file + " line " + lineNumber + ": " + m.group(1)
                        + " appears again (first on line " + previous.line() + ")");
            }
        }
        return fields;
    }

    private MemoryReadException malformed(int lineNumber, String line) {
        return new MemoryReadException(file + " line " + lineNumber + ": " + KernelFiles.quote(line)
                + " is not 'Key: number [kB]'");
    }

    private Field required(Map<String, Field> fields, String key) throws MemoryReadException {
        Field field = fields.get(key);
        if (field == null) {
            String hint = key.equals(AVAILABLE) ? " (the kernel is older than 3.14, or this is not /proc/meminfo)" : "";
            throw new MemoryReadException(file + ": " + key + " is missing" + hint);
        }
        if (!field.inKilobytes()) {
            throw new MemoryReadException(file + " line " + field.line() + ": " + key + " has no kB unit");
        }
        return field;
    }

    private long bytes(Field field) throws MemoryReadException {
        try {
            return Math.multiplyExact(field.value(), 1024L);
        } catch (ArithmeticException e) {
            throw new MemoryReadException(file + " line " + field.line() + ": " + field.value() + " kB is too large", e);
        }
    }

    private record Field(int line, long value, boolean inKilobytes) {
    }
}
