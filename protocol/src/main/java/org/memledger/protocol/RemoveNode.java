package org.memledger.protocol;

/**
 * Operator action: the node leaves the cluster for good (state EJECTED). Its k-placed
 * deployments are re-placed deterministically where possible, otherwise DISPLACED.
 */
public record RemoveNode(String nodeId) implements Command {
    @Override
    public CommandKind kind() {
        return CommandKind.REMOVE_NODE;
    }
}
