package org.memledger.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Thread-safe latency recording (HdrHistogram, 1 µs to 60 s, 3 significant digits) and its summary. */
final class Latency {
    private final Recorder recorder = new Recorder(60_000_000L, 3);

    void recordNanos(long nanos) {
        recorder.recordValue(Math.max(1, Math.min(60_000_000L, nanos / 1_000)));
    }

    /** The values recorded since the last call (and resets). */
    Histogram take() {
        return recorder.getIntervalHistogram();
    }

    static String ms(Histogram h, double percentile) {
        return String.format("%.2f", h.getValueAtPercentile(percentile) / 1_000.0);
    }
}
