package dev.tracebench.core.normalize;

import dev.tracebench.core.json.JsonTree;
import dev.tracebench.core.model.Attribute;
import dev.tracebench.core.model.AttributeValue;
import java.util.List;
import java.util.Locale;

/**
 * The dimensions analysis groups and explains requests by, read from a span's attributes under their usual names:
 *
 * <ul>
 *   <li>{@code route}: {@code http.route}; else the path of {@code url.path} or {@code http.target} (without the
 *       query), for server spans.</li>
 *   <li>{@code tenant}: {@code app.tenant.id}, {@code tenant.id}, {@code tenant_id}, {@code tenant}, or any key ending
 *       in {@code .tenant.id} / {@code .tenant}.</li>
 *   <li>{@code promptVersion}: {@code gen_ai.prompt.version}, {@code app.prompt.template.version},
 *       {@code llm.prompt_template.version}, {@code langfuse.observation.prompt.version},
 *       {@code traceloop.prompt.version}, or any key ending in {@code prompt.version} / {@code template.version}.</li>
 *   <li>{@code attempt}: 1 for a first try, 2 for the first retry: {@code app.attempt}, {@code retry.attempt} or any
 *       key ending in {@code .attempt}; {@code http.request.resend_count} + 1.</li>
 *   <li>{@code docCount}: documents a retrieval returned: {@code db.vector.query.result_count},
 *       {@code app.retrieval.documents}, the number of {@code retrieval.documents.<i>} or of the
 *       {@code gen_ai.retrieval.documents} array.</li>
 * </ul>
 */
public record SpanDims(String route, String tenant, String promptVersion, Integer attempt, Integer docCount) {
    public static final SpanDims NONE = new SpanDims(null, null, null, null, null);

    /** {@code server} is true for SERVER spans (whose url path is a route). */
    public static SpanDims of(List<Attribute> attributes, boolean server) {
        String httpRoute = null;
        String path = null;
        String tenant = null;
        String prompt = null;
        Integer attempt = null;
        Integer docs = null;
        int maxDocIndex = -1;
        for (int i = 0, n = attributes.size(); i < n; i++) {
            Attribute a = attributes.get(i);
            String k = a.key();
            AttributeValue v = a.value();
            switch (k) {
                case "http.route" -> httpRoute = first(httpRoute, text(v));
                case "url.path", "http.target" -> path = first(path, text(v));
                case "db.vector.query.result_count", "app.retrieval.documents" -> docs = first(docs, integer(v));
                case "gen_ai.retrieval.documents" -> {
                    if (docs == null) {
                        docs = JsonTree.listSize(v);
                    }
                }
                case "http.request.resend_count" -> {
                    Integer r = integer(v);
                    attempt = first(attempt, r == null ? null : r + 1);
                }
                default -> {
                    if (k.startsWith("retrieval.documents.")) {
                        int dot = k.indexOf('.', 20);
                        try {
                            maxDocIndex = Math.max(maxDocIndex, Integer.parseInt(k.substring(20, dot < 0 ? k.length()
                                    : dot)));
                        } catch (NumberFormatException e) {
                            // not an index
                        }
                    } else if (k.equals("tenant") || k.equals("tenant_id") || k.endsWith("tenant.id")
                            || k.endsWith(".tenant") || k.endsWith(".tenant_id")) {
                        tenant = first(tenant, text(v));
                    } else if (k.endsWith("prompt.version") || k.endsWith("template.version")
                            || k.equals("llm.prompt_template.version")) {
                        prompt = first(prompt, text(v));
                    } else if (k.endsWith(".attempt") || k.equals("attempt")) {
                        attempt = first(attempt, integer(v));
                    }
                }
            }
        }
        if (docs == null && maxDocIndex >= 0) {
            docs = maxDocIndex + 1;
        }
        String route = httpRoute;
        if (route == null && server && path != null) {
            int q = path.indexOf('?');
            route = q >= 0 ? path.substring(0, q) : path;
        }
        if (route == null && tenant == null && prompt == null && attempt == null && docs == null) {
            return NONE;
        }
        return new SpanDims(route, tenant, prompt, attempt, docs);
    }

    private static <T> T first(T known, T candidate) {
        return known != null ? known : candidate;
    }

    private static String text(AttributeValue v) {
        if (v instanceof AttributeValue.Str s) {
            String t = s.value().strip();
            return t.isEmpty() || t.length() > 200 ? null : t;
        }
        if (v instanceof AttributeValue.Int i) {
            return Long.toString(i.value());
        }
        return null;
    }

    private static Integer integer(AttributeValue v) {
        if (v instanceof AttributeValue.Int i) {
            return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, i.value()));
        }
        if (v instanceof AttributeValue.Dbl d && Double.isFinite(d.value())) {
            return (int) d.value();
        }
        if (v instanceof AttributeValue.Str s) {
            try {
                return Integer.parseInt(s.value().strip().toLowerCase(Locale.ROOT));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
