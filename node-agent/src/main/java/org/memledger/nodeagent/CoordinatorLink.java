package org.memledger.nodeagent;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.util.List;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.memledger.nodeagent.memory.MemoryReadException;

/**
 * The agent's connection to "the coordinators": one request is tried against each coordinator URL
 * at most once per call (a <em>round</em>), starting with the one that answered last, so a dead
 * coordinator costs one connect attempt and the agent then stays with the one that works.
 *
 * <p>A coordinator <em>failed</em> when it did not answer (refused, timed out, reset) or answered
 * 429 or 5xx (overloaded, no leader, broken): another replica may do better. Any other answer,
 * including 4xx, is the cluster's answer and goes back to the caller, since every replica would
 * say the same.
 *
 * <p>It reports to the status sink one line per change of state, never per attempt:
 * <pre>
 *   UNKNOWN or CONNECTED --failure, more to try--> FAILING_OVER  "coordinator A failed (...); failing over to B"
 *   any but DOWN --------failure ends the round--> DOWN          "all 2 coordinators failed (...); retrying with backoff"
 *   UNKNOWN ------------------------------answer-> CONNECTED     "connected to coordinator A"
 *   FAILING_OVER -------------------------answer-> CONNECTED     "failed over to coordinator B"
 *   DOWN ---------------------------------answer-> CONNECTED     "recovered: coordinator A answered after 7 failed attempts in 12.4 s"
 * </pre>
 * Each attempt takes a fresh body from the caller, so a retry never resends an old measurement.
 *
 * <p>Not thread-safe: owned by the agent's loop. The caller does the waiting between rounds.
 */
final class CoordinatorLink {
    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorLink.class);

    /** Produces the request body for one attempt; null for a request without a body. */
    interface Body {
        String next() throws MemoryReadException;
    }

    /**
     * How a call ended: an answer from {@code coordinator}, or, when every coordinator failed,
     * {@code failure} describing the last failure (and {@code status} 0).
     */
    record Outcome(URI coordinator, int status, String body, String failure) {
        boolean answered() {
            return failure == null;
        }

        boolean ok() {
            return answered() && status >= 200 && status < 300;
        }
    }

    private enum Health { UNKNOWN, CONNECTED, FAILING_OVER, DOWN }

    private final List<URI> coordinators;
    private final CoordinatorClient client;
    private final AgentJson json;
    private final AgentTime time;
    private final Consumer<String> status;
    private int active;
    private Health health = Health.UNKNOWN;
    private long failedAttempts;
    private long outageStartMillis;

    CoordinatorLink(List<URI> coordinators, CoordinatorClient client, AgentJson json, AgentTime time,
                    Consumer<String> status) {
        this.coordinators = List.copyOf(coordinators);
        this.client = client;
        this.json = json;
        this.time = time;
        this.status = status;
    }

    /** One round: the first answer from any coordinator, or the last failure when none answered. */
    Outcome call(String method, String path, Body body) throws InterruptedException, MemoryReadException {
        int count = coordinators.size();
        Outcome outcome = null;
        for (int tried = 1; tried <= count; tried++) {
            URI coordinator = coordinators.get(active);
            outcome = attempt(coordinator, method, path, body.next());
            if (outcome.answered()) {
                answered(coordinator);
                return outcome;
            }
            LOG.debug("{} {}{} failed: {}", method, coordinator, path, outcome.failure());
            boolean roundOver = tried == count;
            if (!roundOver) {
                active = (active + 1) % count;
            }
            failed(coordinator, outcome.failure(), roundOver);
        }
        return outcome;
    }

    private Outcome attempt(URI coordinator, String method, String path, String body) throws InterruptedException {
        try {
            CoordinatorClient.Answer answer = client.exchange(coordinator, method, path, body);
            if (answer.status() == 429 || answer.status() >= 500) {
                return new Outcome(coordinator, 0, null, json.describeError(answer.status(), answer.body()));
            }
            return new Outcome(coordinator, answer.status(), answer.body(), null);
        } catch (IOException e) {
            return new Outcome(coordinator, 0, null, describe(e));
        }
    }

    private void answered(URI coordinator) {
        switch (health) {
            case UNKNOWN:
                status.accept("connected to coordinator " + coordinator);
                break;
            case FAILING_OVER:
                status.accept("failed over to coordinator " + coordinator);
                break;
            case DOWN:
                long outageMillis = Math.max(0, time.monotonicMillis() - outageStartMillis);
                status.accept("recovered: coordinator " + coordinator + " answered after " + failedAttempts
                        + " failed attempts in " + seconds(outageMillis));
                break;
            default:
                break;
        }
        health = Health.CONNECTED;
        failedAttempts = 0;
    }

    private void failed(URI coordinator, String failure, boolean roundOver) {
        failedAttempts++;
        if (health == Health.UNKNOWN || health == Health.CONNECTED) {
            outageStartMillis = time.monotonicMillis();
        }
        if (!roundOver && (health == Health.UNKNOWN || health == Health.CONNECTED)) {
            status.accept("coordinator " + coordinator + " failed (" + failure + "); failing over to "
                    + coordinators.get(active));
            health = Health.FAILING_OVER;
        } else if (roundOver && health != Health.DOWN) {
            status.accept((coordinators.size() == 1
                    ? "coordinator " + coordinator + " failed (" + failure + ")"
                    : "all " + coordinators.size() + " coordinators failed (last: " + coordinator + ": " + failure + ")")
                    + "; retrying with backoff");
            health = Health.DOWN;
        }
    }

    /**
     * {@code ConnectException: connection refused}: the first message along the cause chain. The
     * JDK's client reports a refused connection as a ConnectException with no message at all.
     */
    static String describe(IOException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            String message = cause.getMessage();
            if (message != null && !message.isBlank()) {
                return e.getClass().getSimpleName() + ": " + message;
            }
        }
        return e instanceof ConnectException ? "ConnectException: connection refused" : e.getClass().getSimpleName();
    }

    /** {@code 12.4 s}, integer arithmetic. */
    private static String seconds(long millis) {
        return millis / 1000 + "." + (millis % 1000) / 100 + " s";
    }
}
