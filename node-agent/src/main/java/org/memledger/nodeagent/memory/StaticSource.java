package org.memledger.nodeagent.memory;

import java.util.Objects;
import java.util.SortedMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Figures set by hand: for tests, the simulator, and {@code --memory-source static:16GiB,10GiB}
 * on machines whose kernel figures should not be used. Thread-safe: one thread may change the
 * figures while the agent's thread reads them, and every read sees one whole reading.
 */
public final class StaticSource implements MemorySource {
    private final AtomicReference<MemoryReading> reading;

    public StaticSource(long physicalBytes, long availableBytes) {
        this(MemoryReading.of(physicalBytes, availableBytes));
    }

    public StaticSource(MemoryReading reading) {
        this.reading = new AtomicReference<>(Objects.requireNonNull(reading, "reading"));
    }

    @Override
    public MemoryReading read() {
        return reading.get();
    }

    @Override
    public String describe() {
        return "static";
    }

    /** Replaces the whole reading. */
    public void set(MemoryReading next) {
        reading.set(Objects.requireNonNull(next, "reading"));
    }

    /**
     * Changes the node figures and keeps the deployment usage.
     *
     * @throws IllegalArgumentException when the figures are not a valid reading (nothing changes)
     */
    public void set(long physicalBytes, long availableBytes) {
        reading.updateAndGet(r -> new MemoryReading(physicalBytes, availableBytes, r.deploymentUsage()));
    }

    /** Changes the deployment usage and keeps the node figures. */
    public void setDeploymentUsage(SortedMap<String, Long> usage) {
        reading.updateAndGet(r -> r.withDeploymentUsage(usage));
    }
}
