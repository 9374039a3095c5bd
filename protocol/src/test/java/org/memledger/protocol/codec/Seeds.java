package org.memledger.protocol.codec;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.function.Executable;

/**
 * Seeded property tests: one dynamic test per seed, named after it, and a failure message that says
 * how to run that seed alone ({@code -Dmemledger.seed=N}), so a failure found once replays exactly.
 */
final class Seeds {
    static final String PROPERTY = "memledger.seed";

    private Seeds() {
    }

    /** Seeds 1..count, or only the seed named by {@code -Dmemledger.seed}. */
    static List<Long> seeds(int count) {
        String only = System.getProperty(PROPERTY);
        if (only != null && !only.isBlank()) {
            return List.of(Long.parseLong(only.trim()));
        }
        return LongStream.rangeClosed(1, count).boxed().collect(Collectors.toList());
    }

    static String replay(long seed) {
        return "replay with -D" + PROPERTY + "=" + seed;
    }

    /** A dynamic test per seed whose failures, of any kind, carry the replay hint. */
    static Stream<DynamicTest> each(String name, int count, SeededBody body) {
        return seeds(count).stream().map(seed -> DynamicTest.dynamicTest(name + " seed " + seed, run(seed, body)));
    }

    private static Executable run(long seed, SeededBody body) {
        return () -> {
            try {
                body.run(seed);
            } catch (Throwable t) {
                throw new AssertionError("seed " + seed + " failed (" + replay(seed) + "): " + t.getMessage(), t);
            }
        };
    }

    @FunctionalInterface
    interface SeededBody {
        void run(long seed) throws Throwable;
    }
}
