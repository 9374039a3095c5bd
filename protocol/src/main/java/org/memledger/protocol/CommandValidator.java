package org.memledger.protocol;

import java.util.Map;
import java.util.Optional;

/**
 * Checks the shape of a command: ids, counts, ranges that do not depend on ledger state. The API
 * runs it before anything enters the log, and the ledger runs it again on apply so that a
 * malformed entry can never change state whoever wrote it. Business rules that depend on state
 * (bounds against policy, quotas, capacity) belong to the ledger and end in a {@link Rejected}.
 */
public final class CommandValidator {
    public static final int MAX_BATCH_COMMANDS = 10_000;
    public static final int MAX_LABELS = 64;
    public static final int MAX_LABEL_VALUE_LENGTH = 256;
    public static final int MAX_USAGE_ENTRIES = 100_000;
    public static final int MAX_REPLICAS = 1_000;
    public static final int MAX_PRIORITY = 1_000_000;

    private CommandValidator() {
    }

    public static Optional<FieldError> validate(Command command) {
        if (command == null) {
            return error("command", "command is required");
        }
        return switch (command.kind()) {
            case REGISTER_NODE -> registerNode((RegisterNode) command);
            case REPORT_NODE -> reportNode((ReportNode) command);
            case ADMIT -> admit((Admit) command);
            case RELEASE -> id("deploymentId", ((Release) command).deploymentId());
            case SET_POLICY -> setPolicy((SetPolicy) command);
            case DRAIN_NODE -> id("nodeId", ((DrainNode) command).nodeId());
            case REMOVE_NODE -> id("nodeId", ((RemoveNode) command).nodeId());
            case TICK -> Optional.empty();
            case BATCH -> batch((Batch) command);
        };
    }

    private static Optional<FieldError> setPolicy(SetPolicy c) {
        if (c.policy() == null) {
            return error("policy", "policy is required");
        }
        return c.policy().validate().map(e -> new FieldError("policy." + e.field(), e.message()));
    }

    private static Optional<FieldError> registerNode(RegisterNode c) {
        Optional<FieldError> e = id("nodeId", c.nodeId())
                .or(() -> id("operator", c.operator()))
                .or(() -> id("zone", c.zone()))
                .or(() -> nonNegative("declaredBytes", c.declaredBytes()));
        if (e.isPresent()) {
            return e;
        }
        if (c.labels().size() > MAX_LABELS) {
            return error("labels", "at most " + MAX_LABELS + " labels, got " + c.labels().size());
        }
        for (Map.Entry<String, String> label : c.labels().entrySet()) {
            if (!Identifiers.isValid(label.getKey())) {
                return error("labels", Identifiers.explain("label key", label.getKey()));
            }
            String value = label.getValue();
            if (value == null || value.length() > MAX_LABEL_VALUE_LENGTH) {
                return error("labels." + label.getKey(), "must be a string of at most "
                        + MAX_LABEL_VALUE_LENGTH + " characters");
            }
        }
        return Optional.empty();
    }

    private static Optional<FieldError> reportNode(ReportNode c) {
        Optional<FieldError> e = id("nodeId", c.nodeId())
                .or(() -> nonNegative("seq", c.seq()))
                .or(() -> nonNegative("declaredBytes", c.declaredBytes()))
                .or(() -> nonNegative("physicalBytes", c.physicalBytes()))
                .or(() -> nonNegative("availableBytes", c.availableBytes()));
        if (e.isPresent()) {
            return e;
        }
        if (c.availableBytes() > c.physicalBytes()) {
            return error("availableBytes", "must not exceed physicalBytes (" + c.physicalBytes() + "), was "
                    + c.availableBytes());
        }
        if (c.deploymentUsage().size() > MAX_USAGE_ENTRIES) {
            return error("deploymentUsage", "at most " + MAX_USAGE_ENTRIES + " entries, got "
                    + c.deploymentUsage().size());
        }
        for (Map.Entry<String, Long> usage : c.deploymentUsage().entrySet()) {
            if (!Identifiers.isValid(usage.getKey())) {
                return error("deploymentUsage", Identifiers.explain("deployment id", usage.getKey()));
            }
            if (usage.getValue() == null || usage.getValue() < 0) {
                return error("deploymentUsage." + usage.getKey(), "must be a non-negative byte count");
            }
        }
        return Optional.empty();
    }

    private static Optional<FieldError> admit(Admit c) {
        // Plain ifs rather than Optional.or: every applied Admit passes here, and a capturing lambda each time adds up.
        if (!Identifiers.isValid(c.deploymentId())) {
            return id("deploymentId", c.deploymentId());
        }
        if (!Identifiers.isValid(c.owner())) {
            return id("owner", c.owner());
        }
        if (c.replicas() == null) {
            return error("replicas", "is required: a count from 1 to " + MAX_REPLICAS + " or \"ALL\"");
        }
        if (!c.replicas().isAll() && (c.replicas().count() < 1 || c.replicas().count() > MAX_REPLICAS)) {
            return error("replicas", "must be a count from 1 to " + MAX_REPLICAS + " or \"ALL\", was "
                    + c.replicas().count());
        }
        if (Math.abs((long) c.priority()) > MAX_PRIORITY) {
            return error("priority", "must be between -" + MAX_PRIORITY + " and " + MAX_PRIORITY);
        }
        return Optional.empty();
    }

    private static Optional<FieldError> batch(Batch c) {
        if (c.commands().isEmpty() || c.commands().size() > MAX_BATCH_COMMANDS) {
            return error("commands", "a batch holds 1 to " + MAX_BATCH_COMMANDS + " commands, got "
                    + c.commands().size());
        }
        for (int i = 0; i < c.commands().size(); i++) {
            if (c.commands().get(i) instanceof Batch) {
                return error("commands[" + i + "]", "batches do not nest");
            }
        }
        return Optional.empty();
    }

    private static Optional<FieldError> id(String field, String value) {
        return Identifiers.isValid(value) ? Optional.empty() : error(field, Identifiers.explain(field, value));
    }

    private static Optional<FieldError> nonNegative(String field, long value) {
        return value >= 0 ? Optional.empty() : error(field, "must not be negative, was " + value);
    }

    private static Optional<FieldError> error(String field, String message) {
        return Optional.of(new FieldError(field, message));
    }
}
