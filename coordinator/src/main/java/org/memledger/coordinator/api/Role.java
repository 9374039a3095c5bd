package org.memledger.coordinator.api;

import java.util.Locale;

/** What a bearer token may do (docs/api.md has the role × endpoint matrix). */
public enum Role {
    /** Everything, for every owner and node. */
    ADMIN,
    /** Reads everything; registers, reports, drains and removes the nodes its scope names. */
    OPERATOR,
    /** Reads cluster figures; admits, checks, reads and releases the deployments of its one owner. */
    CLIENT,
    /** Reads everything, writes nothing. */
    VIEWER;

    /** The lower-case name used in token files. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a token file's role name; null when unknown. */
    static Role parse(String text) {
        for (Role role : values()) {
            if (role.label().equals(text)) {
                return role;
            }
        }
        return null;
    }
}
