package dev.tracebench.core.notify;

import java.time.Duration;

/**
 * How alerts are delivered.
 *
 * @param groupWait      how long the first alert of an incident waits for more of the same incident before its one
 *                       message goes out (Alertmanager's group_wait)
 * @param maxAttempts    attempts per message, the first included; retried on 429, 5xx and connection errors only
 * @param initialBackoff the wait before the first retry; it doubles with each retry up to {@code maxBackoff}, and
 *                       each wait is jittered to between half and all of it so many senders do not retry in step
 * @param maxBackoff     the longest wait between attempts
 * @param maxRetryAfter  the longest {@code Retry-After} honoured; a receiver asking for more gets no more attempts
 * @param perSecond      messages per second per target, on average (Slack's incoming webhooks take about one a
 *                       second: https://api.slack.com/docs/rate-limits)
 * @param burst          messages a target may get at once before the rate applies
 * @param timeout        connect and response timeout of one request
 */
public record NotifySettings(Duration groupWait, int maxAttempts, Duration initialBackoff, Duration maxBackoff,
        Duration maxRetryAfter, double perSecond, int burst, Duration timeout) {

    public static final NotifySettings DEFAULTS = new NotifySettings(Duration.ofSeconds(30), 5, Duration.ofSeconds(1),
            Duration.ofSeconds(60), Duration.ofMinutes(5), 1.0, 3, Duration.ofSeconds(10));

    public NotifySettings {
        if (maxAttempts < 1 || perSecond <= 0 || burst < 1 || groupWait.isNegative() || initialBackoff.isNegative()
                || maxBackoff.compareTo(initialBackoff) < 0 || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("bad notification settings: " + NotifySettings.class.getSimpleName()
                    + "[maxAttempts=" + maxAttempts + ", perSecond=" + perSecond + ", burst=" + burst + "]");
        }
    }

    public NotifySettings withGroupWait(Duration d) {
        return new NotifySettings(d, maxAttempts, initialBackoff, maxBackoff, maxRetryAfter, perSecond, burst, timeout);
    }

    public NotifySettings withRate(double messagesPerSecond, int burstSize) {
        return new NotifySettings(groupWait, maxAttempts, initialBackoff, maxBackoff, maxRetryAfter, messagesPerSecond,
                burstSize, timeout);
    }

    public NotifySettings withRetries(int attempts, Duration initial, Duration max) {
        return new NotifySettings(groupWait, attempts, initial, max, maxRetryAfter, perSecond, burst, timeout);
    }
}
