package dev.tracebench.views.live;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracebench.core.live.LiveConfig;
import dev.tracebench.views.common.WorkspaceChanges;
import dev.tracebench.views.testing.FakeLiveReceivers;
import dev.tracebench.views.testing.UiQueue;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The live receiver's view model on fake receivers, with the polls' clock given by the test: counts and spans/s are
 * the receiver's, the chart keeps the last minute, commits tell the views at most once a second, Stop commits and
 * tells them once more, and a refused start says why.
 */
class LiveViewModelTest {
    private static final Instant T = Instant.parse("2026-12-06T10:00:00Z");
    private final UiQueue ui = new UiQueue(1);
    private final WorkspaceChanges changes = new WorkspaceChanges();
    private final AtomicInteger fired = new AtomicInteger();
    private final FakeLiveReceivers receivers = new FakeLiveReceivers();
    private final LiveViewModel vm = new LiveViewModel(changes, ui.background());

    @AfterEach
    void close() {
        ui.close();
    }

    private void started() {
        changes.subscribe(fired::incrementAndGet);
        AtomicInteger ok = new AtomicInteger();
        vm.start(receivers, LiveConfig.defaults(), ok::incrementAndGet, why -> { });
        ui.until("started", () -> ok.get() == 1);
        assertTrue(vm.runningProperty().get());
    }

    @Test
    void pollsShowTheReceiversCountsAndKeepTheLastMinuteOfSpansPerSecond() {
        started();
        assertEquals(2, vm.endpoints().size());
        receivers.current().receive(500, 3, 1250.0, null);
        vm.tick(T);
        assertEquals(1, vm.statsProperty().get().requests());
        assertEquals(3, vm.statsProperty().get().spansRejected());
        assertEquals(497, vm.statsProperty().get().queuedSpans());
        assertArrayEquals(new double[] {1250.0}, vm.history());
        // more polls than the chart keeps: the oldest drop out, the rest stay in order
        for (int i = 1; i <= LiveViewModel.HISTORY + 10; i++) {
            receivers.current().receive(1, 0, i, null);
            vm.tick(T.plusMillis(250L * i));
        }
        double[] h = vm.history();
        assertEquals(LiveViewModel.HISTORY, h.length);
        assertEquals(11.0, h[0]);
        assertEquals(LiveViewModel.HISTORY + 10.0, h[h.length - 1]);
        assertEquals(0, fired.get(), "nothing was committed, so the views were not told");
    }

    @Test
    void commitsTellTheViewsAtMostOnceASecond() {
        started();
        FakeLiveReceivers.Fake r = receivers.current();
        r.receive(100, 0, 100, null);
        r.commit(4);
        vm.tick(T);
        assertEquals(1, fired.get());
        assertEquals(100, vm.statsProperty().get().spansStored());
        assertEquals(4, vm.statsProperty().get().tracesStored());
        r.receive(100, 0, 100, null);
        r.commit(2);
        r.commit(0);
        vm.tick(T.plusMillis(250));
        vm.tick(T.plusMillis(750));
        assertEquals(1, fired.get(), "within the second after the last refresh");
        vm.tick(T.plusMillis(1000));
        assertEquals(2, fired.get(), "the commits since then, told once");
        vm.tick(T.plusMillis(3000));
        assertEquals(2, fired.get(), "no commit since");
    }

    @Test
    void stopCommitsWhatIsQueuedShowsTheFinalCountsAndTellsTheViews() {
        started();
        FakeLiveReceivers.Fake r = receivers.current();
        r.receive(40, 0, 80, null);
        vm.tick(T);
        vm.stop();
        assertFalse(vm.runningProperty().get());
        assertTrue(vm.stoppingProperty().get());
        vm.awaitStopped();
        assertEquals(1, r.stops, "the shell waits for this on quit");
        ui.until("stopped", () -> !vm.stoppingProperty().get());
        assertEquals(40, vm.statsProperty().get().spansStored());
        assertEquals(0, vm.statsProperty().get().queuedSpans());
        assertEquals(1, fired.get());
        long polls = vm.pollsProperty().get();
        vm.tick(T.plusSeconds(5));
        assertEquals(polls, vm.pollsProperty().get(), "a stopped receiver is not polled");
        vm.stop();
        assertEquals(1, r.stops, "stop is not repeated");
    }

    @Test
    void releaseHandsTheReceiverOverForTheShellToStop() {
        started();
        FakeLiveReceivers.Fake r = receivers.current();
        assertTrue(vm.release() == r);
        assertFalse(vm.runningProperty().get());
        assertNull(vm.release());
        assertEquals(0, r.stops, "the shell stops it, on its own thread");
    }

    @Test
    void aRefusedStartSaysWhy() {
        receivers.refuse("port 4318 on 127.0.0.1 is in use by another program");
        AtomicReference<String> why = new AtomicReference<>();
        vm.start(receivers, LiveConfig.defaults(), () -> { }, why::set);
        ui.until("refused", () -> why.get() != null);
        assertEquals("port 4318 on 127.0.0.1 is in use by another program", why.get());
        assertFalse(vm.runningProperty().get());
        assertNull(vm.statsProperty().get());
    }
}
