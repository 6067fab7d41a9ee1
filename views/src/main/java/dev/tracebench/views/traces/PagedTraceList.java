package dev.tracebench.views.traces;

import dev.tracebench.core.query.TraceSummary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javafx.collections.ObservableListBase;

/**
 * A read-only list of all traces matching a query, of which only the pages near what the table shows are in
 * memory. {@link #get} answers at once with a row that fills in when its page has been fetched in the background,
 * so a workspace with a million traces scrolls without loading them; pages far from the viewport are dropped.
 */
public final class PagedTraceList extends ObservableListBase<TraceRow> {
    /** Rows per fetch; one fetch is a LIMIT/OFFSET query over the per-trace rollup. */
    public static final int PAGE = 200;
    /** Pages kept in memory (least recently used are dropped). */
    static final int MAX_PAGES = 40;

    /** Fetches one page: (offset, limit, callback with rows); the callback must run on the UI thread. */
    public interface PageLoader {
        void load(long offset, int limit, Consumer<List<TraceSummary>> onLoaded);
    }

    private int size;
    private PageLoader loader;
    private boolean resetting;
    private final Map<Long, TraceRow[]> pages = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, TraceRow[]> eldest) {
            return size() > MAX_PAGES;
        }
    };

    public PagedTraceList(long size, PageLoader loader) {
        this.size = clamp(size);
        this.loader = loader;
    }

    /** An empty list (until {@link #reset}). */
    public PagedTraceList() {
        this(0, (offset, limit, onLoaded) -> { });
    }

    private static int clamp(long size) {
        // a TableView indexes rows by int; 2^31 traces is beyond any single workspace
        return (int) Math.min(Integer.MAX_VALUE, size);
    }

    /**
     * Replaces the whole content with a new result of {@code size} rows. The list object stays the same, so a
     * TableView keeps its sort order (it clears it whenever its items list is swapped for another).
     */
    public void reset(long size, PageLoader loader) {
        reset(size, loader, Map.of());
    }

    /**
     * As {@link #reset(long, PageLoader)}, with some pages of the new result already fetched (by page number): their
     * rows are filled at once, so the rows in view change in place instead of showing "loading" while a reload
     * (after every import, and every second while traces arrive live) fetches them.
     */
    public void reset(long size, PageLoader loader, Map<Long, List<TraceSummary>> fetched) {
        int old = this.size;
        this.size = clamp(size);
        this.loader = loader;
        pages.clear();
        fetched.forEach((page, list) -> {
            int n = (int) Math.min(PAGE, this.size - page * PAGE);
            if (n > 0) {
                TraceRow[] rows = new TraceRow[n];
                for (int i = 0; i < n; i++) {
                    rows[i] = new TraceRow(page * PAGE + i);
                    if (i < list.size()) {
                        rows[i].fill(list.get(i));
                    }
                }
                pages.put(page, rows);
            }
        });
        resetting = true;
        try {
            fireReset(old);
        } finally {
            resetting = false;
        }
    }

    /**
     * True while {@link #reset} tells the listeners that every row was replaced: a table's selection cleared then is
     * the reload's doing, not the user's.
     */
    public boolean resetting() {
        return resetting;
    }

    private void fireReset(int old) {
        beginChange();
        if (old > 0) {
            nextRemove(0, new java.util.AbstractList<TraceRow>() {
                @Override
                public TraceRow get(int index) {
                    return new TraceRow(index);
                }

                @Override
                public int size() {
                    return old;
                }
            });
        }
        if (this.size > 0) {
            nextAdd(0, this.size);
        }
        endChange();
    }

    @Override
    public TraceRow get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " of " + size);
        }
        long page = index / PAGE;
        TraceRow[] rows = pages.get(page);
        if (rows == null) {
            int n = (int) Math.min(PAGE, size - page * PAGE);
            TraceRow[] fresh = new TraceRow[n];
            for (int i = 0; i < n; i++) {
                fresh[i] = new TraceRow(page * PAGE + i);
            }
            pages.put(page, fresh);
            rows = fresh;
            PageLoader current = loader;
            current.load(page * PAGE, n, loaded -> {
                for (int i = 0; i < loaded.size() && i < fresh.length; i++) {
                    fresh[i].fill(loaded.get(i));
                }
            });
        }
        return rows[index % PAGE];
    }

    @Override
    public int size() {
        return size;
    }

    /** The pages used most recently (those in view), most recent first, at most {@code n}. */
    public List<Long> recentPages(int n) {
        List<Long> all = new java.util.ArrayList<>(pages.keySet());
        java.util.Collections.reverse(all);
        return List.copyOf(all.subList(0, Math.min(n, all.size())));
    }

    /** Pages currently in memory (for tests). */
    int pagesInMemory() {
        return pages.size();
    }
}
