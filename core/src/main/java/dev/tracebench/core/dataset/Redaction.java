package dev.tracebench.core.dataset;

import dev.tracebench.core.eval.evaluators.PiiEvaluator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PII redaction for exports, with the Quality work's detectors ({@link PiiEvaluator#mask}: e-mail addresses, phone
 * numbers, Luhn-valid card numbers, mod-97-valid IBANs, API keys and tokens, JWTs, and secrets in key=value form).
 * Every text of an example is masked: input, chat messages, context passages, expected and actual output, metadata
 * values and notes; ids, tags, split and difficulty are the curator's labels and stay. Pure.
 */
public final class Redaction {

    private Redaction() {
    }

    /**
     * One text that export would change.
     *
     * @param field  "input", "messages[2]", "context[0]", "expected output", "actual output", "metadata.KEY", "notes"
     * @param kinds  what was found ("e-mail address", "card number", "secret" for a key=value secret), in text order
     * @param masked the text as it will be exported
     */
    public record Masked(String exampleId, String field, List<String> kinds, String masked) {
        public Masked {
            kinds = List.copyOf(kinds);
        }
    }

    /** What {@link #redact} would mask, example by example in dataset order. */
    public static List<Masked> preview(List<DatasetExample> examples) {
        List<Masked> out = new ArrayList<>();
        for (DatasetExample e : examples) {
            visit(e, (field, text) -> {
                String masked = PiiEvaluator.mask(text);
                if (!masked.equals(text)) {
                    List<String> kinds = PiiEvaluator.kinds(text);
                    out.add(new Masked(e.id(), field, kinds.isEmpty() ? List.of("secret") : kinds, masked));
                }
                return text;
            });
        }
        return out;
    }

    /** The examples with every personal datum and credential masked. */
    public static List<DatasetExample> redact(List<DatasetExample> examples) {
        return examples.stream().map(e -> visit(e, (field, text) -> PiiEvaluator.mask(text))).toList();
    }

    private interface FieldMapper {
        String apply(String field, String text);
    }

    /** Runs {@code f} over every text field of {@code e} and builds the example of its results. */
    private static DatasetExample visit(DatasetExample e, FieldMapper f) {
        String input = f.apply("input", e.input());
        List<ChatMessage> messages = new ArrayList<>();
        for (int i = 0; i < e.messages().size(); i++) {
            ChatMessage m = e.messages().get(i);
            messages.add(new ChatMessage(m.role(), f.apply("messages[" + i + "]", m.content()), m.name()));
        }
        List<String> context = new ArrayList<>();
        for (int i = 0; i < e.context().size(); i++) {
            context.add(f.apply("context[" + i + "]", e.context().get(i)));
        }
        String expected = f.apply("expected output", e.expectedOutput());
        String actual = f.apply("actual output", e.actualOutput());
        Map<String, String> metadata = new LinkedHashMap<>();
        e.metadata().forEach((k, v) -> metadata.put(k, f.apply("metadata." + k, v)));
        String notes = f.apply("notes", e.notes());
        return new DatasetExample(e.id(), input, messages, context, expected, actual, metadata,
                e.tags(), e.split(), e.difficulty(), notes, e.provenance());
    }
}
