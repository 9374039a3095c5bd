package org.memledger.protocol;

/**
 * Everything that can be written to the ledger's log. Commands are plain data: they carry
 * no time (the leader stamps time on the whole {@link LogEntry}) and no derived state.
 *
 * <p>The set is closed so that every consumer (ledger, codec, API) handles each command
 * explicitly with an exhaustive switch; adding a command is a deliberate, visible change.
 */
public sealed interface Command
        permits RegisterNode, ReportNode, Admit, Release, SetPolicy, DrainNode, RemoveNode, Tick, Batch {

    /** The command's kind, for exhaustive switches and as its wire tag. */
    CommandKind kind();
}
