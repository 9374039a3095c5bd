package org.memledger.protocol.codec;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Appends primitive values to a growable byte array: the one place that decides how numbers,
 * strings and collections look on the wire. {@link BinaryReader} mirrors every method.
 *
 * <p>Every encoding is canonical: a value has exactly one byte form (minimal varints, booleans as
 * 0/1, maps in natural key order), so equal values give equal bytes and the ledger's state hash
 * can be computed over them. The reader rejects every other form.
 *
 * <p>Shaped for the hot path (the ledger encodes about a million results a second): one array
 * that doubles when full, capacity checked once per value rather than once per byte, ASCII strings
 * copied without an intermediate {@code byte[]}, and {@link #reset()} so a writer can be reused
 * without allocating. Not thread-safe.
 *
 * <p>Null values the format cannot carry (a null string, a null map value) are refused with a
 * {@link CodecException}; only {@link #writeNullableLong} has a presence flag.
 */
public final class BinaryWriter {
    static final int INITIAL_CAPACITY = 256;
    /** Largest array the JVM reliably allocates. */
    private static final int MAX_CAPACITY = Integer.MAX_VALUE - 8;

    private byte[] buffer;
    private int size;

    public BinaryWriter() {
        this(INITIAL_CAPACITY);
    }

    public BinaryWriter(int initialCapacity) {
        if (initialCapacity < 1) {
            throw new IllegalArgumentException("initial capacity must be positive, was " + initialCapacity);
        }
        buffer = new byte[initialCapacity];
    }

    /** Number of bytes written since construction or the last {@link #reset()}. */
    public int size() {
        return size;
    }

    /** Forgets what was written but keeps the grown array, so the next value costs no allocation. */
    public void reset() {
        size = 0;
    }

    /** A copy of the bytes written so far. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    /**
     * The internal array without copying (for hashing or writing out). Only the first
     * {@link #size()} bytes are meaningful, and the array may be replaced by the next write:
     * use it before writing again.
     */
    public byte[] array() {
        return buffer;
    }

    public void writeByte(int value) {
        ensureCapacity(1);
        buffer[size++] = (byte) value;
    }

    public void writeBoolean(boolean value) {
        writeByte(value ? 1 : 0);
    }

    /** Unsigned LEB128 of a non-negative value: 1 byte below 128, at most 9 bytes. */
    public void writeVarLong(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("writeVarLong takes a non-negative value, was " + value
                    + "; use writeZigZagLong for signed values");
        }
        writeUnsignedVarLong(value);
    }

    /** ZigZag then LEB128, so small magnitudes of either sign are short; every long round-trips. */
    public void writeZigZagLong(long value) {
        writeUnsignedVarLong((value << 1) ^ (value >> 63));
    }

    /** Unsigned LEB128 of a non-negative int (lengths, counts, enum codes): at most 5 bytes. */
    public void writeVarInt(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("writeVarInt takes a non-negative value, was " + value
                    + "; use writeZigZagInt for signed values");
        }
        writeUnsignedVarLong(value);
    }

    /** ZigZag then LEB128 for a signed int: at most 5 bytes. */
    public void writeZigZagInt(int value) {
        writeUnsignedVarLong(Integer.toUnsignedLong((value << 1) ^ (value >> 31)));
    }

    /** 8 bytes, big-endian: for values that must sit at a fixed position (checksums, headers). */
    public void writeFixedLong(long value) {
        ensureCapacity(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buffer[size++] = (byte) (value >>> shift);
        }
    }

    /** A presence flag, then the value as ZigZag. */
    public void writeNullableLong(Long value) {
        writeBoolean(value != null);
        if (value != null) {
            writeZigZagLong(value);
        }
    }

    /**
     * Varint byte length, then UTF-8. A string that is not valid UTF-16 (an unpaired surrogate)
     * has no UTF-8 form and is refused rather than silently replaced, which would change it.
     */
    public void writeString(String value) {
        if (value == null) {
            throw new CodecException("cannot encode a null string");
        }
        int length = value.length();
        ensureCapacity(5 + length);
        int start = size;
        // Optimistic ASCII path: byte length equals char length, chars copy straight into the array.
        writeUnsignedVarLong(length);
        int p = size;
        byte[] b = buffer;
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c >= 0x80) {
                size = start;
                writeUtf8(value);
                return;
            }
            b[p++] = (byte) c;
        }
        size = p;
    }

    /** {@link #writeString(String)}, but a null is refused naming {@code what} (for example {@code "Admit.owner"}). */
    public void writeString(String value, String what) {
        if (value == null) {
            throw new CodecException("cannot encode " + what + ": null");
        }
        writeString(value);
    }

    /** Varint length, then the bytes. */
    public void writeBytes(byte[] value) {
        if (value == null) {
            throw new CodecException("cannot encode a null byte array");
        }
        writeVarInt(value.length);
        writeRawBytes(value, 0, value.length);
    }

    /** The bytes as they are, with no length: the reader must know how many to expect. */
    public void writeRawBytes(byte[] value, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, value.length);
        ensureCapacity(length);
        System.arraycopy(value, offset, buffer, size, length);
        size += length;
    }

    /** Varint count, then each string. */
    public void writeStringList(List<String> values) {
        writeVarInt(values.size());
        for (int i = 0; i < values.size(); i++) {
            writeString(values.get(i));
        }
    }

    /** Varint size, then key and value of each entry in natural key order. */
    public void writeStringMap(SortedMap<String, String> map) {
        SortedMap<String, String> sorted = naturalOrder(map);
        writeVarInt(sorted.size());
        for (Map.Entry<String, String> entry : sorted.entrySet()) {
            writeString(entry.getKey());
            if (entry.getValue() == null) {
                throw new CodecException("cannot encode a null value for map key '" + entry.getKey() + "'");
            }
            writeString(entry.getValue());
        }
    }

    /** Varint size, then key and ZigZag value of each entry in natural key order. */
    public void writeLongMap(SortedMap<String, Long> map) {
        SortedMap<String, Long> sorted = naturalOrder(map);
        writeVarInt(sorted.size());
        for (Map.Entry<String, Long> entry : sorted.entrySet()) {
            writeString(entry.getKey());
            if (entry.getValue() == null) {
                throw new CodecException("cannot encode a null value for map key '" + entry.getKey() + "'");
            }
            writeZigZagLong(entry.getValue());
        }
    }

    /**
     * The records copy maps with {@code new TreeMap<>(sortedMap)}, which keeps the caller's comparator;
     * the wire order must not depend on it, so a map with a custom comparator is re-sorted.
     */
    private static <V> SortedMap<String, V> naturalOrder(SortedMap<String, V> map) {
        if (map == null) {
            throw new CodecException("cannot encode a null map");
        }
        if (map.comparator() == null) {
            return map;
        }
        TreeMap<String, V> natural = new TreeMap<>();
        for (Map.Entry<String, V> entry : map.entrySet()) {
            if (entry.getKey() == null) {
                throw new CodecException("cannot encode a null map key");
            }
            natural.put(entry.getKey(), entry.getValue());
        }
        return natural;
    }

    private void writeUnsignedVarLong(long value) {
        ensureCapacity(10);
        byte[] b = buffer;
        int p = size;
        while ((value & ~0x7FL) != 0) {
            b[p++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        b[p++] = (byte) value;
        size = p;
    }

    private void writeUtf8(String value) {
        int byteLength = utf8Length(value);
        writeVarInt(byteLength);
        ensureCapacity(byteLength);
        byte[] b = buffer;
        int p = size;
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                b[p++] = (byte) c;
            } else if (c < 0x800) {
                b[p++] = (byte) (0xC0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c)) {
                int codePoint = Character.toCodePoint(c, value.charAt(++i));
                b[p++] = (byte) (0xF0 | (codePoint >> 18));
                b[p++] = (byte) (0x80 | ((codePoint >> 12) & 0x3F));
                b[p++] = (byte) (0x80 | ((codePoint >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (codePoint & 0x3F));
            } else {
                b[p++] = (byte) (0xE0 | (c >> 12));
                b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        size = p;
    }

    /** UTF-8 byte length; also the validation pass, so the encoding loop can trust surrogate pairs. */
    private static int utf8Length(String value) {
        long bytes = 0;
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < length
                        && Character.isLowSurrogate(value.charAt(i + 1));
                if (!paired) {
                    throw new CodecException("cannot encode a string with an unpaired surrogate at index " + i
                            + " (U+" + Integer.toHexString(c).toUpperCase(Locale.ROOT) + ")");
                }
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        if (bytes > MAX_CAPACITY) {
            throw new CodecException("cannot encode a string of " + bytes + " UTF-8 bytes");
        }
        return (int) bytes;
    }

    private void ensureCapacity(int extra) {
        if (extra > buffer.length - size) {
            grow(extra);
        }
    }

    private void grow(int extra) {
        long needed = (long) size + extra;
        if (needed > MAX_CAPACITY) {
            throw new CodecException("cannot encode more than " + MAX_CAPACITY + " bytes, need " + needed);
        }
        long capacity = Math.max((long) buffer.length * 2, needed);
        buffer = Arrays.copyOf(buffer, (int) Math.min(capacity, MAX_CAPACITY));
    }
}
