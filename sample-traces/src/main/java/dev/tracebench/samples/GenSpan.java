package dev.tracebench.samples;

import java.util.ArrayList;
import java.util.List;

/** A span being generated: plain mutable data, written out by the OTLP writers. */
final class GenSpan {
    /** A typed attribute value: String, Long, Integer, Double, Boolean, or a List of those. */
    record Attr(String key, Object value) {
    }

    record Event(long timeNs, String name, List<Attr> attrs) {
    }

    record Link(long traceHi, long traceLo, long spanId, List<Attr> attrs) {
    }

    static final int INTERNAL = 1;
    static final int SERVER = 2;
    static final int CLIENT = 3;

    long traceHi;
    long traceLo;
    long spanId;
    long parentId; // 0 = root
    String name;
    int kind;
    long startNs;
    long endNs;
    String service;
    String serviceVersion;
    String scope;
    String scopeVersion;
    int status; // 0 unset, 1 ok, 2 error
    String statusMessage;
    final List<Attr> attrs = new ArrayList<>();
    final List<Event> events = new ArrayList<>();
    final List<Link> links = new ArrayList<>();

    GenSpan attr(String key, Object value) {
        if (value != null) {
            attrs.add(new Attr(key, value));
        }
        return this;
    }

    /** The value of the attribute {@code key} set on this span, or null. */
    Object valueOf(String key) {
        for (Attr a : attrs) {
            if (a.key().equals(key)) {
                return a.value();
            }
        }
        return null;
    }

    GenSpan end(long endNs) {
        this.endNs = endNs;
        return this;
    }

    long durationNs() {
        return endNs - startNs;
    }

    /** Marks the span failed with an exception event at its end, the way OTel SDKs record exceptions. */
    GenSpan fail(String type, String message) {
        status = 2;
        statusMessage = message;
        events.add(new Event(endNs, "exception", List.of(new Attr("exception.type", type),
                new Attr("exception.message", message), new Attr("exception.escaped", false),
                new Attr("exception.stacktrace", "Traceback (most recent call last):\n  File \"" + service
                        + "/handlers.py\", line 214, in handle\n    result = await call()\n" + type + ": "
                        + message))));
        return this;
    }

    String traceHex() {
        return OtlpJsonWriter.hex(traceHi) + OtlpJsonWriter.hex(traceLo);
    }

    String spanHex() {
        return OtlpJsonWriter.hex(spanId);
    }
}
