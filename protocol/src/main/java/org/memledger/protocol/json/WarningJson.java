package org.memledger.protocol.json;

/**
 * A ledger warning (DESIGN §3.4) as it appears in answers. The ledger raises none yet; the shape
 * is fixed now so that clients can read {@code warnings} arrays from the start.
 */
public record WarningJson(String id, String kind, String severity, String audience, String subject, String message,
                          String raisedAt, String resolvedAt, String deadline) {
}
