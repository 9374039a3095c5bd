package org.memledger.coordinator.raft;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.apache.ratis.client.retry.ClientRetryEvent;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.util.TimeDuration;

/**
 * The Raft client's retry policy: keep retrying a call (leader changes, lost connections, a leader
 * not ready yet) until the deadline the call carries in its message ({@link ClientMessages}) has
 * passed, with a short, growing pause. Ratis has no per-call timeout on its async API; this is how
 * the caller's remaining time reaches the Raft call.
 *
 * <p>Ratis' default is to retry forever without pausing. Messages without a deadline (none of ours)
 * get a bounded number of attempts.
 *
 * <p>Trap: when a call on Ratis' ordered async API gives up, Ratis fails every later call on the
 * same client and refuses new ones; {@link RaftGateway} then replaces the client.
 */
final class DeadlineRetryPolicy implements RetryPolicy {
    static final int ATTEMPTS_WITHOUT_DEADLINE = 50;
    private static final long MAX_PAUSE_MILLIS = 200;

    private final LongSupplier monotonicMillis;

    DeadlineRetryPolicy(LongSupplier monotonicMillis) {
        this.monotonicMillis = monotonicMillis;
    }

    @Override
    public Action handleAttemptFailure(Event event) {
        if (event.getCause() instanceof StateMachineException) {
            return NO_RETRY_ACTION; // the state machine refused it: asking again gets the same answer
        }
        long deadline = deadlineOf(event);
        long remaining = deadline == 0 ? Long.MAX_VALUE : deadline - monotonicMillis.getAsLong();
        if (remaining <= 0 || (deadline == 0 && event.getAttemptCount() >= ATTEMPTS_WITHOUT_DEADLINE)) {
            return NO_RETRY_ACTION;
        }
        long pause = Math.min(Math.min(MAX_PAUSE_MILLIS, 10L << Math.min(event.getAttemptCount(), 5)), remaining);
        TimeDuration sleep = TimeDuration.valueOf(pause, TimeUnit.MILLISECONDS);
        return () -> sleep;
    }

    private static long deadlineOf(Event event) {
        if (!(event instanceof ClientRetryEvent)) {
            return 0;
        }
        RaftClientRequest request = ((ClientRetryEvent) event).getRequest();
        Message message = request == null ? null : request.getMessage();
        if (message == null || message.getContent() == null) {
            return 0;
        }
        int size = Math.min(message.getContent().size(), ClientMessages.headerBytes());
        return ClientMessages.deadlineOf(message.getContent().substring(0, size).toByteArray());
    }

    @Override
    public String toString() {
        return "DeadlineRetryPolicy(pause<=" + MAX_PAUSE_MILLIS + "ms)";
    }
}
