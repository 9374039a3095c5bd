package org.memledger.protocol;

/**
 * A text that is not an acceptable byte size. The message names the field and quotes the text, so
 * it can be shown to the user as it is; {@link #field()} and {@link #text()} are there for callers
 * that build their own error (an HTTP 400 body, a CLI usage line).
 */
public final class ByteSizeException extends IllegalArgumentException {
    private final String field;
    private final String text;

    public ByteSizeException(String field, String text, String message) {
        super(message);
        this.field = field;
        this.text = text;
    }

    /** The field being parsed, or null when the caller named none. */
    public String field() {
        return field;
    }

    /** The text as given (possibly null). */
    public String text() {
        return text;
    }
}
