package dev.tracebench.core.report;

import dev.tracebench.core.analysis.Breakdown;
import dev.tracebench.core.analysis.Dimension;
import dev.tracebench.core.analysis.StageStat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A breakdown as a {@link Table}: what {@code tracebench breakdown} prints and the Latency area exports as CSV. */
public final class BreakdownTable {
    private BreakdownTable() {
    }

    /**
     * One row per stage on the critical path of each group (and with {@code operations}, per operation after its
     * stage); with a grouping, the groups only (not the whole cohort), each row starting with the group's value.
     */
    public static Table stages(Breakdown b, boolean operations) {
        boolean grouped = b.groupBy().dimension() != Dimension.NONE;
        return stages(b, b.groups().stream().filter(g -> !grouped || g.value() != null).toList(), operations);
    }

    /** {@link #stages(Breakdown, boolean)} of the given groups of {@code b} (the whole cohort's value is empty). */
    public static Table stages(Breakdown b, List<Breakdown.Group> groups, boolean operations) {
        boolean grouped = b.groupBy().dimension() != Dimension.NONE;
        List<String> cols = new ArrayList<>();
        if (grouped) {
            cols.add(b.groupBy().label());
        }
        cols.addAll(List.of("stage", "operation", "traces", "p50", "p90", "p95", "p99", "mean", "share"));
        List<List<Object>> rows = new ArrayList<>();
        for (Breakdown.Group grp : groups) {
            for (StageStat st : grp.stages()) {
                if (st.traces() == 0) {
                    continue;
                }
                rows.add(row(grouped, grp, st));
                if (operations) {
                    for (StageStat op : grp.operations()) {
                        if (op.stage().equals(st.stage())) {
                            rows.add(row(grouped, grp, op));
                        }
                    }
                }
            }
        }
        return new Table(cols, rows);
    }

    /** One row per group (the whole cohort first): its value, requests, duration p50/p95/p99 and mean. */
    public static Table groups(Breakdown b) {
        List<List<Object>> rows = new ArrayList<>();
        for (Breakdown.Group g : b.groups()) {
            List<Object> r = new ArrayList<>();
            r.add(g.value() == null ? "(all)" : g.value());
            r.add(g.traces());
            r.add(Durations.format(g.p50Ns()));
            r.add(Durations.format(g.p95Ns()));
            r.add(Durations.format(g.p99Ns()));
            r.add(Durations.format(g.traces() == 0 ? 0 : g.totalNs() / g.traces()));
            rows.add(r);
        }
        return new Table(List.of(b.groupBy().label(), "traces", "p50", "p95", "p99", "mean"), rows);
    }

    private static List<Object> row(boolean grouped, Breakdown.Group grp, StageStat st) {
        List<Object> r = new ArrayList<>();
        if (grouped) {
            r.add(grp.value());
        }
        r.add(st.stage());
        r.add(st.operation() == null ? "" : st.operation());
        r.add(st.traces());
        r.add(Durations.format(st.p50Ns()));
        r.add(Durations.format(st.p90Ns()));
        r.add(Durations.format(st.p95Ns()));
        r.add(Durations.format(st.p99Ns()));
        r.add(Durations.format(Math.round(st.meanNs())));
        r.add(String.format(Locale.ROOT, "%.1f%%", st.share() * 100));
        return r;
    }
}
