package dev.tracebench.views.common;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one fixed palette of the stage taxonomy, used by every view that shows stages: breakdown table swatches, the
 * latency charts, the waterfall's critical path and the trace comparison. Stages keep their colour whatever the
 * data, so "orange" always means inference. Pure data (hex strings): views turn them into JavaFX or AWT colours.
 */
public final class StageColors {
    /** The time of a trace that no span explains (outside the root span, or a gap the analysis could not place). */
    public static final String UNATTRIBUTED = "unattributed";

    private static final Map<String, String> HEX = new LinkedHashMap<>();

    static {
        HEX.put("prompt", "#8da0cb");
        HEX.put("retrieval", "#1f78b4");
        HEX.put("rerank", "#6a3d9a");
        HEX.put("inference", "#ff7f00");
        HEX.put("tool", "#33a02c");
        HEX.put("agent", "#b15928");
        HEX.put("chain", "#a6cee3");
        HEX.put("guardrail", "#e7298a");
        HEX.put("postprocess", "#b2df8a");
        HEX.put("other", "#969696");
        HEX.put(UNATTRIBUTED, "#d9d9d9");
    }

    private static final String UNKNOWN = "#bdbdbd";

    private StageColors() {
    }

    private static final List<String> ORDER;

    static {
        List<String> o = new ArrayList<>();
        for (dev.tracebench.core.normalize.Stage st : dev.tracebench.core.normalize.Stage.values()) {
            o.add(st.id());
        }
        o.add(UNATTRIBUTED);
        ORDER = List.copyOf(o);
    }

    /** The stages in their fixed order (the taxonomy of core's {@code Stage}, then "unattributed"). */
    public static List<String> order() {
        return ORDER;
    }

    /** Position of a stage in the fixed order (unknown stages after all known ones). */
    public static int rank(String stage) {
        int i = ORDER.indexOf(norm(stage));
        return i < 0 ? ORDER.size() : i;
    }

    /** Sorts stage ids into the fixed order. */
    public static List<String> sorted(java.util.Collection<String> stages) {
        List<String> out = new ArrayList<>(stages);
        out.sort((a, b) -> rank(a) != rank(b) ? Integer.compare(rank(a), rank(b)) : a.compareTo(b));
        return Collections.unmodifiableList(out);
    }

    /** The stage's colour as CSS hex ("#ff7f00"). */
    public static String hex(String stage) {
        return HEX.getOrDefault(norm(stage), UNKNOWN);
    }

    public static javafx.scene.paint.Color fx(String stage) {
        return javafx.scene.paint.Color.web(hex(stage));
    }

    public static java.awt.Color awt(String stage) {
        return java.awt.Color.decode(hex(stage));
    }

    /** A darker shade of the stage colour, for outlines and the critical-path band. */
    public static String darkHex(String stage) {
        java.awt.Color c = awt(stage);
        return String.format(Locale.ROOT, "#%02x%02x%02x", (int) (c.getRed() * 0.6), (int) (c.getGreen() * 0.6),
                (int) (c.getBlue() * 0.6));
    }

    /** Display name: "Inference", "Unattributed". */
    public static String label(String stage) {
        String s = stage == null || stage.isBlank() ? "other" : stage;
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** What the stage covers, for tooltips. */
    public static String description(String stage) {
        return switch (norm(stage)) {
            case "prompt" -> "Input validation, prompt-template rendering, tokenization";
            case "retrieval" -> "Query embedding, vector search, document fetch";
            case "rerank" -> "Reranking retrieved documents";
            case "inference" -> "The model calls";
            case "tool" -> "Tools and functions the model asked for";
            case "agent" -> "Agent orchestration (its own time, between the calls it makes)";
            case "chain" -> "Chain / workflow orchestration (its own time)";
            case "guardrail" -> "Safety and guardrail checks";
            case "postprocess" -> "Output formatting and validation";
            case "other" -> "HTTP handling, queues, unknown work";
            case UNATTRIBUTED -> "Time of the trace that no span explains";
            default -> "";
        };
    }

    private static String norm(String stage) {
        if (stage == null) {
            return "other";
        }
        return stage.strip().toLowerCase(Locale.ROOT);
    }
}
