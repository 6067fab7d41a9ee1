package dev.tracebench.core.report;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of what Tracebench prints, stores as messages and exports: problem messages, findings, CLI
 * output. Two ways a value is recognised as a secret:
 *
 * <ul>
 *   <li><b>By its key</b> ({@link #isSecretKey}): attribute or field names that carry credentials, such as
 *       {@code http.request.header.authorization}, {@code cookie}, {@code x-api-key}, {@code db.password},
 *       {@code client_secret}, {@code access_token}. Counts such as {@code gen_ai.usage.input_tokens} or
 *       {@code llm.token_count.prompt} are not secrets: a key is secret by a whole word of it, and token counts are
 *       numbers ({@link #maskAttribute} masks text values only).</li>
 *   <li><b>By its shape</b> ({@link #maskText}): API keys ({@code sk-…}, {@code sk_live_…}, {@code AKIA…},
 *       {@code ghp_…}, {@code xoxb-…}, {@code AIza…}), bearer and basic credentials, JSON web tokens, Slack webhook
 *       URLs, passwords in URLs, and {@code key=value} / {@code "key": "value"} pairs whose key is a secret key.</li>
 * </ul>
 *
 * A masked value keeps a hint of what it was ({@code Bearer [masked]}, {@code sk-[masked]}) so a reader can tell a
 * key was present, never the key itself. The views show masked values with an explicit reveal; nothing else does.
 */
public final class Secrets {
    /** What a secret is replaced by. */
    public static final String MASK = "[masked]";

    private Secrets() {
    }

    /** Words that make a key secret when a whole word of the key (split at {@code . _ - /} and case changes). */
    private static final List<String> SECRET_WORDS = List.of("authorization", "auth", "cookie", "cookies",
            "password", "passwd", "pwd", "passphrase", "secret", "secrets", "token", "apikey", "credential",
            "credentials", "bearer", "signature", "sig", "privatekey", "sessionid", "webhook");
    /** Adjacent word pairs that make a key secret ("api key", "private key", "access key", "session id"). */
    private static final List<String[]> SECRET_PAIRS = List.of(new String[] {"api", "key"},
            new String[] {"private", "key"}, new String[] {"access", "key"}, new String[] {"secret", "key"},
            new String[] {"session", "id"}, new String[] {"set", "cookie"}, new String[] {"webhook", "url"},
            new String[] {"client", "secret"}, new String[] {"connection", "string"});

    /** "token count", "token usage": amounts of model tokens, not credentials. */
    private static final List<String> NOT_SECRET_AFTER_TOKEN = List.of("count", "counts", "usage", "limit", "limits",
            "budget", "type", "len", "length", "ids", "logprob", "logprobs", "probability");

    /** Whether a key (attribute, header or field name) names a credential. */
    public static boolean isSecretKey(String key) {
        if (key == null || key.isEmpty()) {
            return false;
        }
        String[] words = words(key);
        for (int i = 0; i < words.length; i++) {
            if (SECRET_WORDS.contains(words[i]) && !(words[i].equals("token") && i + 1 < words.length
                    && NOT_SECRET_AFTER_TOKEN.contains(words[i + 1]))) {
                return true;
            }
            if (i + 1 < words.length) {
                for (String[] p : SECRET_PAIRS) {
                    if (words[i].equals(p[0]) && words[i + 1].equals(p[1])) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static String[] words(String key) {
        // camelCase → camel Case; then split at anything that is not a letter or digit
        String spaced = key.replaceAll("([a-z0-9])([A-Z])", "$1 $2");
        return spaced.toLowerCase(Locale.ROOT).split("[^a-z0-9]+");
    }

    /**
     * The value of an attribute as it may be shown: text values of secret keys masked entirely (keeping a scheme
     * such as {@code Bearer}), other text with secret-shaped parts masked. Null stays null.
     */
    public static String maskAttribute(String key, String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        if (isSecretKey(key)) {
            Matcher m = SCHEME.matcher(value);
            return m.lookingAt() ? m.group(1) + " " + MASK : MASK;
        }
        return maskText(value);
    }

    private static final Pattern SCHEME_WORD = Pattern.compile("(?i)[\"']?(Bearer|Basic|Digest|Token|ApiKey|Negotiate)");
    private static final Pattern SCHEME = Pattern.compile("(?i)\\s*(Bearer|Basic|Digest|Token|ApiKey|Negotiate)\\s+\\S");

    /** Secret-shaped substrings of free text. Order matters: the specific shapes come before the generic pairs. */
    private static final List<Rule> RULES = List.of(
            // Authorization schemes with their credential
            new Rule("(?i)\\b(Bearer|Basic|Digest|Negotiate)\\s+[A-Za-z0-9._~+/=-]{6,}", "$1 " + MASK),
            // JSON web tokens
            new Rule("\\beyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}", MASK),
            // OpenAI / Anthropic style (sk-…, sk-proj-…, sk-ant-…, sk-live-…), Stripe (sk_live_…, rk_test_…)
            new Rule("\\b(sk|pk|rk)([-_])[A-Za-z0-9_-]{12,}", "$1$2" + MASK),
            // AWS access key ids
            new Rule("\\b(AKIA|ASIA)[0-9A-Z]{16}\\b", "$1" + MASK),
            // GitHub tokens
            new Rule("\\b(gh[pousr]_|github_pat_)[A-Za-z0-9_]{20,}", "$1" + MASK),
            // Slack tokens and webhook URLs
            new Rule("\\b(xox[abposr]-)[A-Za-z0-9-]{10,}", "$1" + MASK),
            new Rule("(https://hooks\\.slack\\.com/(?:services|workflows|triggers)/)\\S+", "$1" + MASK),
            // PagerDuty / generic integration keys in routing_key fields are caught by the pair rule below
            // Google API keys
            new Rule("\\bAIza[0-9A-Za-z_-]{30,}", "AIza" + MASK),
            // passwords in URLs: scheme://user:password@host
            new Rule("(\\b[a-zA-Z][a-zA-Z0-9+.-]*://[^/\\s:@]+:)[^@\\s/]+@", "$1" + MASK + "@"),
            // secret-named pairs: key=value, key: value, "key": "value", 'key' = 'value'. The lookbehind starts a
            // key only where a run of key characters starts (a leftmost match starts there anyway): without it a
            // long run with no key in it was scanned again from each of its characters (quadratic; minutes for
            // the fuzz test's 40 kB values, 40 ms with it)
            new Rule("(?i)([\"']?(?<![A-Za-z0-9_.\\-])([A-Za-z0-9_.\\-]*(?:authorization|cookie|password|passwd|secret|token|api[_-]?key"
                    + "|apikey|access[_-]?key|private[_-]?key|credential|session[_-]?id|routing[_-]?key)"
                    + "[A-Za-z0-9_.\\-]*)[\"']?\\s*(?:=|:|\\bis\\b|\\bhas value\\b|\\bvalue\\b)\\s*)"
                    + "(\"[^\"]*\"|'[^']*'|[^\\s,;&\"'}\\]]+)", null));

    private record Rule(Pattern pattern, String replacement) {
        Rule(String regex, String replacement) {
            this(Pattern.compile(regex), replacement);
        }
    }

    /** {@code text} with every secret-shaped part replaced by {@link #MASK}. Null stays null. */
    public static String maskText(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (Rule r : RULES) {
            Matcher m = r.pattern.matcher(out);
            if (!m.find()) {
                continue;
            }
            if (r.replacement != null) {
                out = m.replaceAll(r.replacement);
                continue;
            }
            StringBuilder sb = new StringBuilder();
            m.reset();
            while (m.find()) {
                String key = m.group(2);
                String value = m.group(3);
                String replacement;
                if (!isSecretKey(key) || value.contains(MASK) || isCount(value) || SCHEME_WORD.matcher(value).matches()) {
                    replacement = m.group();
                } else {
                    char q = value.charAt(0);
                    String masked = q == '"' || q == '\'' ? q + MASK + q : MASK;
                    replacement = m.group(1) + masked;
                }
                m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
            }
            m.appendTail(sb);
            out = sb.toString();
        }
        return out;
    }

    /** Numbers (token counts) and booleans are never secrets: {@code tokens=120}, {@code "token_count": 3}. */
    private static boolean isCount(String value) {
        String v = value.replaceAll("^[\"']|[\"']$", "");
        return v.matches("-?[0-9][0-9_.,]*") || v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")
                || v.equalsIgnoreCase("null") || v.isEmpty();
    }

    /** Whether {@code text} holds something {@link #maskText} would mask. */
    public static boolean containsSecret(String text) {
        return text != null && !maskText(text).equals(text);
    }
}
