package org.memledger.protocol.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.memledger.protocol.Ack;
import org.memledger.protocol.Admit;
import org.memledger.protocol.Admitted;
import org.memledger.protocol.Batch;
import org.memledger.protocol.BatchResult;
import org.memledger.protocol.Command;
import org.memledger.protocol.CommandKind;
import org.memledger.protocol.DrainNode;
import org.memledger.protocol.ErrorCode;
import org.memledger.protocol.Ignored;
import org.memledger.protocol.Invalid;
import org.memledger.protocol.LogEntry;
import org.memledger.protocol.Policy;
import org.memledger.protocol.RegisterNode;
import org.memledger.protocol.RejectReason;
import org.memledger.protocol.Rejected;
import org.memledger.protocol.Release;
import org.memledger.protocol.Released;
import org.memledger.protocol.RemoveNode;
import org.memledger.protocol.Replicas;
import org.memledger.protocol.ReportNode;
import org.memledger.protocol.ReserveMode;
import org.memledger.protocol.Result;
import org.memledger.protocol.ResultKind;
import org.memledger.protocol.SetPolicy;
import org.memledger.protocol.Tick;

/**
 * Seeded generator of every command and result kind, biased towards the values codecs get wrong:
 * extreme and negative longs, nulls where allowed, empty maps and lists, empty and non-ASCII strings
 * (including characters outside the BMP), and batches of mixed kinds. Deliberately produces
 * malformed-but-constructible values (negative sizes, negative replica counts) because the codec
 * must carry them to the validator unchanged.
 */
final class RandomProtocol {
    private static final long[] EDGE_LONGS = {
        0, 1, -1, 63, 64, -64, -65, 127, 128, 255, 256, 16_383, 16_384, Integer.MAX_VALUE, Integer.MIN_VALUE,
        1L << 32, (1L << 62) - 1, 1L << 62, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE + 1
    };
    private static final int[] EDGE_INTS = {0, 1, -1, 63, 64, -64, -65, 127, 128, Integer.MAX_VALUE, Integer.MIN_VALUE};
    private static final String[] WORDS = {
        "", "n1", "node-0001", "alice", "zone.a", "z_1", "ünïcödé", "日本語", "emoji-😀", "𝄞 clef",
        "mixed é😀x",
        "nul\u0000inside", "tab\tand\nnewline", "\u07FF\u0800\uFFFD\uD7FF\uE000", "ASCII only string with spaces"
    };
    private static final CommandKind[] COMMAND_KINDS = CommandKind.values();
    private static final ResultKind[] RESULT_KINDS = ResultKind.values();

    private final SplittableRandom random;

    RandomProtocol(long seed) {
        this.random = new SplittableRandom(seed);
    }

    LogEntry logEntry() {
        return new LogEntry(anyLong(), command(true));
    }

    Command command(boolean batchAllowed) {
        CommandKind kind;
        do {
            kind = COMMAND_KINDS[random.nextInt(COMMAND_KINDS.length)];
        } while (kind == CommandKind.BATCH && !batchAllowed);
        switch (kind) {
            case REGISTER_NODE:
                return new RegisterNode(string(), string(), string(), stringMap(), anyLong());
            case REPORT_NODE:
                return new ReportNode(string(), anyLong(), anyLong(), anyLong(), anyLong(), longMap());
            case ADMIT:
                return new Admit(string(), string(), nullableLong(), nullableLong(), replicas(), random.nextBoolean(),
                        anyInt());
            case RELEASE:
                return new Release(string());
            case SET_POLICY:
                return new SetPolicy(policy());
            case DRAIN_NODE:
                return new DrainNode(string());
            case REMOVE_NODE:
                return new RemoveNode(string());
            case TICK:
                return new Tick();
            case BATCH:
                List<Command> commands = new ArrayList<>();
                int size = random.nextInt(4) == 0 ? 0 : random.nextInt(1, 20);
                for (int i = 0; i < size; i++) {
                    commands.add(command(false));
                }
                return new Batch(commands);
            default:
                throw new AssertionError(kind);
        }
    }

    Result result(boolean batchAllowed) {
        ResultKind kind;
        do {
            kind = RESULT_KINDS[random.nextInt(RESULT_KINDS.length)];
        } while (kind == ResultKind.BATCH && !batchAllowed);
        switch (kind) {
            case ADMITTED:
                return new Admitted(string(), stringList(), anyLong(), anyLong(), random.nextBoolean());
            case REJECTED:
                return new Rejected(string(), pick(RejectReason.values()), string(), anyLong());
            case RELEASED:
                return new Released(string(), anyLong());
            case ACK:
                return new Ack();
            case IGNORED:
                return new Ignored(string());
            case INVALID:
                return new Invalid(pick(ErrorCode.values()), string(), string());
            case BATCH:
                List<Result> results = new ArrayList<>();
                int size = random.nextInt(4) == 0 ? 0 : random.nextInt(1, 20);
                for (int i = 0; i < size; i++) {
                    results.add(result(false));
                }
                return new BatchResult(results);
            default:
                throw new AssertionError(kind);
        }
    }

    Policy policy() {
        if (random.nextInt(4) == 0) {
            return Policy.defaults();
        }
        return new Policy(anyLong(), anyInt(), anyLong(), anyInt(), pick(ReserveMode.values()), anyLong(), anyLong(),
                anyLong(), anyLong(), anyLong(), anyInt(), anyInt(), nullableLong(), longMap());
    }

    long anyLong() {
        switch (random.nextInt(4)) {
            case 0:
                return EDGE_LONGS[random.nextInt(EDGE_LONGS.length)];
            case 1:
                return random.nextLong(-1000, 1000);
            case 2:
                return random.nextLong() >> random.nextInt(64);
            default:
                return random.nextLong();
        }
    }

    int anyInt() {
        switch (random.nextInt(3)) {
            case 0:
                return EDGE_INTS[random.nextInt(EDGE_INTS.length)];
            case 1:
                return random.nextInt(-100, 100);
            default:
                return random.nextInt();
        }
    }

    Long nullableLong() {
        return random.nextInt(3) == 0 ? null : anyLong();
    }

    Replicas replicas() {
        return random.nextInt(3) == 0 ? Replicas.ALL : Replicas.of(anyInt());
    }

    String string() {
        switch (random.nextInt(4)) {
            case 0:
                return WORDS[random.nextInt(WORDS.length)];
            case 1:
                return "id-" + random.nextInt(1000);
            case 2:
                return codePoints(random.nextInt(0, 40));
            default:
                return codePoints(random.nextInt(0, 300));
        }
    }

    /** Valid UTF-16 only: the format refuses unpaired surrogates (they have no UTF-8 form). */
    private String codePoints(int count) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < count; i++) {
            int codePoint;
            switch (random.nextInt(5)) {
                case 0:
                case 1:
                    codePoint = random.nextInt(0, 0x80);
                    break;
                case 2:
                    codePoint = random.nextInt(0x80, 0x800);
                    break;
                case 3:
                    codePoint = random.nextInt(0x800, 0x10000);
                    break;
                default:
                    codePoint = random.nextInt(0x10000, Character.MAX_CODE_POINT + 1);
                    break;
            }
            if (Character.isSurrogate((char) codePoint) && codePoint < 0x10000) {
                codePoint = 'x';
            }
            s.appendCodePoint(codePoint);
        }
        return s.toString();
    }

    List<String> stringList() {
        int size = random.nextInt(3) == 0 ? 0 : random.nextInt(1, 8);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            values.add(string());
        }
        return values;
    }

    TreeMap<String, String> stringMap() {
        int size = random.nextInt(3) == 0 ? 0 : random.nextInt(1, 10);
        TreeMap<String, String> map = new TreeMap<>();
        for (int i = 0; i < size; i++) {
            map.put(string(), string());
        }
        return map;
    }

    TreeMap<String, Long> longMap() {
        int size = random.nextInt(3) == 0 ? 0 : random.nextInt(1, 10);
        TreeMap<String, Long> map = new TreeMap<>();
        for (int i = 0; i < size; i++) {
            map.put(string(), anyLong());
        }
        return map;
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }
}
