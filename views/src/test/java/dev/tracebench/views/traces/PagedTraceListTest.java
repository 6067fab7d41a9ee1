package dev.tracebench.views.traces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.model.TraceId;
import dev.tracebench.core.query.TraceSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javafx.collections.ListChangeListener;
import org.junit.jupiter.api.Test;

class PagedTraceListTest {
    /** Records page requests; answers them when told to. */
    static final class Loader implements PagedTraceList.PageLoader {
        final List<long[]> requests = new ArrayList<>();
        final List<Consumer<List<TraceSummary>>> pending = new ArrayList<>();

        @Override
        public void load(long offset, int limit, Consumer<List<TraceSummary>> onLoaded) {
            requests.add(new long[] {offset, limit});
            pending.add(onLoaded);
        }

        void answerAll() {
            for (int i = 0; i < requests.size(); i++) {
                long[] r = requests.get(i);
                List<TraceSummary> rows = new ArrayList<>();
                for (long k = r[0]; k < r[0] + r[1]; k++) {
                    rows.add(summary(k));
                }
                pending.get(i).accept(rows);
            }
            pending.clear();
        }
    }

    static TraceSummary summary(long k) {
        return new TraceSummary(new TraceId(0, k + 1), 1, "op " + k, "svc", k, 10, 1, 0, 1, 0, true, 0, 0, 0);
    }

    @Test
    void onlyThePagesThatAreLookedAtAreFetched() {
        Loader loader = new Loader();
        PagedTraceList list = new PagedTraceList(1_000_000, loader);
        assertEquals(1_000_000, list.size());
        TraceRow r = list.get(450_123);
        assertNull(r.summary(), "a row is handed out before its page arrives");
        list.get(450_000);
        list.get(450_199);
        assertEquals(1, loader.requests.size(), "one page of " + PagedTraceList.PAGE);
        assertEquals(450_000, loader.requests.get(0)[0]);
        assertEquals(PagedTraceList.PAGE, loader.requests.get(0)[1]);
        loader.answerAll();
        assertEquals("op 450123", r.summary().rootName());
        assertSame(r, list.get(450_123));
    }

    @Test
    void theLastPageIsShortAndOutOfRangeIsAnError() {
        Loader loader = new Loader();
        PagedTraceList list = new PagedTraceList(450, loader);
        list.get(449);
        assertEquals(50, loader.requests.get(0)[1]);
        assertThrows(IndexOutOfBoundsException.class, () -> list.get(450));
    }

    @Test
    void memoryStaysBoundedWhileScrollingFar() {
        Loader loader = new Loader();
        PagedTraceList list = new PagedTraceList(1_000_000, loader);
        for (int i = 0; i < 1_000_000; i += PagedTraceList.PAGE) {
            list.get(i);
        }
        assertEquals(PagedTraceList.MAX_PAGES, list.pagesInMemory());
        loader.answerAll(); // answers for dropped pages go nowhere harmful
    }

    @Test
    void resetKeepsTheListObjectAndAnnouncesTheNewSize() {
        Loader first = new Loader();
        PagedTraceList list = new PagedTraceList(10, first);
        list.get(3);
        List<String> changes = new ArrayList<>();
        list.addListener((ListChangeListener<TraceRow>) c -> {
            while (c.next()) {
                changes.add((c.wasRemoved() ? "-" + c.getRemovedSize() : "") + (c.wasAdded() ? "+" + c.getAddedSize()
                        : ""));
            }
        });
        Loader second = new Loader();
        list.reset(25, second);
        assertEquals(25, list.size());
        assertEquals(List.of("-10+25"), changes);
        list.get(20);
        assertEquals(1, second.requests.size());
        assertEquals(1, first.requests.size());
    }

    @Test
    void aResetWithTheFetchedPagesInViewFillsThemAtOnceAndLoadsTheRestLater() {
        Loader first = new Loader();
        PagedTraceList list = new PagedTraceList(1000, first);
        list.get(650);
        list.get(5);
        assertEquals(List.of(0L, 3L), list.recentPages(2), "most recently used first");
        assertEquals(List.of(0L), list.recentPages(1));
        Loader second = new Loader();
        List<TraceSummary> page0 = new ArrayList<>();
        for (long k = 0; k < PagedTraceList.PAGE; k++) {
            page0.add(summary(10_000 + k));
        }
        // two new traces at the top: the rows in view change in place, without asking the loader
        list.reset(1002, second, java.util.Map.of(0L, page0));
        assertEquals("op 10005", list.get(5).summary().rootName());
        assertTrue(second.requests.isEmpty());
        assertNull(list.get(650).summary(), "a page not fetched loads as before");
        assertEquals(1, second.requests.size());
        assertFalse(list.resetting());
    }
}
