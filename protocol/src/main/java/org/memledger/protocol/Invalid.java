package org.memledger.protocol;

/**
 * The command could not be applied and changed nothing. {@code field} names the offending
 * field (or is empty when the command as a whole is at fault).
 */
public record Invalid(ErrorCode code, String field, String message) implements Result {
    @Override
    public ResultKind kind() {
        return ResultKind.INVALID;
    }
}
