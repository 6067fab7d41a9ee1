package dev.tracebench.core.model;

/** A 128-bit trace id as two longs (high and low 64 bits). */
public record TraceId(long hi, long lo) implements Comparable<TraceId> {

    public String hex() {
        return Ids.traceHex(hi, lo);
    }

    /** Parses 32 (or 16) hex digits; throws IllegalArgumentException naming the bad text. */
    public static TraceId fromHex(String s) {
        TraceId id = Ids.parseTraceId(s);
        if (id == null) {
            throw new IllegalArgumentException("not a trace id (expected 32 hex digits): " + s);
        }
        return id;
    }

    /** The canonical UUID form DuckDB stores trace ids in. */
    public java.util.UUID uuid() {
        return new java.util.UUID(hi, lo);
    }

    public static TraceId of(java.util.UUID u) {
        return new TraceId(u.getMostSignificantBits(), u.getLeastSignificantBits());
    }

    @Override
    public int compareTo(TraceId o) {
        int c = Long.compareUnsigned(hi, o.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
    }

    @Override
    public String toString() {
        return hex();
    }
}
