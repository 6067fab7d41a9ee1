package dev.tracebench.samples;

import java.io.IOException;
import java.util.List;

/** Writes batches of spans as one OTLP export request each (one line, or one length-prefixed message). */
interface RequestWriter {
    void write(List<GenSpan> spans) throws IOException;

    /** Spans are grouped by resource (service and version) then scope, in first-seen order. */
    static java.util.Map<String, java.util.Map<String, List<GenSpan>>> group(List<GenSpan> spans) {
        java.util.Map<String, java.util.Map<String, List<GenSpan>>> out = new java.util.LinkedHashMap<>();
        for (GenSpan s : spans) {
            out.computeIfAbsent(s.service + "\u0000" + s.serviceVersion, k -> new java.util.LinkedHashMap<>())
                    .computeIfAbsent(s.scope + "\u0000" + s.scopeVersion, k -> new java.util.ArrayList<>()).add(s);
        }
        return out;
    }
}
