package org.memledger.protocol;

/** The command took effect and has nothing more to say. */
public record Ack() implements Result {
    @Override
    public ResultKind kind() {
        return ResultKind.ACK;
    }
}
