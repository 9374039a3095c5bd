package org.memledger.coordinator.ledger;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Seeded property tests of the ledger over generated logs ({@link org.memledger.protocol.workload.CommandSequence}):
 * one dynamic test per seed, each checking the DESIGN §8 invariants after every entry (see {@link SeedRun}).
 *
 * <p>Replay a failing seed exactly (the failure message prints this line):
 * <pre>
 *   mvn -B -o -pl protocol,coordinator verify -Dtest=LedgerPropertiesTest \
 *       -Dsurefire.failIfNoSpecifiedTests=false -Dmemledger.seed=N
 * </pre>
 * The default run is ten seeds, two per workload family: 15 to 45 s on a shared 2-core machine, depending
 * on its load. Explore more with {@code -Dmemledger.seeds=500 -Dmemledger.firstSeed=1000}; see {@link SeedPlan}.
 * Every seed that ever failed becomes a named test in {@link LedgerRegressionTest}.
 */
class LedgerPropertiesTest {

    @TestFactory
    Stream<DynamicTest> invariantsHoldAfterEveryEntry() {
        return SeedPlan.seeds().stream().map(seed -> {
            SeedPlan.Workload workload = SeedPlan.workloadFor(seed);
            String name = "seed=" + seed + " " + workload.name() + " (" + workload.shape().nodeCount() + " nodes, "
                    + workload.entries() + " entries)";
            return dynamicTest(name, () -> {
                SeedRun.Stats stats = new SeedRun(seed).run();
                System.out.println("memledger property seed=" + seed + " " + workload.name() + ": " + stats);
            });
        });
    }
}
