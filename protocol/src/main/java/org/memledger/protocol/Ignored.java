package org.memledger.protocol;

/** The command was valid but had no effect (for example a report with a stale seq). */
public record Ignored(String message) implements Result {
    @Override
    public ResultKind kind() {
        return ResultKind.IGNORED;
    }
}
