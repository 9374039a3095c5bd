package org.memledger.protocol;

import java.util.List;

/** One result per command of a {@link Batch}, in the same order. */
public record BatchResult(List<Result> results) implements Result {
    public BatchResult {
        results = List.copyOf(results);
    }

    @Override
    public ResultKind kind() {
        return ResultKind.BATCH;
    }
}
