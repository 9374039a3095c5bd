package org.memledger.protocol.codec;

/**
 * Bytes that cannot be decoded (truncated, corrupt, from an unknown format version) or a value
 * that cannot be encoded (a null where the format has no null). The message always says what
 * was being read or written and, when decoding, at which offset.
 *
 * <p>Unchecked on purpose: a corrupt log entry is not something a caller can recover from locally;
 * it is reported as a whole, and every decode path promises to throw this type and no other.
 */
public final class CodecException extends RuntimeException {

    public CodecException(String message) {
        super(message);
    }

    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
