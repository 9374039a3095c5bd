package org.memledger.coordinator.api;

import java.util.List;
import java.util.Objects;

/**
 * Who is calling: a role and its scope. A client is scoped to one owner; an operator to node ids
 * given as names or globs ({@code *} any run of characters, {@code ?} one character).
 *
 * @param name  a label for logs (from the token file), never the token
 * @param owner the client's owner, else null
 * @param nodes the operator's node patterns, else empty
 */
public record Principal(String name, Role role, String owner, List<String> nodes) {
    public Principal {
        Objects.requireNonNull(role, "role");
        nodes = List.copyOf(nodes);
    }

    /** Everyone is an administrator when the API runs without tokens (loopback only). */
    static Principal unauthenticatedAdmin() {
        return new Principal("anonymous (no tokens configured)", Role.ADMIN, null, List.of());
    }

    /** May admit, check, read or release deployments of {@code deploymentOwner}. */
    boolean actsFor(String deploymentOwner) {
        return role == Role.ADMIN || (role == Role.CLIENT && owner.equals(deploymentOwner));
    }

    /** May see deployments of {@code deploymentOwner}: everyone but a client of another owner. */
    boolean sees(String deploymentOwner) {
        return role != Role.CLIENT || owner.equals(deploymentOwner);
    }

    /** May register, report, drain or remove node {@code nodeId}. */
    boolean manages(String nodeId) {
        if (role == Role.ADMIN) {
            return true;
        }
        if (role != Role.OPERATOR) {
            return false;
        }
        for (String pattern : nodes) {
            if (Glob.matches(pattern, nodeId)) {
                return true;
            }
        }
        return false;
    }

    /** {@code *} and {@code ?} globs over ids (which never contain either). */
    static final class Glob {
        private Glob() {
        }

        static boolean matches(String pattern, String text) {
            int p = 0;
            int t = 0;
            int star = -1;
            int resume = 0;
            while (t < text.length()) {
                if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                    p++;
                    t++;
                } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                    star = p++;
                    resume = t;
                } else if (star >= 0) {
                    p = star + 1;
                    t = ++resume;
                } else {
                    return false;
                }
            }
            while (p < pattern.length() && pattern.charAt(p) == '*') {
                p++;
            }
            return p == pattern.length();
        }
    }
}
