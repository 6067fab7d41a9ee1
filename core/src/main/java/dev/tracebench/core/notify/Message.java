package dev.tracebench.core.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One message for one target: where it goes and its JSON body. Those {@link Notifications#render} returns have their
 * secrets masked (the endpoint is {@code $ENV_VAR}, a routing key {@code [masked]}); those being sent hold the real
 * ones and never leave {@link AlertNotifier}.
 *
 * @param target      the target's name
 * @param kind        the target's kind
 * @param action      trigger, acknowledge or resolve
 * @param incidentKey the incident
 * @param alerts      how many alerts of the incident this message stands for
 * @param endpoint    the URL it is posted to
 * @param body        the JSON body
 */
public record Message(String target, Target.Kind kind, Action action, String incidentKey, int alerts,
        String endpoint, ObjectNode body) {

    /** The body, indented. */
    public String json() {
        try {
            return Payloads.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
