package org.memledger.coordinator.raft;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.TimeDuration;
import org.memledger.coordinator.ledger.LedgerViews;
import org.memledger.protocol.Admit;
import org.memledger.protocol.Command;
import org.memledger.protocol.Policy;
import org.memledger.protocol.Result;
import org.memledger.protocol.Tick;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica of the replicated ledger: a Ratis {@link RaftServer} running a {@link LedgerStateMachine},
 * a Raft client into the group ({@link RaftGateway}), the group-commit {@link CommandSubmitter}, and the
 * leader-only {@link TickProposer}. The CLI, the tests and the HTTP API all hold one of these.
 *
 * <p>Writes: {@link #submit} from any replica; a follower's client forwards to the leader. Reads:
 * {@link ReplicaReads}, local or linearizable. Shutdown ({@link #close}): stop accepting, drain the
 * commands in flight (bounded by the drain timeout), hand leadership to a peer if this replica leads,
 * then close Ratis.
 *
 * <p>Start-up failures an operator can fix (bad peer list, port in use, a data dir of another
 * cluster) are {@link ReplicaStartException}s with a one-line message.
 */
public final class Replica implements ReplicaReads, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Replica.class);
    private static final long TICK_TIMEOUT_FLOOR_MILLIS = 2_000;
    private static final long TRANSFER_TIMEOUT_MILLIS = 3_000;
    /** Linearizable reads waiting for a ReadIndex round at once; past it they fail fast. */
    static final int MAX_LINEARIZABLE_READS = 10_000;

    private final ReplicaConfig config;
    private final RaftGroup group;
    private final RaftPeerId selfId;
    private final RaftProperties clientProperties;
    private final LedgerStateMachine stateMachine;
    private final RaftServer server;
    private final RaftServer.Division division;
    private final RaftGateway gateway;
    private final ReadIndexBatcher readIndex;
    private final CommandSubmitter submitter;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService readers;
    private final TickProposer ticks;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Replica(ReplicaConfig config, RaftGroup group, LedgerStateMachine stateMachine, RaftServer server)
            throws IOException {
        this.config = config;
        this.group = group;
        this.selfId = RaftPeerId.valueOf(config.identity().replicaId());
        this.clientProperties = RaftSettings.client(config);
        this.stateMachine = stateMachine;
        this.server = server;
        this.division = server.getDivision(group.getGroupId());
        String name = "memledger-" + config.identity().replicaId();
        this.gateway = new RaftGateway(this::newWriteClient, stateMachine::awaitApplied);
        this.readIndex = new ReadIndexBatcher(name + "-read-index", this::knownLeader, newReadClient(),
                MonotonicClock::millis, MAX_LINEARIZABLE_READS);
        this.submitter = new CommandSubmitter(name, gateway, config.submitter(), MonotonicClock::millis,
                () -> !isLeader());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon(name + "-scheduler"));
        this.readers = Executors.newSingleThreadExecutor(daemon(name + "-reads"));
        this.ticks = new TickProposer(this::isReadyLeader, () -> stateMachine.policy().value().tickMillis(),
                this::proposeTick, scheduler);
    }

    /**
     * Starts a replica: checks (or creates) the data dir's identity, checks the port, starts the
     * Raft server (recovering its log and newest snapshot if any), and starts ticking.
     */
    public static Replica start(ReplicaConfig config) throws IOException {
        ClusterIdentity identity = config.identity();
        DataDirIdentity.checkOrCreate(config.dataDir(), identity);
        checkPortFree(config);
        List<RaftPeer> peers = new ArrayList<>();
        for (Peer peer : identity.peers().peers()) {
            peers.add(RaftPeer.newBuilder().setId(peer.id()).setAddress(peer.address()).build());
        }
        RaftGroup group = RaftGroup.valueOf(identity.groupId(), peers);
        LedgerStateMachine stateMachine = new LedgerStateMachine(config.clock()::millis);
        RaftServer server = RaftServer.newBuilder()
                .setServerId(RaftPeerId.valueOf(identity.replicaId()))
                .setGroup(group)
                .setStateMachine(stateMachine)
                .setProperties(RaftSettings.server(config))
                .setOption(RaftStorage.StartupOption.RECOVER)
                .build();
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            closeQuietly(server);
            throw explainStartFailure(config, e);
        }
        Replica replica;
        try {
            replica = new Replica(config, group, stateMachine, server);
        } catch (IOException | RuntimeException e) {
            closeQuietly(server);
            throw e;
        }
        if (config.ticks()) {
            replica.ticks.start();
        }
        LOG.info("replica {} of cluster '{}' started: {} transport on {}:{}, data dir {}, peers {}",
                identity.replicaId(), identity.clusterName(), config.transport(), config.bindHost(),
                identity.self().port(), config.dataDir(), identity.peers());
        return replica;
    }

    private static void checkPortFree(ReplicaConfig config) throws ReplicaStartException {
        int port = config.identity().self().port();
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(config.bindHost(), port));
        } catch (BindException e) {
            throw portInUse(config, e);
        } catch (IOException e) {
            throw new ReplicaStartException("cannot listen on " + config.bindHost() + ":" + port + ": " + e.getMessage()
                    + " (is " + config.bindHost() + " an address of this machine? --bind-host sets another)", e);
        }
    }

    private static ReplicaStartException portInUse(ReplicaConfig config, Throwable cause) {
        return new ReplicaStartException("port " + config.identity().self().port() + " on " + config.bindHost()
                + " is already in use (is another replica or process running there?)", cause);
    }

    private static IOException explainStartFailure(ReplicaConfig config, Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return portInUse(config, e);
            }
        }
        return e instanceof IOException ? (IOException) e
                : new IOException("replica " + config.identity().replicaId() + " failed to start: " + e, e);
    }

    /**
     * The client that carries proposals. Its outstanding-call limit sits above the submitter's: past
     * it Ratis' async send would block the submitter's dispatcher thread.
     */
    private RaftClient newWriteClient() {
        RaftProperties properties = new RaftProperties(clientProperties);
        RaftClientConfigKeys.Async.setOutstandingRequestsMax(properties, config.submitter().maxInFlightBatches() + 16);
        return RaftClient.newBuilder()
                .setProperties(properties)
                .setRaftGroup(group)
                .setRetryPolicy(new DeadlineRetryPolicy(MonotonicClock::millis))
                .build();
    }

    /** The client for ReadIndex rounds: blocking, no Ratis retries (the batcher retries with a fresh leader). */
    private RaftClient newReadClient() {
        RaftProperties properties = new RaftProperties(clientProperties);
        RaftClientConfigKeys.Rpc.setRequestTimeout(properties,
                TimeDuration.valueOf(Math.max(1_000, config.electionTimeoutMax().toMillis()), TimeUnit.MILLISECONDS));
        return RaftClient.newBuilder()
                .setProperties(properties)
                .setRaftGroup(group)
                .setRetryPolicy(RetryPolicies.noRetry())
                .build();
    }

    private RaftPeerId knownLeader() {
        try {
            return division.getInfo().getLeaderId();
        } catch (RuntimeException e) {
            return null;
        }
    }

    // ---- writes ------------------------------------------------------------------------------

    /**
     * Submits a command through the log (group-committed with others). Completes with the command's
     * own result once its entry is applied on this replica too (so a read here right after sees the
     * write), or exceptionally with a {@link SubmitException}.
     *
     * @param timeoutMillis what is left of the caller's deadline
     */
    public CompletableFuture<Result> submit(Command command, long timeoutMillis) {
        return submitter.submit(command, timeoutMillis);
    }

    private CompletableFuture<?> proposeTick() {
        long timeout = Math.max(TICK_TIMEOUT_FLOOR_MILLIS, 2 * stateMachine.policy().value().tickMillis());
        return submitter.submit(new Tick(), timeout);
    }

    // ---- reads -------------------------------------------------------------------------------

    @Override
    public <T> T read(Function<LedgerViews, T> reader) {
        return stateMachine.read(reader).value();
    }

    @Override
    public <T> Indexed<T> readIndexed(Function<LedgerViews, T> reader) {
        return stateMachine.read(reader);
    }

    @Override
    public <T> CompletableFuture<Indexed<T>> readLinearizable(Function<LedgerViews, T> reader, long timeoutMillis) {
        if (timeoutMillis <= 0) {
            return CompletableFuture.failedFuture(new DeadlineExceededException("the deadline had already passed", false));
        }
        CompletableFuture<Indexed<T>> answer = new CompletableFuture<>();
        try {
            ScheduledFuture<?> timer = scheduler.schedule(() -> answer.completeExceptionally(new DeadlineExceededException(
                    "no linearizable read within " + timeoutMillis + " ms", false)), timeoutMillis, TimeUnit.MILLISECONDS);
            answer.whenComplete((value, error) -> timer.cancel(false));
            readIndex.readIndex(MonotonicClock.millis() + timeoutMillis)
                    .thenCompose(stateMachine::awaitApplied)
                    .thenApplyAsync(ignored -> stateMachine.read(reader), readers)
                    .whenComplete((value, error) -> {
                        if (error == null) {
                            answer.complete(value);
                        } else {
                            answer.completeExceptionally(asSubmitException(error));
                        }
                    });
        } catch (RejectedExecutionException e) {
            answer.completeExceptionally(new ReplicaUnavailableException("the replica is closed", false, e));
        }
        return answer;
    }

    private static SubmitException asSubmitException(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof SubmitException ? (SubmitException) cause
                : new ReplicaUnavailableException("the linearizable read failed: " + cause, false, cause);
    }

    @Override
    public Indexed<Result> check(Admit admit) {
        return stateMachine.check(admit);
    }

    @Override
    public Indexed<Policy> policy() {
        return stateMachine.policy();
    }

    @Override
    public ReplicaStatus status() {
        LedgerStateMachine.Applied applied = stateMachine.applied();
        ReplicaRole role = ReplicaRole.STOPPED;
        String leader = null;
        long term = 0;
        try {
            DivisionInfo info = division.getInfo();
            if (info.isAlive()) {
                role = ReplicaRole.valueOf(info.getCurrentRole().name());
            }
            leader = info.getLeaderId() == null ? null : info.getLeaderId().toString();
            term = info.getCurrentTerm();
        } catch (RuntimeException e) {
            LOG.debug("status of a stopped division", e);
        }
        return new ReplicaStatus(config.identity().replicaId(), role, leader, term, applied.ledgerIndex(),
                HexFormat.of().formatHex(applied.stateHash()), applied.nowMillis(), applied.raftIndex(),
                stateMachine.latestSnapshotIndex(), config.identity().peers().peers());
    }

    public String id() {
        return config.identity().replicaId();
    }

    public ReplicaConfig config() {
        return config;
    }

    /** True while this replica is the Raft leader. */
    public boolean isLeader() {
        try {
            return division.getInfo().isLeader();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private boolean isReadyLeader() {
        try {
            DivisionInfo info = division.getInfo();
            return info.isAlive() && info.isLeader() && info.isLeaderReady();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Commands accepted by this replica and not yet answered. */
    public int inFlightCommands() {
        return submitter.inFlightCommands();
    }

    /**
     * Takes a snapshot now (an admin action; snapshots are otherwise taken as the log grows). Returns
     * the Raft index it covers.
     */
    public long takeSnapshot(long timeoutMillis) throws IOException {
        // The client's own RPC timeout (a few seconds) would otherwise cut the wait short: a large
        // snapshot on a busy machine takes longer than that.
        RaftProperties properties = new RaftProperties(clientProperties);
        RaftClientConfigKeys.Rpc.setRequestTimeout(properties, TimeDuration.valueOf(timeoutMillis, TimeUnit.MILLISECONDS));
        try (RaftClient admin = adminClient(properties)) {
            RaftClientReply reply = admin.getSnapshotManagementApi(selfId).create(true, timeoutMillis);
            if (!reply.isSuccess()) {
                throw new IOException("snapshot failed: " + reply.getException());
            }
            return reply.getLogIndex();
        }
    }

    private RaftClient adminClient() {
        return adminClient(clientProperties);
    }

    private RaftClient adminClient(RaftProperties properties) {
        return RaftClient.newBuilder()
                .setProperties(properties)
                .setRaftGroup(group)
                .setRetryPolicy(RetryPolicies.noRetry())
                .build();
    }

    // ---- shutdown ----------------------------------------------------------------------------

    /**
     * Graceful shutdown: refuses new commands, drains those in flight (up to the drain timeout),
     * hands leadership to an up-to-date peer if this replica leads (so the group does not wait out an
     * election timeout), then closes the Raft client and server. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ticks.close();
        submitter.shutdown(config.drainTimeout());
        if (config.transferLeadershipOnClose() && group.getPeers().size() > 1 && isLeader()) {
            transferLeadership();
        }
        gateway.close();
        readIndex.close();
        closeQuietly(server);
        scheduler.shutdownNow();
        readers.shutdownNow();
        LOG.info("replica {} closed", id());
    }

    /** Test hook: stops the Raft server at once, as if the process died, then releases the rest. */
    void crash() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeQuietly(server);
        ticks.close();
        submitter.shutdown(java.time.Duration.ZERO);
        gateway.close();
        readIndex.close();
        scheduler.shutdownNow();
        readers.shutdownNow();
    }

    private void transferLeadership() {
        for (RaftPeer peer : group.getPeers()) {
            if (peer.getId().equals(selfId)) {
                continue;
            }
            try (RaftClient admin = adminClient()) {
                RaftClientReply reply = admin.admin().transferLeadership(peer.getId(), TRANSFER_TIMEOUT_MILLIS);
                if (reply.isSuccess()) {
                    LOG.info("replica {} handed leadership to {}", id(), peer.getId());
                    return;
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("leadership transfer to {} failed", peer.getId(), e);
            }
        }
        LOG.info("replica {} could not hand over leadership; the others will elect a leader", id());
    }

    private static void closeQuietly(RaftServer server) {
        try {
            server.close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("closing the Raft server: {}", e.toString());
        }
    }

    LedgerStateMachine stateMachine() {
        return stateMachine;
    }

    RaftServer.Division division() {
        return division;
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
