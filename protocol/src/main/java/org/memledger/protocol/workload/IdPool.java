package org.memledger.protocol.workload;

import java.util.ArrayList;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A set of ids with O(1) uniform random picks and O(log n) removal: a list for picking, an ordered
 * map from id to list position for removal (swap with the last element). The list order depends
 * only on the order of calls, so picks are reproducible from the seed.
 */
final class IdPool {
    private final ArrayList<String> ids = new ArrayList<>();
    private final TreeMap<String, Integer> positions = new TreeMap<>();

    boolean add(String id) {
        if (positions.containsKey(id)) {
            return false;
        }
        positions.put(id, ids.size());
        ids.add(id);
        return true;
    }

    boolean remove(String id) {
        Integer at = positions.remove(id);
        if (at == null) {
            return false;
        }
        String last = ids.remove(ids.size() - 1);
        if (!last.equals(id)) {
            ids.set(at, last);
            positions.put(last, at);
        }
        return true;
    }

    boolean contains(String id) {
        return positions.containsKey(id);
    }

    String pick(SplittableRandom random) {
        return ids.get(random.nextInt(ids.size()));
    }

    boolean isEmpty() {
        return ids.isEmpty();
    }

    int size() {
        return ids.size();
    }
}
