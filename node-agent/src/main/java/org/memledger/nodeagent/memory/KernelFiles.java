package org.memledger.nodeagent.memory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Reading the small text files the kernel exposes ({@code /proc/meminfo}, {@code memory.*}), with
 * errors that name the file. Shared by every parser in this package so they fail alike.
 *
 * <p>Reads are bounded: a kernel memory file is a few kilobytes, so anything past
 * {@link #MAX_FILE_BYTES} is not one (a wrong path pointing at a log file, say) and is refused
 * rather than read whole.
 */
final class KernelFiles {
    static final int MAX_FILE_BYTES = 1 << 20;

    private KernelFiles() {
    }

    /** The file's text. */
    static String read(Path file) throws MemoryReadException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                throw new MemoryReadException(file + ": larger than " + MAX_FILE_BYTES
                        + " bytes, which no kernel memory file is");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new MemoryReadException(file + ": no such file", e);
        } catch (IOException e) {
            throw new MemoryReadException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The file's lines. The kernel ends every line with a newline, so text after the last newline
     * is a line too (a file cut short), but the empty string after a final newline is not.
     */
    static List<String> lines(String text) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    /**
     * The single non-negative number a file like {@code memory.current} holds.
     *
     * @throws MemoryReadException naming the file and line when it holds anything else
     */
    static long readCount(Path file) throws MemoryReadException {
        String value = readSingleLine(file);
        OptionalLong count = parseCount(value);
        if (count.isEmpty()) {
            throw new MemoryReadException(file + " line 1: '" + value + "' is not a byte count");
        }
        return count.getAsLong();
    }

    /** The one line of a single-value file, without surrounding whitespace. */
    static String readSingleLine(Path file) throws MemoryReadException {
        List<String> lines = lines(read(file));
        if (lines.size() != 1) {
            throw new MemoryReadException(file + ": expected one line, found " + lines.size());
        }
        return lines.get(0).strip();
    }

    /** A decimal count of ASCII digits that fits a long; empty for anything else. */
    static OptionalLong parseCount(String token) {
        if (token.isEmpty() || token.length() > 19) {
            return OptionalLong.empty();
        }
        long value = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < '0' || c > '9') {
                return OptionalLong.empty();
            }
            if (value > (Long.MAX_VALUE - (c - '0')) / 10) {
                return OptionalLong.empty();
            }
            value = value * 10 + (c - '0');
        }
        return OptionalLong.of(value);
    }

    /** A short quotation of a bad line for an error message. */
    static String quote(String line) {
        String shown = line.length() > 80 ? line.substring(0, 77) + "..." : line;
        return "'" + shown + "'";
    }
}
