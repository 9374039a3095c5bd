package org.memledger.coordinator.ledger;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * Best-fit placement (DESIGN §3.3) by brute force over a list of candidates: the reference the
 * ledger's ordered placement index is compared with. O(n log n) per decision, which is fine in tests.
 */
final class BestFitModel {
    private static final Comparator<Candidate> ORDER =
            Comparator.comparingLong(Candidate::admissibleBytes).thenComparing(Candidate::nodeId);

    private BestFitModel() {
    }

    /** An admitting node as the decision saw it. */
    record Candidate(String nodeId, String zone, long admissibleBytes) {
    }

    /**
     * The nodes best fit chooses for {@code firmBytes} on {@code k} nodes, in placement order: the k
     * smallest admissible ≥ firm (ties by node id); with zone spread, first the best such node of
     * each zone, then the k best of those. Fewer than k when no placement exists.
     */
    static List<String> choose(List<Candidate> candidates, long firmBytes, int k, boolean zoneSpread) {
        List<Candidate> fitting = new ArrayList<>();
        for (Candidate c : candidates) {
            if (c.admissibleBytes() >= firmBytes) {
                fitting.add(c);
            }
        }
        fitting.sort(ORDER);
        if (zoneSpread) {
            TreeMap<String, Candidate> bestOfZone = new TreeMap<>();
            for (Candidate c : fitting) {
                bestOfZone.putIfAbsent(c.zone(), c);
            }
            fitting = new ArrayList<>(bestOfZone.values());
            fitting.sort(ORDER);
        }
        List<String> chosen = new ArrayList<>();
        for (int i = 0; i < Math.min(k, fitting.size()); i++) {
            chosen.add(fitting.get(i).nodeId());
        }
        return chosen;
    }

    /** How many distinct nodes (or zones, with spread) admit at all: decides NO_ELIGIBLE_NODES. */
    static int eligible(List<Candidate> candidates, boolean zoneSpread) {
        if (!zoneSpread) {
            return candidates.size();
        }
        TreeMap<String, Boolean> zones = new TreeMap<>();
        for (Candidate c : candidates) {
            zones.put(c.zone(), Boolean.TRUE);
        }
        return zones.size();
    }
}
