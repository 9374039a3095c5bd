package org.memledger.nodeagent;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.memledger.nodeagent.memory.MemoryReadException;
import org.memledger.nodeagent.memory.MemoryReading;
import org.memledger.nodeagent.memory.MemorySource;
import org.memledger.protocol.ByteSize;
import org.memledger.protocol.Policy;
import org.memledger.protocol.RegisterNode;
import org.memledger.protocol.ReportNode;

/**
 * The node agent's report loop (DESIGN §6): it registers the node with the ledger, then reports
 * what the node declares and measures, every interval and sooner when the measurement moves.
 *
 * <p><b>What is sent, and when.</b> Registration ({@code PUT /v1/nodes/{id}}) comes first, and
 * again whenever a report is answered 404 (the ledger does not know the node, say because the
 * coordinator's data was wiped). A report ({@code POST /v1/nodes/{id}/reports}) is sent at once
 * after registering, then each interval (jittered ±10 % so that a rack of agents started together
 * drifts apart), and early when a sample (taken every fifth of an interval) moved beyond the
 * change threshold since the last report that was accepted ({@link Readings}).
 *
 * <p><b>Latest wins.</b> Nothing is queued. Every attempt, including a failover to the next
 * coordinator and every retry, measures afresh and takes a new {@code seq}
 * ({@link ReportSequence}: {@code max(lastSeq + 1, wallMillis)}, increasing across restarts), so
 * the ledger never receives an old measurement after a newer one, and a report that did arrive
 * although its answer was lost is harmlessly superseded.
 *
 * <p><b>Failures.</b> {@link CoordinatorLink} fails over between coordinators; when a whole round
 * failed, or the cluster refused (4xx), the loop waits with exponential backoff ({@link Backoff},
 * e.g. 200 ms doubling to 10 s) and tries again with a fresh report. A memory source that cannot
 * be read sends nothing (a guessed figure would be a lie) and is sampled again. Each change of
 * state is one line on the status sink, never one per attempt: connected, failing over, all
 * failed, recovered, refused with code and message, refusal resolved, node unknown, registered,
 * memory source failing and readable again, a ledger warning for this node, and, once at start, a
 * warning when {@code --declare} exceeds physical memory minus the system reserve (the policy is
 * read from {@code GET /v1/policy}, else its defaults apply).
 *
 * <p><b>Threads and time.</b> {@link #start()} runs the loop on one daemon thread; every field
 * below is confined to it (or to the caller of {@link #reportOnce()}, which is for agents that
 * are not started). Time comes from an injected {@link AgentTime} and jitter from an injected
 * {@link SplittableRandom}, so tests drive {@link #step()} by hand and get the same schedule
 * every run.
 */
public final class NodeAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);

    private final AgentConfig config;
    private final MemorySource source;
    private final Consumer<String> status;
    private final AgentTime time;
    private final SplittableRandom random;
    private final AgentJson json = new AgentJson();
    private final CoordinatorLink link;
    private final Backoff backoff;
    private final ReportSequence sequence = new ReportSequence();
    private final String nodePath;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wakeUp = lock.newCondition();
    private final AtomicBoolean reportRequested = new AtomicBoolean();
    private volatile boolean stopping;
    private Thread thread;

    // Loop state: confined to the loop thread.
    private boolean declaredChecked;
    private boolean registered;
    private boolean registrationAnnounced;
    private boolean unknownNodeAnnounced;
    private MemoryReading lastSent;
    private ReportNode lastAccepted;
    private long nextReportAtMillis;
    private long retryAtMillis = Long.MIN_VALUE;
    private String sourceProblem;
    private String refusal;
    private String loopProblem;
    private Set<String> shownWarnings = new HashSet<>();

    /**
     * An agent on the machine's clocks with an unseeded jitter generator.
     *
     * @param status receives one line per change of state (see the class comment); e.g.
     *               {@code line -> log.info(line)}
     */
    public NodeAgent(AgentConfig config, MemorySource source, Consumer<String> status) {
        this(config, source, status, AgentTime.system(), new SplittableRandom());
    }

    /** An agent on injected clocks and jitter: the same inputs give the same schedule. */
    public NodeAgent(AgentConfig config, MemorySource source, Consumer<String> status, AgentTime time,
                     SplittableRandom random) {
        this.config = Objects.requireNonNull(config, "config");
        this.source = Objects.requireNonNull(source, "source");
        this.status = Objects.requireNonNull(status, "status");
        this.time = Objects.requireNonNull(time, "time");
        this.random = Objects.requireNonNull(random, "random");
        this.backoff = new Backoff(config.backoffMinMillis(), config.backoffMaxMillis());
        this.link = new CoordinatorLink(config.coordinators(),
                new CoordinatorClient(config.token(), config.connectTimeoutMillis(), config.requestTimeoutMillis()),
                json, time, status);
        this.nodePath = "/v1/nodes/" + config.nodeId();
    }

    /**
     * Starts the report loop on its own daemon thread; returns at once.
     *
     * @throws IllegalStateException when started before
     */
    public void start() {
        lock.lock();
        try {
            if (thread != null) {
                throw new IllegalStateException("agent for node " + config.nodeId() + " was already started");
            }
            thread = new Thread(this::run, "memledger-agent-" + config.nodeId());
            thread.setDaemon(true);
            thread.start();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the loop, abandoning a request in flight, and waits for its thread to end. Idempotent;
     * a stopped agent cannot be started again.
     */
    public void stop() {
        Thread running;
        lock.lock();
        try {
            stopping = true;
            wakeUp.signalAll();
            running = thread;
        } finally {
            lock.unlock();
        }
        if (running != null && running != Thread.currentThread()) {
            running.interrupt();
            boolean interrupted = false;
            while (running.isAlive()) {
                try {
                    running.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Waits until the loop has ended (after {@link #stop()}); returns at once if never started. */
    public void awaitStopped() throws InterruptedException {
        Thread running;
        lock.lock();
        try {
            running = thread;
        } finally {
            lock.unlock();
        }
        if (running != null) {
            running.join();
        }
    }

    /**
     * Asks the loop to report now rather than at the next interval (for example just after a
     * deployment started here). Ignored while the loop is backing off after failures.
     */
    public void requestReport() {
        reportRequested.set(true);
        lock.lock();
        try {
            wakeUp.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * For agents that are not started: measures, registers and sends one report, trying each
     * coordinator once, without retries.
     *
     * @return the report the ledger accepted, or empty when it failed (the status sink says why)
     * @throws IllegalStateException when the loop is running
     */
    public Optional<ReportNode> reportOnce() throws InterruptedException {
        lock.lock();
        try {
            if (thread != null) {
                throw new IllegalStateException("reportOnce is for agents that are not started");
            }
        } finally {
            lock.unlock();
        }
        MemoryReading reading = sample();
        return reading != null && send(reading) ? Optional.of(lastAccepted) : Optional.empty();
    }

    /**
     * One pass of the loop at the current time: sample, and register or report if due.
     *
     * @return the monotonic time at which the next pass is wanted
     */
    long step() throws InterruptedException {
        long now = time.monotonicMillis();
        boolean requested = reportRequested.getAndSet(false);
        if (now < retryAtMillis) {
            return retryAtMillis;
        }
        MemoryReading reading = sample();
        if (reading == null) {
            return now + config.sampleMillis();
        }
        boolean due = requested || !registered || lastSent == null || now >= nextReportAtMillis
                || Readings.movedBeyond(lastSent, reading, config.changeThresholdPct());
        if (!due) {
            return Math.min(now + config.sampleMillis(), nextReportAtMillis);
        }
        if (!send(reading)) {
            retryAtMillis = time.monotonicMillis() + backoff.nextDelayMillis(random);
            return retryAtMillis;
        }
        backoff.reset();
        long sentAt = time.monotonicMillis();
        nextReportAtMillis = sentAt + Backoff.jitter(config.intervalMillis(), random);
        return Math.min(sentAt + config.sampleMillis(), nextReportAtMillis);
    }

    private void run() {
        while (!stopping) {
            try {
                waitUntil(step());
                loopProblem = null;
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // A bug must not silence the node for good: say so once, back off, carry on.
                LOG.error("agent loop failed", e);
                String problem = "agent loop failed: " + e;
                if (!problem.equals(loopProblem)) {
                    status.accept(problem);
                    loopProblem = problem;
                }
                retryAtMillis = time.monotonicMillis() + backoff.nextDelayMillis(random);
                waitUntil(retryAtMillis);
            }
        }
    }

    private void waitUntil(long wakeAtMillis) {
        lock.lock();
        try {
            long remaining = wakeAtMillis - time.monotonicMillis();
            while (!stopping && !reportRequested.get() && remaining > 0) {
                wakeUp.await(remaining, TimeUnit.MILLISECONDS);
                remaining = wakeAtMillis - time.monotonicMillis();
            }
        } catch (InterruptedException e) {
            stopping = true;
        } finally {
            lock.unlock();
        }
    }

    /** A fresh reading, or null when the source failed (said once per distinct failure). */
    private MemoryReading sample() {
        try {
            MemoryReading reading = source.read();
            if (sourceProblem != null) {
                status.accept("memory source " + source.describe() + " readable again");
                sourceProblem = null;
            }
            return reading;
        } catch (MemoryReadException e) {
            sourceFailed(e);
            return null;
        }
    }

    private void sourceFailed(MemoryReadException e) {
        // While stopping, the interrupt may have cut a read short: that is no news for the operator.
        if (!stopping && !e.getMessage().equals(sourceProblem)) {
            status.accept("memory source failed, not reporting: " + e.getMessage());
            sourceProblem = e.getMessage();
        }
    }

    /** Registers if needed, then reports; re-registers once on a 404. True when a report was accepted. */
    private boolean send(MemoryReading reading) throws InterruptedException {
        try {
            if (!registered && !register(reading)) {
                return false;
            }
            CoordinatorLink.Outcome outcome = report(reading);
            if (outcome.answered() && outcome.status() == 404) {
                nodeUnknown(outcome);
                if (!register(reading)) {
                    return false;
                }
                outcome = report(null);
            }
            return reportAnswered(outcome);
        } catch (MemoryReadException e) {
            sourceFailed(e);
            return false;
        }
    }

    private boolean register(MemoryReading reading) throws InterruptedException, MemoryReadException {
        if (!declaredChecked && !checkDeclared(reading)) {
            return false;
        }
        RegisterNode node = new RegisterNode(config.nodeId(), config.operator(), config.zone(), config.labels(),
                config.declaredBytes());
        String body = json.registerBody(node);
        CoordinatorLink.Outcome outcome = link.call("PUT", nodePath, () -> body);
        if (!outcome.ok()) {
            refused("registration", outcome);
            return false;
        }
        registered = true;
        if (!registrationAnnounced) {
            status.accept("registered node " + config.nodeId() + " with coordinator " + outcome.coordinator()
                    + " (declared " + ByteSize.format(config.declaredBytes()) + ", zone " + config.zone()
                    + ", operator " + config.operator() + ")");
            registrationAnnounced = true;
        }
        accepted(outcome);
        return true;
    }

    /**
     * Once, before the first registration: warns when the declared size exceeds physical memory
     * minus the system reserve of the coordinator's policy (its defaults when it cannot be read).
     *
     * @return false when no coordinator answered (the caller backs off)
     */
    private boolean checkDeclared(MemoryReading reading) throws InterruptedException, MemoryReadException {
        CoordinatorLink.Outcome outcome = link.call("GET", "/v1/policy", () -> null);
        SystemReserve reserve = outcome.ok() ? json.reserve(outcome.body()) : SystemReserve.of(Policy.defaults());
        String warning = reserve.warning(config.declaredBytes(), reading.physicalBytes());
        if (warning != null) {
            status.accept("warning: " + warning + (outcome.ok() ? "" : " (default policy: the coordinator's was not readable)"));
        }
        declaredChecked = true;
        return outcome.answered();
    }

    private CoordinatorLink.Outcome report(MemoryReading first) throws InterruptedException, MemoryReadException {
        ReportAttempts attempts = new ReportAttempts(first);
        CoordinatorLink.Outcome outcome = link.call("POST", nodePath + "/reports", attempts);
        if (outcome.ok()) {
            lastSent = attempts.reading;
            lastAccepted = attempts.report;
        }
        return outcome;
    }

    private boolean reportAnswered(CoordinatorLink.Outcome outcome) {
        if (!outcome.ok()) {
            if (outcome.answered() && outcome.status() == 404) {
                registered = false;
            }
            refused("report", outcome);
            return false;
        }
        registrationAnnounced = false;
        unknownNodeAnnounced = false;
        accepted(outcome);
        return true;
    }

    private void nodeUnknown(CoordinatorLink.Outcome outcome) {
        registered = false;
        if (!unknownNodeAnnounced) {
            status.accept("node " + config.nodeId() + " is unknown to coordinator " + outcome.coordinator() + " ("
                    + json.describeError(outcome.status(), outcome.body()) + "); registering again");
            unknownNodeAnnounced = true;
        }
    }

    /** A 4xx answer, said once until something is accepted; failed rounds were said by the link. */
    private void refused(String what, CoordinatorLink.Outcome outcome) {
        if (!outcome.answered()) {
            return;
        }
        String line = "coordinator " + outcome.coordinator() + " refused the " + what + ": "
                + json.describeError(outcome.status(), outcome.body());
        if (!line.equals(refusal)) {
            status.accept(line);
            refusal = line;
        }
    }

    private void accepted(CoordinatorLink.Outcome outcome) {
        if (refusal != null) {
            status.accept("coordinator " + outcome.coordinator() + " accepts the node again");
            refusal = null;
        }
        showWarnings(outcome.body());
    }

    /** Ledger warnings in an answer, each shown once while it stays in the answers. */
    private void showWarnings(String body) {
        Optional<List<AgentJson.LedgerWarning>> warnings = json.warnings(body);
        if (warnings.isEmpty()) {
            return;
        }
        Set<String> current = new HashSet<>();
        for (AgentJson.LedgerWarning warning : warnings.get()) {
            current.add(warning.key());
            if (!shownWarnings.contains(warning.key())) {
                status.accept("ledger warning for node " + config.nodeId() + ": " + warning.text());
            }
        }
        shownWarnings = current;
    }

    /** Report bodies for one round: the given reading first, then a fresh one per attempt, each with a new seq. */
    private final class ReportAttempts implements CoordinatorLink.Body {
        private MemoryReading next;
        private MemoryReading reading;
        private ReportNode report;

        ReportAttempts(MemoryReading first) {
            this.next = first;
        }

        @Override
        public String next() throws MemoryReadException {
            reading = next != null ? next : source.read();
            next = null;
            report = new ReportNode(config.nodeId(), sequence.next(time.wallMillis()), config.declaredBytes(),
                    reading.physicalBytes(), reading.availableBytes(), reading.deploymentUsage());
            return json.reportBody(report);
        }
    }
}
