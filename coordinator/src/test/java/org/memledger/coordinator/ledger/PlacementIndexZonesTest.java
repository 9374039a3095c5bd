package org.memledger.coordinator.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/**
 * Zone spread over the one placement ordering: under random churn, with few zones, with many, and
 * with more zones than the block summaries have slots (so zones share one), every spread choice and
 * every k-th largest zone key is compared with a brute-force answer over all filed nodes.
 */
class PlacementIndexZonesTest {

    @Test
    void fewZones() {
        churn(3, 1);
    }

    @Test
    void manyZones() {
        churn(40, 2);
    }

    @Test
    void moreZonesThanSlots() {
        churn(150, 3);
    }

    /** Zones come and go: a zone that loses its last node frees its slot for the next new zone. */
    @Test
    void slotsAreReusedAsZonesEmpty() {
        churn(KeyOrderedNodes.ZONE_SLOTS + 10, 4, 0.5);
    }

    private static void churn(int zones, long seed) {
        churn(zones, seed, 0.05);
    }

    private static void churn(int zones, long seed, double removeShare) {
        SplittableRandom random = new SplittableRandom(seed);
        NodeRoster roster = new NodeRoster();
        PlacementIndex index = new PlacementIndex(roster);
        TreeSet<NodeRecord> model = new TreeSet<>(KeyOrderedNodesTest.BY_KEY_THEN_ID);
        TreeMap<String, NodeRecord> byId = new TreeMap<>();
        List<NodeRecord> filed = new ArrayList<>();
        List<NodeRecord> unfiled = new ArrayList<>();
        for (int i = 0; i < 900; i++) {
            NodeRecord node = new NodeRecord(String.format("node-%04d", i));
            roster.enroll(node);
            byId.put(node.nodeId, node);
            unfiled.add(node);
        }
        long rank = 0;
        for (NodeRecord node : byId.values()) {
            node.idRank = rank += 1L << 32;
        }
        for (int step = 0; step < 6_000; step++) {
            double op = random.nextDouble();
            if ((filed.size() < 200 || op < 0.15) && !unfiled.isEmpty()) {
                NodeRecord node = unfiled.remove(random.nextInt(unfiled.size()));
                node.zone = "zone-" + random.nextInt(zones);
                index.add(node, random.nextInt(400));
                model.add(node);
                filed.add(node);
            } else if (op < 0.15 + removeShare && !filed.isEmpty()) {
                NodeRecord node = filed.remove(random.nextInt(filed.size()));
                model.remove(node);
                index.remove(node);
                unfiled.add(node);
            } else if (!filed.isEmpty()) {
                NodeRecord node = filed.get(random.nextInt(filed.size()));
                model.remove(node);
                index.move(node, Math.max(0, node.indexKey + random.nextInt(-40, 41)));
                model.add(node);
            }
            if (step % 7 == 0) {
                long minKey = random.nextInt(-10, 420);
                int k = 1 + random.nextInt(Math.min(zones, 6));
                NodeRecord[] exclude = randomExclude(random, filed);
                assertThat(index.bestFitSpread(minKey, k, exclude))
                        .as("seed %d step %d: spread of %d from key %d", seed, step, k, minKey)
                        .containsExactlyElementsOf(expectedSpread(model, minKey, k, exclude));
                int kth = 1 + random.nextInt(zones + 1);
                assertThat(index.kthLargestZoneKey(kth)).as("seed %d step %d: k-th largest zone key, k %d", seed, step, kth)
                        .isEqualTo(expectedKthLargestZoneKey(model, kth));
            }
            if (step % 250 == 0) {
                assertThat(index.isConsistent()).as("seed %d step %d", seed, step).isTrue();
            }
        }
        assertThat(index.isConsistent()).isTrue();
        assertThat(index.zoneCount()).isEqualTo(zonesOf(model).size());
    }

    private static NodeRecord[] randomExclude(SplittableRandom random, List<NodeRecord> filed) {
        int count = filed.isEmpty() ? 0 : random.nextInt(3);
        NodeRecord[] exclude = new NodeRecord[count];
        for (int i = 0; i < count; i++) {
            exclude[i] = filed.get(random.nextInt(filed.size()));
        }
        return exclude;
    }

    /** Each zone's first node with key ≥ minKey, zones of {@code exclude} left out, the k best of those. */
    private static List<NodeRecord> expectedSpread(TreeSet<NodeRecord> model, long minKey, int k, NodeRecord[] exclude) {
        TreeMap<String, NodeRecord> bestOfZone = new TreeMap<>();
        for (NodeRecord node : model) {
            if (node.indexKey >= minKey && !excluded(node.zone, exclude)) {
                bestOfZone.putIfAbsent(node.zone, node);
            }
        }
        List<NodeRecord> best = new ArrayList<>(bestOfZone.values());
        best.sort(KeyOrderedNodesTest.BY_KEY_THEN_ID);
        return best.subList(0, Math.min(k, best.size()));
    }

    private static boolean excluded(String zone, NodeRecord[] exclude) {
        for (NodeRecord node : exclude) {
            if (node.zone.equals(zone)) {
                return true;
            }
        }
        return false;
    }

    private static long expectedKthLargestZoneKey(TreeSet<NodeRecord> model, int k) {
        TreeMap<String, Long> largest = new TreeMap<>();
        for (NodeRecord node : model) {
            largest.merge(node.zone, node.indexKey, Math::max);
        }
        List<Long> maxima = new ArrayList<>(largest.values());
        maxima.sort(null);
        return maxima.size() < k ? Long.MIN_VALUE : maxima.get(maxima.size() - k);
    }

    private static TreeSet<String> zonesOf(TreeSet<NodeRecord> model) {
        TreeSet<String> zones = new TreeSet<>();
        for (NodeRecord node : model) {
            zones.add(node.zone);
        }
        return zones;
    }
}
