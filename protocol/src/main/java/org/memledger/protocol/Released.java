package org.memledger.protocol;

/** A deployment's reservation ended at ledger time {@code releasedAtMillis}. */
public record Released(String deploymentId, long releasedAtMillis) implements Result {
    @Override
    public ResultKind kind() {
        return ResultKind.RELEASED;
    }
}
