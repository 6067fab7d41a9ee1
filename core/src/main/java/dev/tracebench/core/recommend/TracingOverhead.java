package dev.tracebench.core.recommend;

import java.util.List;

/**
 * What tracing costs: span volume, bytes and attribute weight per service, stage and operation, and which spans could
 * be sampled away.
 *
 * @param spans  all spans in the window
 * @param bytes  their estimated encoded size (OTLP protobuf)
 * @param rows   per service, stage and operation, heaviest first
 */
public record TracingOverhead(long spans, long bytes, List<Row> rows) {

    public TracingOverhead {
        rows = List.copyOf(rows);
    }

    /**
     * @param attributeBytes    the part of {@code bytes} that is attribute keys and values
     * @param samplingCandidate whether these spans never matter (always fast, never on a critical path that explains
     *                          anything)
     * @param reason            why it is (or is not) a candidate, in words
     */
    public record Row(String service, String stage, String operation, long spans, long bytes, long attributeBytes,
            boolean samplingCandidate, String reason) {
    }
}
