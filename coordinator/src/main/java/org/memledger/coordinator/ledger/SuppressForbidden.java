package org.memledger.coordinator.ledger;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Lets one method use an API that the build bans in the ledger (see
 * {@code coordinator/src/build/ledger-signatures.txt}); {@link #reason} must say why the use
 * cannot affect determinism.
 */
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.METHOD, ElementType.CONSTRUCTOR, ElementType.TYPE})
@interface SuppressForbidden {
    String reason();
}
