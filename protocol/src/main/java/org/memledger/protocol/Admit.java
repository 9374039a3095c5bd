package org.memledger.protocol;

/**
 * Asks for a deployment to be admitted. {@code minBytes} and {@code firmBytes} are nullable:
 * a missing firm limit takes the policy default, a missing minimum takes the firm limit.
 * Replaying the same id with the same spec returns the original answer (idempotent).
 */
public record Admit(String deploymentId, String owner, Long minBytes, Long firmBytes, Replicas replicas,
                    boolean zoneSpread, int priority) implements Command {

    public static Admit of(String deploymentId, String owner, long firmBytes, Replicas replicas) {
        return new Admit(deploymentId, owner, null, firmBytes, replicas, false, 0);
    }

    @Override
    public CommandKind kind() {
        return CommandKind.ADMIT;
    }
}
