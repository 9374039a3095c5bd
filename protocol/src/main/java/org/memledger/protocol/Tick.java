package org.memledger.protocol;

/** Carries nothing but the entry's time: drives heartbeat expiry and other time-driven duties. */
public record Tick() implements Command {
    @Override
    public CommandKind kind() {
        return CommandKind.TICK;
    }
}
