package org.memledger.coordinator.raft;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;

import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.memledger.coordinator.ledger.AppliedEntry;
import org.memledger.coordinator.ledger.Ledger;
import org.memledger.coordinator.ledger.LedgerViews;
import org.memledger.protocol.Admit;
import org.memledger.protocol.CommandValidator;
import org.memledger.protocol.FieldError;
import org.memledger.protocol.Policy;
import org.memledger.protocol.Result;
import org.memledger.protocol.codec.CodecException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ratis adapter around the pure {@link Ledger}: thin on purpose (STYLE, after etcd). It decodes
 * nothing it does not have to, decides nothing, and is the only place Raft indexes, time stamps and
 * snapshot files meet the ledger.
 *
 * <ul>
 * <li>{@link #startTransaction} runs on the leader only, possibly concurrently, against state that
 *     is not yet applied. It checks the proposal's syntax and shape (a malformed command never enters
 *     the log) and stamps the leader's clock in front of the command. It never decides admission:
 *     only apply, in log order, may do that.</li>
 * <li>{@link #applyTransaction} runs on every replica, one entry at a time, in log order. It hands
 *     the entry's bytes to the ledger and returns the encoded result as the Raft reply. The ledger
 *     never throws for bad input, so the only exception that can escape is a ledger invariant
 *     violation, which must stop the replica (Ratis shuts the server down) rather than diverge.</li>
 * <li>Snapshots are the ledger's canonical snapshot in one file per snapshot in Ratis'
 *     {@link SimpleStateMachineStorage} ({@code sm/snapshot.<term>_<index>} plus MD5), taken when the log
 *     passes the configured size, loaded by {@link #initialize} on restart and by {@link #reinitialize}
 *     after the leader installs one on a lagging follower.</li>
 * </ul>
 *
 * <p>Time: the stamp is {@code max(clock, ledger time, previous stamp)}, so this leader's stamps never
 * go backwards; the ledger applies {@code max(previous, entry time)} as well, so ledger time never
 * goes backwards across leaders whose clocks disagree.
 *
 * <p>Threads: the ledger is not thread-safe. Applies, snapshots and reads all take {@link #lock};
 * reads therefore see a state between two entries, never inside one. Read callbacks run under the
 * lock and must be short and must not let {@link LedgerViews} escape.
 */
public final class LedgerStateMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(LedgerStateMachine.class);

    /** What the last apply left behind, published for lock-free status reads. */
    record Applied(long ledgerIndex, long raftIndex, long nowMillis, byte[] stateHash) {
    }

    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final LongSupplier clockMillis;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong lastStampMillis = new AtomicLong(Long.MIN_VALUE);
    private final AppliedIndexWaiters waiters = new AppliedIndexWaiters();
    private final AtomicLong reloads = new AtomicLong();
    private final AtomicLong snapshotsTaken = new AtomicLong();
    /** Raft index of the newest snapshot taken or loaded here, -1 if none (kept so status does no I/O). */
    private final AtomicLong snapshotIndex = new AtomicLong(RaftLog.INVALID_LOG_INDEX);

    /** Guarded by {@link #lock}. Replaced only when a snapshot is loaded. */
    private Ledger ledger = new Ledger();
    private volatile Applied applied = new Applied(0, -1, 0, new Ledger().stateHash());

    /** @param clockMillis the leader's clock for entry time stamps (injected: tests run clocks that disagree) */
    public LedgerStateMachine(LongSupplier clockMillis) {
        this.clockMillis = clockMillis;
    }

    // ---- lifecycle ---------------------------------------------------------------------------

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        getLifeCycle().startAndTransition(() -> {
            super.initialize(server, groupId, raftStorage);
            storage.init(raftStorage);
            load(storage.getLatestSnapshot());
        });
    }

    /** Ratis pauses the state machine right before it swaps in an installed snapshot. */
    @Override
    public void pause() {
        lock.lock();
        try {
            if (getLifeCycle().getCurrentState() == LifeCycle.State.RUNNING) {
                getLifeCycle().transition(LifeCycle.State.PAUSING);
                getLifeCycle().transition(LifeCycle.State.PAUSED);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Reloads from the newest snapshot on disk: after the leader installed one, or on resume. */
    @Override
    public void reinitialize() throws IOException {
        lock.lock();
        try {
            getLifeCycle().compareAndTransition(LifeCycle.State.PAUSED, LifeCycle.State.STARTING);
            load(storage.loadLatestSnapshot());
            reloads.incrementAndGet();
            getLifeCycle().compareAndTransition(LifeCycle.State.STARTING, LifeCycle.State.RUNNING);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public void close() throws IOException {
        waiters.close(new ReplicaUnavailableException("the state machine is closed", false, null));
        getLifeCycle().checkStateAndClose();
    }

    // ---- the log -----------------------------------------------------------------------------

    /**
     * Leader only: turns a client's proposal into a log entry. Refuses (with an exception the client
     * receives as a StateMachineException) anything that does not decode or has the wrong shape; the
     * submitter checks the same before sending, so this only catches foreign or corrupt clients.
     */
    @Override
    public TransactionContext startTransaction(RaftClientRequest request) {
        byte[] message = request.getMessage().getContent().toByteArray();
        try {
            ClientMessages.Proposal proposal = ClientMessages.decodeProposal(message);
            Optional<FieldError> shape = CommandValidator.validate(proposal.command());
            if (shape.isPresent()) {
                throw new CodecException("malformed command: " + shape.get().field() + ": " + shape.get().message());
            }
            byte[] entry = ClientMessages.logEntry(stamp(), message, proposal.commandOffset());
            return TransactionContext.newBuilder()
                    .setStateMachine(this)
                    .setClientRequest(request)
                    .setLogData(UnsafeByteOperations.unsafeWrap(entry))
                    .build();
        } catch (CodecException e) {
            TransactionContext refused = TransactionContext.newBuilder()
                    .setStateMachine(this)
                    .setClientRequest(request)
                    .build();
            refused.setException(new IllegalArgumentException("refused proposal: " + e.getMessage(), e));
            return refused;
        }
    }

    /** The leader's time for a new entry: never before the ledger's time or this leader's last stamp. */
    long stamp() {
        long floor = Math.max(clockMillis.getAsLong(), applied.nowMillis());
        return lastStampMillis.accumulateAndGet(floor, Math::max);
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        byte[] data = entry.getStateMachineLogEntry().getLogData().toByteArray();
        AppliedEntry result;
        lock.lock();
        try {
            // Throws only on a ledger invariant violation: that must stop this replica.
            result = ledger.apply(entry.getIndex(), data);
            updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
            applied = new Applied(result.index(), entry.getIndex(), ledger.nowMillis(), result.stateHash());
        } finally {
            lock.unlock();
        }
        waiters.advance(entry.getIndex());
        return CompletableFuture.completedFuture(Message.valueOf(UnsafeByteOperations.unsafeWrap(result.resultBytes())));
    }

    /** Raft's own entries (configuration, no-ops) advance the applied index without touching the ledger. */
    @Override
    public void notifyTermIndexUpdated(long term, long index) {
        lock.lock();
        try {
            updateLastAppliedTermIndex(term, index);
            Applied last = applied;
            applied = new Applied(last.ledgerIndex(), index, last.nowMillis(), last.stateHash());
        } finally {
            lock.unlock();
        }
        waiters.advance(index);
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId member, RaftPeerId newLeaderId) {
        LOG.info("{}: leader is now {}", member, newLeaderId);
    }

    /** Serves the one query kind: this replica's applied Raft index, the step after ReadIndex. */
    @Override
    public CompletableFuture<Message> query(Message request) {
        try {
            int kind = ClientMessages.decodeQueryKind(request.getContent().toByteArray());
            if (kind != ClientMessages.QUERY_APPLIED_INDEX) {
                return CompletableFuture.failedFuture(new IllegalArgumentException("unknown query kind " + kind));
            }
            long index = getLastAppliedTermIndex().getIndex();
            return CompletableFuture.completedFuture(Message.valueOf(
                    UnsafeByteOperations.unsafeWrap(ClientMessages.appliedIndexReply(index))));
        } catch (CodecException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("refused query: " + e.getMessage(), e));
        }
    }

    // ---- snapshots ---------------------------------------------------------------------------

    /**
     * Writes the ledger's snapshot labelled with the last applied Raft term and index (taken together
     * under the lock, so the label and the content agree). Called by Ratis when the log passes the
     * auto-trigger threshold, on stop, and on an admin request.
     */
    @Override
    public long takeSnapshot() throws IOException {
        byte[] bytes;
        TermIndex last;
        lock.lock();
        try {
            last = getLastAppliedTermIndex();
            if (last == null || last.getIndex() < 0) {
                return RaftLog.INVALID_LOG_INDEX;
            }
            bytes = ledger.snapshot();
        } finally {
            lock.unlock();
        }
        File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
        // The digest of the bytes in hand, not of the file read back: same value, one pass less over 50+ MB.
        MD5Hash md5 = md5(bytes);
        writeAtomically(file.toPath(), bytes);
        MD5FileUtil.saveMD5File(file, md5);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), last));
        snapshotIndex.accumulateAndGet(last.getIndex(), Math::max);
        snapshotsTaken.incrementAndGet();
        LOG.info("{}: snapshot at {} ({} bytes)", getId(), last, bytes.length);
        return last.getIndex();
    }

    private static MD5Hash md5(byte[] bytes) {
        return MD5Hash.newInstance(MD5FileUtil.newMD5().digest(bytes));
    }

    private static void writeAtomically(Path target, byte[] bytes) throws IOException {
        // The temporary name must not match Ratis' snapshot file pattern (snapshot.<term>_<index>).
        Path tmp = target.resolveSibling(target.getFileName() + ".writing");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Replaces the ledger with a snapshot's (none: a fresh ledger). A corrupt snapshot stops the start. */
    private void load(SingleFileSnapshotInfo snapshot) throws IOException {
        lock.lock();
        try {
            if (snapshot == null) {
                LOG.info("{}: no snapshot, starting from an empty ledger", getId());
                return;
            }
            Path path = snapshot.getFile().getPath();
            long started = System.nanoTime();
            byte[] bytes = Files.readAllBytes(path);
            long read = System.nanoTime();
            // Ratis hands over the digest from the .md5 file; comparing it with that same file (what
            // MD5FileUtil.verifySavedMD5 does) checks nothing, so check the content that was read.
            MD5Hash expected = snapshot.getFile().getFileDigest();
            if (expected != null && !expected.equals(md5(bytes))) {
                throw new IOException("snapshot " + path + " does not match its MD5 file: it is corrupt");
            }
            long checked = System.nanoTime();
            Ledger restored;
            try {
                restored = Ledger.restore(bytes);
            } catch (CodecException e) {
                throw new IOException("snapshot " + path + " is corrupt: " + e.getMessage(), e);
            }
            long decoded = System.nanoTime();
            ledger = restored;
            snapshotIndex.set(snapshot.getIndex());
            setLastAppliedTermIndex(snapshot.getTermIndex());
            applied = new Applied(restored.appliedIndex(), snapshot.getIndex(), restored.nowMillis(),
                    restored.stateHash());
            LOG.info("{}: loaded snapshot {} (ledger index {}, state hash {}): {} bytes read in {} ms, MD5 checked in {} ms, "
                    + "restored in {} ms", getId(), snapshot.getTermIndex(), restored.appliedIndex(),
                    restored.stateHashHex(), bytes.length, (read - started) / 1_000_000, (checked - read) / 1_000_000,
                    (decoded - checked) / 1_000_000);
        } finally {
            lock.unlock();
        }
        waiters.advance(snapshot.getIndex());
    }

    // ---- reads -------------------------------------------------------------------------------

    /** Runs {@code reader} against the applied state, between two entries. */
    public <T> Indexed<T> read(Function<LedgerViews, T> reader) {
        lock.lock();
        try {
            return new Indexed<>(reader.apply(ledger.views()), ledger.appliedIndex());
        } finally {
            lock.unlock();
        }
    }

    /** The dry run of an admission against the applied state. */
    public Indexed<Result> check(Admit admit) {
        lock.lock();
        try {
            return new Indexed<>(ledger.check(admit), ledger.appliedIndex());
        } finally {
            lock.unlock();
        }
    }

    public Indexed<Policy> policy() {
        lock.lock();
        try {
            return new Indexed<>(ledger.policy(), ledger.appliedIndex());
        } finally {
            lock.unlock();
        }
    }

    /** Recomputes the ledger's books from scratch (O(state)): for tests and audits. */
    public void verifyBooks() {
        lock.lock();
        try {
            ledger.verifyBooks();
        } finally {
            lock.unlock();
        }
    }

    /** Completes once the Raft index {@code raftIndex} is applied here. */
    CompletableFuture<Void> awaitApplied(long raftIndex) {
        return waiters.await(raftIndex);
    }

    /** The last apply's index, time and hash, without taking the lock. */
    Applied applied() {
        return applied;
    }

    /** How many times the state was reloaded from a snapshot after start (installs from the leader). */
    long reloads() {
        return reloads.get();
    }

    long snapshotsTaken() {
        return snapshotsTaken.get();
    }

    /** The Raft index of the newest snapshot taken or loaded here, or -1. */
    long latestSnapshotIndex() {
        return snapshotIndex.get();
    }
}
