package org.memledger.coordinator.ledger;

import java.util.List;

import org.memledger.protocol.Result;

/**
 * What {@link Admission} decided, before anything is written: either a finished answer (a
 * rejection, or the original answer to an identical retry) or a placement to commit. Deciding
 * without writing is what makes {@code POST /v1/deployments:check} a true dry run.
 */
sealed interface AdmissionDecision {

    /** The answer is final and nothing needs to change. */
    record Answer(Result result) implements AdmissionDecision {
    }

    /**
     * Admit onto {@code nodes} (empty for ALL). {@code minBytes}/{@code firmBytes} are the
     * effective bounds after policy defaults.
     */
    record Place(long minBytes, long firmBytes, long reservationBytes, long quotaChargeBytes,
                 List<NodeRecord> nodes) implements AdmissionDecision {
    }
}
