package org.memledger.protocol;

/** Replaces the whole replicated policy (admin). Invalid policies are refused with a precise message. */
public record SetPolicy(Policy policy) implements Command {
    @Override
    public CommandKind kind() {
        return CommandKind.SET_POLICY;
    }
}
