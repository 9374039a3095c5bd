package org.memledger.protocol;

/** Frees a deployment's reservation at the entry's time. */
public record Release(String deploymentId) implements Command {
    @Override
    public CommandKind kind() {
        return CommandKind.RELEASE;
    }
}
