package org.memledger.coordinator.raft;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that runs with the system clock plus an offset the test can change (to put a replica ahead or behind). */
final class MutableClock extends Clock {
    private final AtomicLong offsetMillis = new AtomicLong();

    void setOffsetMillis(long offset) {
        offsetMillis.set(offset);
    }

    @Override
    public long millis() {
        return System.currentTimeMillis() + offsetMillis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("tests use UTC");
    }
}
