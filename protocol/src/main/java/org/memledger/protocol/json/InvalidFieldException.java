package org.memledger.protocol.json;

import org.memledger.protocol.FieldError;

/**
 * A request body that parsed as JSON but does not make a valid command: a required field is
 * missing or a value is out of range. The message names the field and can be shown as it is.
 */
public final class InvalidFieldException extends IllegalArgumentException {
    private final String field;

    public InvalidFieldException(String field, String message) {
        super(message);
        this.field = field;
    }

    public static InvalidFieldException of(FieldError error) {
        return new InvalidFieldException(error.field(), error.field() + ": " + error.message());
    }

    public static InvalidFieldException required(String field) {
        return new InvalidFieldException(field, field + " is required");
    }

    public String field() {
        return field;
    }
}
