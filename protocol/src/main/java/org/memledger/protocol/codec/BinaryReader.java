package org.memledger.protocol.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Reads what {@link BinaryWriter} wrote, from a slice of a byte array, trusting nothing: every read
 * checks its bounds and its canonical form, and every failure is a {@link CodecException} that names
 * what was being read and the offset where it started (offsets count from the start of the slice).
 *
 * <p>Only canonical forms are accepted (minimal varints, booleans 0/1, strict UTF-8, map keys in
 * strictly increasing order), so decoding then re-encoding any accepted input gives the same bytes.
 * Counts are checked against the bytes remaining before anything is allocated, so a corrupt length
 * cannot make the reader allocate more than the input's size. Not thread-safe.
 */
public final class BinaryReader {
    private static final int MAX_VARLONG_BYTES = 10;

    private final byte[] buffer;
    private final int start;
    private final int limit;
    private int position;
    /** Created on the first non-ASCII string; most strings (ids) are ASCII. */
    private CharsetDecoder utf8;

    public BinaryReader(byte[] buffer) {
        this(buffer, 0, Objects.requireNonNull(buffer, "buffer").length);
    }

    public BinaryReader(byte[] buffer, int offset, int length) {
        Objects.requireNonNull(buffer, "buffer");
        Objects.checkFromIndexSize(offset, length, buffer.length);
        this.buffer = buffer;
        this.start = offset;
        this.limit = offset + length;
        this.position = offset;
    }

    /** Offset of the next byte to read, counted from the start of the slice. */
    public int position() {
        return position - start;
    }

    public int remaining() {
        return limit - position;
    }

    /** Throws unless every byte has been read: trailing bytes mean the input is not what we think. */
    public void expectEnd(String what) {
        if (position != limit) {
            throw new CodecException(remaining() + " trailing byte(s) after " + what + " at offset " + position());
        }
    }

    /** One byte as an unsigned value, 0 to 255. */
    public int readByte(String what) {
        require(1, what);
        return buffer[position++] & 0xFF;
    }

    public boolean readBoolean(String what) {
        return readBoolean(what, null);
    }

    public long readVarLong(String what) {
        int at = position();
        long value = readUnsignedVarLong(what, null);
        if (value < 0) {
            throw new CodecException("varint for " + what + " at offset " + at + " exceeds " + Long.MAX_VALUE);
        }
        return value;
    }

    public long readZigZagLong(String what) {
        long raw = readUnsignedVarLong(what, null);
        return (raw >>> 1) ^ -(raw & 1);
    }

    public int readVarInt(String what) {
        return readVarInt(what, null);
    }

    public int readZigZagInt(String what) {
        int at = position();
        long raw = readUnsignedVarLong(what, null);
        if (raw < 0 || raw > 0xFFFF_FFFFL) {
            throw new CodecException("varint for " + what + " at offset " + at + " is "
                    + Long.toUnsignedString(raw) + ", beyond 32 bits");
        }
        int value = (int) raw;
        return (value >>> 1) ^ -(value & 1);
    }

    public long readFixedLong(String what) {
        require(8, what);
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (buffer[position++] & 0xFF);
        }
        return value;
    }

    /** A presence flag, then the value as ZigZag; null when absent. */
    public Long readNullableLong(String what) {
        return readBoolean(what, "presence flag") ? readZigZagLong(what) : null;
    }

    public String readString(String what) {
        int at = position();
        int length = readLength(what);
        int end = position + length;
        for (int p = position; p < end; p++) {
            if (buffer[p] < 0) {
                return readUtf8(what, at, length);
            }
        }
        // All ASCII: the Latin-1 decoder copies bytes straight into a compact string.
        String value = new String(buffer, position, length, StandardCharsets.ISO_8859_1);
        position = end;
        return value;
    }

    /** Varint length, then that many bytes. */
    public byte[] readBytes(String what) {
        int length = readLength(what);
        return readRawBytes(length, what);
    }

    /** Exactly {@code length} bytes with no length prefix. */
    public byte[] readRawBytes(int length, String what) {
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative, was " + length);
        }
        require(length, what);
        byte[] value = new byte[length];
        System.arraycopy(buffer, position, value, 0, length);
        position += length;
        return value;
    }

    public List<String> readStringList(String what) {
        int count = readCount(what, 1);
        List<String> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(readString(what));
        }
        return values;
    }

    public TreeMap<String, String> readStringMap(String what) {
        int count = readCount(what, 2);
        TreeMap<String, String> map = new TreeMap<>();
        String previous = null;
        for (int i = 0; i < count; i++) {
            previous = readKey(what, previous);
            map.put(previous, readString(what));
        }
        return map;
    }

    public TreeMap<String, Long> readLongMap(String what) {
        int count = readCount(what, 2);
        TreeMap<String, Long> map = new TreeMap<>();
        String previous = null;
        for (int i = 0; i < count; i++) {
            previous = readKey(what, previous);
            map.put(previous, readZigZagLong(what));
        }
        return map;
    }

    /**
     * A varint element count, checked against the bytes left (each element takes at least
     * {@code minBytesPerElement}) so that a corrupt count cannot trigger a huge allocation.
     */
    public int readCount(String what, int minBytesPerElement) {
        int at = position();
        int count = readVarInt(what, "count");
        if ((long) count * minBytesPerElement > remaining()) {
            throw new CodecException("count " + count + " of " + what + " at offset " + at
                    + " cannot fit in the " + remaining() + " byte(s) remaining");
        }
        return count;
    }

    private String readKey(String what, String previous) {
        int at = position();
        String key = readString(what);
        if (previous != null && previous.compareTo(key) >= 0) {
            throw new CodecException("map " + what + " key '" + key + "' at offset " + at
                    + (previous.equals(key) ? " is a duplicate" : " is out of order after '" + previous + "'"));
        }
        return key;
    }

    private int readLength(String what) {
        int at = position();
        long length = readUnsignedVarLong(what, "length");
        if (length < 0) {
            throw new CodecException("negative length " + length + " of " + what + " at offset " + at);
        }
        if (length > remaining()) {
            throw new CodecException("length " + length + " of " + what + " at offset " + at + " exceeds the "
                    + remaining() + " byte(s) remaining");
        }
        return (int) length;
    }

    private String readUtf8(String what, int at, int length) {
        if (utf8 == null) {
            utf8 = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
        }
        try {
            String value = utf8.reset().decode(ByteBuffer.wrap(buffer, position, length)).toString();
            position += length;
            return value;
        } catch (CharacterCodingException e) {
            throw new CodecException("invalid UTF-8 in " + what + " at offset " + at + " (" + length + " bytes)", e);
        }
    }

    /**
     * LEB128 over the full 64 bits (ZigZag values use all of them). At most 10 bytes, the tenth
     * carrying only the top bit, and no redundant trailing zero byte: one form per value.
     */
    private long readUnsignedVarLong(String what, String part) {
        int at = position();
        long value = 0;
        int p = position;
        for (int i = 0; i < MAX_VARLONG_BYTES; i++) {
            if (p >= limit) {
                throw new CodecException("truncated varint for " + describe(what, part) + " at offset " + at + " ("
                        + (limit - position) + " byte(s) left)");
            }
            int b = buffer[p++];
            value |= (long) (b & 0x7F) << (7 * i);
            if (b >= 0) {
                if (b == 0 && i > 0) {
                    throw new CodecException("overlong varint for " + describe(what, part) + " at offset " + at
                            + ": redundant trailing zero byte");
                }
                if (i == MAX_VARLONG_BYTES - 1 && b > 1) {
                    throw new CodecException("overlong varint for " + describe(what, part) + " at offset " + at
                            + ": exceeds 64 bits");
                }
                position = p;
                return value;
            }
        }
        throw new CodecException("overlong varint for " + describe(what, part) + " at offset " + at + ": more than "
                + MAX_VARLONG_BYTES + " bytes");
    }

    private boolean readBoolean(String what, String part) {
        int at = position();
        int value = readByte(what);
        if (value > 1) {
            throw new CodecException("invalid boolean 0x" + hex(value) + " for " + describe(what, part)
                    + " at offset " + at + " (expected 0 or 1)");
        }
        return value == 1;
    }

    private int readVarInt(String what, String part) {
        int at = position();
        long value = readUnsignedVarLong(what, part);
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new CodecException("varint for " + describe(what, part) + " at offset " + at + " is "
                    + Long.toUnsignedString(value) + ", beyond " + Integer.MAX_VALUE);
        }
        return (int) value;
    }

    /** Names are only concatenated on the error path, so the hot path allocates nothing for them. */
    private static String describe(String what, String part) {
        return part == null ? what : what + " " + part;
    }

    private void require(int bytes, String what) {
        if (bytes > limit - position) {
            throw new CodecException("truncated input: " + what + " at offset " + position() + " needs " + bytes
                    + " byte(s), " + remaining() + " left");
        }
    }

    private static String hex(int value) {
        return String.format(Locale.ROOT, "%02X", value);
    }
}
