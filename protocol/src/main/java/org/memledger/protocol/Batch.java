package org.memledger.protocol;

import java.util.List;

/**
 * Many commands in one log entry (group commit). Applied in order; each has its own result.
 * Batches do not nest.
 */
public record Batch(List<Command> commands) implements Command {
    public Batch {
        commands = List.copyOf(commands);
    }

    @Override
    public CommandKind kind() {
        return CommandKind.BATCH;
    }
}
