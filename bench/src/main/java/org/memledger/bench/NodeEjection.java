package org.memledger.bench;

import org.memledger.coordinator.ledger.AppliedEntry;
import org.memledger.coordinator.ledger.Ledger;
import org.memledger.protocol.LogEntry;
import org.memledger.protocol.NodeView;
import org.memledger.protocol.RemoveNode;
import org.memledger.protocol.ResultKind;

/**
 * What ejecting one node costs the apply thread on a loaded cell ({@link Workload}: 10,000 nodes,
 * 1,000,004 live deployments). Nodes keep no list of what they host, so a {@code RemoveNode} scans
 * the whole deployment book to find its deployments, then re-places each; this prints the wall time
 * of each ejection's apply with the number of deployments it re-placed. Every ejection must be
 * acknowledged and the population must not change (re-placement keeps every deployment live).
 *
 * <pre>java -Xmx4g -XX:+UseG1GC -cp bench/target/benchmarks.jar org.memledger.bench.NodeEjection [--nodes 5]</pre>
 */
public final class NodeEjection {
    private NodeEjection() {
    }

    public static void main(String[] args) {
        int ejections = 5;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--nodes" -> ejections = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        System.out.printf("cores=%d maxHeap=%dMiB load1=%s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, BenchCluster.load());
        LedgerFixture fixture = new LedgerFixture().withNodes().withPopulation(new Workload());
        Ledger ledger = fixture.ledger;
        int population = ledger.deploymentCount();
        System.out.printf("built %,d deployments on %,d nodes%n", population, Workload.NODES);
        int ejected = 0;
        // Walk the nodes from the fullest down: those host the most deployments, the worst case to re-place.
        for (NodeView node : ledger.views().nodes().stream()
                .sorted((a, b) -> Long.compare(b.hostedDeployments(), a.hostedDeployments())).toList()) {
            if (ejected == ejections) {
                break;
            }
            long started = System.nanoTime();
            AppliedEntry applied = ledger.apply(fixture.nextIndex(),
                    new LogEntry(Workload.CHURN_MILLIS, new RemoveNode(node.nodeId())));
            long micros = (System.nanoTime() - started) / 1_000;
            if (applied.result().kind() != ResultKind.ACK || ledger.deploymentCount() != population) {
                throw new IllegalStateException("ejecting " + node.nodeId() + " gave " + applied.result()
                        + " with " + ledger.deploymentCount() + " deployments live");
            }
            System.out.printf("ejected %s: %,d deployments re-placed, apply took %,.1f ms, load1=%s%n", node.nodeId(),
                    node.hostedDeployments(), micros / 1_000.0, BenchCluster.load());
            ejected++;
        }
        ledger.verifyBooks();
        System.out.println("books audited after the ejections");
    }
}
