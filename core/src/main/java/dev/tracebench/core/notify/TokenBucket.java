package dev.tracebench.core.notify;

import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket that reserves: {@link #acquire} always takes a token, possibly into debt, and says how long to wait
 * before using it. So the caller waits exactly once per message (no polling), and a caller that does not really wait
 * (a dry run) still gets an answer.
 */
final class TokenBucket {
    private final double perSecond;
    private final int capacity;
    private double tokens;
    private Instant last;

    TokenBucket(double perSecond, int capacity) {
        this.perSecond = perSecond;
        this.capacity = capacity;
        this.tokens = capacity;
    }

    /** Takes one token at {@code now}; the wait until it is really there (zero when it already is). */
    Duration acquire(Instant now) {
        if (last != null && now.isAfter(last)) {
            tokens = Math.min(capacity, tokens + Duration.between(last, now).toNanos() / 1e9 * perSecond);
        }
        if (last == null || now.isAfter(last)) {
            last = now;
        }
        tokens -= 1;
        return tokens >= 0 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil(-tokens / perSecond * 1e9));
    }
}
