package org.memledger.protocol;

/**
 * The one rule for ids (nodes, deployments, owners, operators, zones): 1 to 128 characters
 * from {@code [A-Za-z0-9._-]}, starting with a letter or digit. Narrow on purpose: ids appear
 * in URLs (where {@code :} starts an action, as in {@code /v1/nodes/n1:drain}), cgroup names, CSV
 * exports and metric labels, so they must need no escaping anywhere.
 */
public final class Identifiers {
    public static final int MAX_LENGTH = 128;

    private Identifiers() {
    }

    public static boolean isValid(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) {
                return false;
            }
        }
        return true;
    }

    /** A human explanation of why {@code id} is not valid, naming the field. */
    public static String explain(String field, String id) {
        if (id == null || id.isEmpty()) {
            return field + " is required";
        }
        if (id.length() > MAX_LENGTH) {
            return field + " must be at most " + MAX_LENGTH + " characters, was " + id.length();
        }
        return field + " '" + id + "' may only contain letters, digits and . _ - and must start with a letter or digit";
    }
}
