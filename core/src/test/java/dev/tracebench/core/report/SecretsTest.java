package dev.tracebench.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SecretsTest {
    @ParameterizedTest
    @ValueSource(strings = {"http.request.header.authorization", "Authorization", "cookie", "http.response.header.set-cookie",
        "x-api-key", "OPENAI_API_KEY", "apiKey", "db.password", "client_secret", "access_token", "refreshToken",
        "aws.secret_access_key", "slack.webhook_url", "pagerduty.routing_key.secret", "session_id", "privateKey"})
    void secretKeys(String key) {
        assertTrue(Secrets.isSecretKey(key), key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gen_ai.usage.input_tokens", "llm.token_count.prompt", "max_tokens", "gen_ai.request.model",
        "http.route", "service.name", "db.collection.name", "keyboard", "authority", "tokens", "secretary_count"})
    void ordinaryKeys(String key) {
        assertFalse(Secrets.isSecretKey(key), key);
    }

    @Test
    void attributeValuesOfSecretKeysAreMaskedWholeKeepingTheScheme() {
        assertEquals("Bearer [masked]", Secrets.maskAttribute("http.request.header.authorization",
                "Bearer sk-live-4f9a8b7c6d5e4f3a2b1c"));
        assertEquals("[masked]", Secrets.maskAttribute("db.password", "hunter2"));
        assertEquals("[masked]", Secrets.maskAttribute("cookie", "session=abc; theme=dark"));
        assertEquals("gpt-4o", Secrets.maskAttribute("gen_ai.request.model", "gpt-4o"));
        assertEquals("", Secrets.maskAttribute("password", ""));
        assertNull(Secrets.maskAttribute("password", null));
    }

    @Test
    void secretShapedTextIsMaskedWhereverItStands() {
        assertEquals("field 'x' is not a number: 'sk-[masked]'",
                Secrets.maskText("field 'x' is not a number: 'sk-live-4f9a8b7c6d5e4f3a2b1c0d'"));
        assertEquals("Authorization: Bearer [masked]", Secrets.maskText("Authorization: Bearer abcdef.ghijk-lmnop"));
        assertEquals("key AKIA[masked] used", Secrets.maskText("key AKIAIOSFODNN7EXAMPLE used"));
        assertEquals("token ghp_[masked]", Secrets.maskText("token ghp_16C7e42F292c6912E7710c838347Ae178B4a"));
        assertEquals("jwt [masked]", Secrets.maskText(
                "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"));
        assertEquals("post to https://hooks.slack.com/services/[masked]",
                Secrets.maskText("post to https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX"));
        assertEquals("postgres://app:[masked]@db:5432/x", Secrets.maskText("postgres://app:s3cr3t@db:5432/x"));
        assertEquals("xoxb-[masked]", Secrets.maskText("xoxb-123456789012-abcdefghij"));
    }

    @Test
    void secretNamedPairsInTextAreMasked() {
        assertEquals("api_key=[masked]&q=cats", Secrets.maskText("api_key=abc123def&q=cats"));
        assertEquals("{\"password\": \"[masked]\", \"user\": \"bob\"}",
                Secrets.maskText("{\"password\": \"hunter2\", \"user\": \"bob\"}"));
        assertEquals("attribute db.password has value '[masked]'",
                Secrets.maskText("attribute db.password has value 'hunter2'"));
    }

    @Test
    void countsAndOrdinaryTextAreLeftAlone() {
        for (String s : new String[] {"input_tokens=1200", "\"llm.token_count.prompt\": 31", "max_tokens: 512",
            "a trace with 12 spans took 2.3 s", "model gpt-4o-2024-08-06", "skip the task", "sk-1",
            "route /v1/chat", "tokens: 42", "password: null"}) {
            assertEquals(s, Secrets.maskText(s), s);
            assertFalse(Secrets.containsSecret(s), s);
        }
        assertTrue(Secrets.containsSecret("Bearer abcdefghijkl"));
    }
}
