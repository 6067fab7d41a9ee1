package dev.tracebench.core.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A clock that moves only when told, and a sleeper that records each wait and moves the clock by it. */
final class FakeTime extends Clock implements Sleeper {
    private volatile Instant now;
    final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    FakeTime(Instant start) {
        this.now = start;
    }

    void advance(Duration d) {
        now = now.plus(d);
    }

    @Override
    public void sleep(Duration d) {
        sleeps.add(d);
        advance(d);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
