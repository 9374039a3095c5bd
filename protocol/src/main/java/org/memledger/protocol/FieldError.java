package org.memledger.protocol;

/** A precise validation failure: which field, and what is wrong with it. */
public record FieldError(String field, String message) {
}
