package org.memledger.nodeagent;

/**
 * The agent's two clocks, injected so that tests drive time by hand.
 *
 * <p>Wall-clock time only feeds report sequence numbers (see {@link NodeAgent}); scheduling uses
 * monotonic time, so an NTP step backwards cannot silence a node for the size of the step.
 */
public interface AgentTime {
    /** Milliseconds since the epoch, as {@link System#currentTimeMillis()}. */
    long wallMillis();

    /** Milliseconds from an arbitrary origin that never goes backwards, as {@link System#nanoTime()}. */
    long monotonicMillis();

    /** The machine's clocks. */
    static AgentTime system() {
        return SystemTime.INSTANCE;
    }

    /** The real clocks; stateless. */
    enum SystemTime implements AgentTime {
        INSTANCE;

        @Override
        public long wallMillis() {
            return System.currentTimeMillis();
        }

        @Override
        public long monotonicMillis() {
            return System.nanoTime() / 1_000_000;
        }
    }
}
