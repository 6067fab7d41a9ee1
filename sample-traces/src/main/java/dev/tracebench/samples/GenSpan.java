package dev.tracebench.samples;

import java.util.ArrayList;
import java.util.List;

/** A span being generated: plain mutable data, written out by {@link OtlpJsonWriter}. */
final class GenSpan {
    /** A typed attribute value: String, Long, Double, Boolean, or List of those. */
    record Attr(String key, Object value) {
    }

    record Event(long timeNs, String name, List<Attr> attrs) {
    }

    record Link(long traceHi, long traceLo, long spanId, List<Attr> attrs) {
    }

    long traceHi;
    long traceLo;
    long spanId;
    long parentId; // 0 = root
    String name;
    int kind;
    long startNs;
    long endNs;
    String service;
    String scope;
    String scopeVersion;
    int status; // 0 unset, 1 ok, 2 error
    String statusMessage;
    final List<Attr> attrs = new ArrayList<>();
    final List<Event> events = new ArrayList<>();
    final List<Link> links = new ArrayList<>();

    GenSpan attr(String key, Object value) {
        attrs.add(new Attr(key, value));
        return this;
    }
}
