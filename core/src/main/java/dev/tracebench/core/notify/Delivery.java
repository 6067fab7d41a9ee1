package dev.tracebench.core.notify;

/**
 * The outcome of one message to one target. Holds no secret: {@code error} names the target and its environment
 * variable, never the URL or key, and anything the receiver echoed is masked.
 *
 * @param target      the target's name
 * @param kind        the target's kind
 * @param action      trigger, acknowledge or resolve
 * @param incidentKey the incident ({@link dev.tracebench.core.slo.SloAlert#incidentKey()})
 * @param alerts      how many alerts of the incident this message stands for
 * @param delivered   whether the receiver accepted it (2xx)
 * @param attempts    requests made
 * @param status      the last HTTP status, 0 when no response came
 * @param error       why it was not delivered, null when it was
 */
public record Delivery(String target, Target.Kind kind, Action action, String incidentKey, int alerts,
        boolean delivered, int attempts, int status, String error) {
}
