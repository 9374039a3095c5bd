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

    /** Per ASCII code: 2 = may start an id (letter or digit), 1 = may follow (also . _ -), 0 = never. */
    private static final byte[] ALLOWED = new byte[128];

    static {
        for (char c = 'a'; c <= 'z'; c++) {
            ALLOWED[c] = 2;
        }
        for (char c = 'A'; c <= 'Z'; c++) {
            ALLOWED[c] = 2;
        }
        for (char c = '0'; c <= '9'; c++) {
            ALLOWED[c] = 2;
        }
        ALLOWED['.'] = 1;
        ALLOWED['_'] = 1;
        ALLOWED['-'] = 1;
    }

    /** One table lookup a character: the ledger checks every id of every applied command. */
    public static boolean isValid(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        char first = id.charAt(0);
        if (first >= 128 || ALLOWED[first] != 2) {
            return false;
        }
        for (int i = 1; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c >= 128 || ALLOWED[c] == 0) {
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
