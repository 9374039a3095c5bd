package org.memledger.protocol;

/** Operator action: the node keeps what it hosts but admits nothing new. */
public record DrainNode(String nodeId) implements Command {
    @Override
    public CommandKind kind() {
        return CommandKind.DRAIN_NODE;
    }
}
