package org.memledger.coordinator.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.memledger.coordinator.ledger.AppliedEntry;
import org.memledger.coordinator.ledger.Ledger;
import org.memledger.protocol.Command;

/**
 * A {@link CommandSubmitter.Proposer} without Raft: applies each proposal to a real ledger, in
 * proposal order, and records what it was asked. While {@link #hold()} is in effect, proposals wait
 * until {@link #release()}, which models a slow log.
 */
final class LedgerProposer implements CommandSubmitter.Proposer {
    private final Ledger ledger = new Ledger();
    private final List<Command> proposed = new ArrayList<>();
    private final List<Long> deadlines = new ArrayList<>();
    private final List<Runnable> held = new ArrayList<>();
    private boolean holding;
    private boolean never;
    private long index;

    @Override
    public synchronized CompletableFuture<byte[]> propose(byte[] proposal, long deadlineMillis) {
        ClientMessages.Proposal decoded = ClientMessages.decodeProposal(proposal);
        proposed.add(decoded.command());
        deadlines.add(deadlineMillis);
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        if (never) {
            return reply;
        }
        byte[] entry = ClientMessages.logEntry(1_000_000 + index, proposal, decoded.commandOffset());
        Runnable apply = () -> reply.complete(applyNext(entry));
        if (holding) {
            held.add(apply);
        } else {
            apply.run();
        }
        return reply;
    }

    private synchronized byte[] applyNext(byte[] entry) {
        AppliedEntry applied = ledger.apply(++index, entry);
        ledger.verifyBooks();
        return applied.resultBytes();
    }

    /** Proposals from now on wait for {@link #release}. */
    synchronized void hold() {
        holding = true;
    }

    /** Answers every held proposal (in order) and stops holding. */
    void release() {
        List<Runnable> ready;
        synchronized (this) {
            holding = false;
            ready = new ArrayList<>(held);
            held.clear();
        }
        ready.forEach(Runnable::run);
    }

    /** Proposals from now on are never answered. */
    synchronized void neverAnswer() {
        never = true;
    }

    synchronized List<Command> proposed() {
        return new ArrayList<>(proposed);
    }

    synchronized List<Long> deadlines() {
        return new ArrayList<>(deadlines);
    }

    synchronized int proposals() {
        return proposed.size();
    }

    Ledger ledger() {
        return ledger;
    }
}
