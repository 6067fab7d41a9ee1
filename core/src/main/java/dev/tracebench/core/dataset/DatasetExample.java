package dev.tracebench.core.dataset;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One example of a dataset, immutable (an edit makes a new instance; a save makes a new dataset version).
 *
 * @param id             stable within the dataset (an imported file's own id, else assigned, e.g. "ex-0042"); what
 *                       diffs, merges and eval results ({@code eval_results.example_id}) match on
 * @param input          the question (for a chat input: the last user message's text)
 * @param messages       the whole chat input when there is one (OpenAI evals, Phoenix messages), else empty
 * @param context        retrieved or reference passages, in order
 * @param expectedOutput the golden answer ("" when not written yet)
 * @param actualOutput   the model's answer the example was taken from (a trace, a DeepEval golden), or ""
 * @param metadata       reference-answer metadata and any field of an imported file without a place here (nested
 *                       values as JSON text), in file order; curated examples carry {@code model}, {@code stage} and
 *                       {@code failure} (e.g. "hallucinated") for coverage
 * @param tags           free tags, in order, no duplicates
 * @param split          train / dev / test, or NONE
 * @param difficulty     free text ("easy", "medium", "hard"), or ""
 * @param notes          the curator's notes, or ""
 * @param provenance     where it came from
 */
public record DatasetExample(String id, String input, List<ChatMessage> messages, List<String> context,
        String expectedOutput, String actualOutput, Map<String, String> metadata, List<String> tags, Split split,
        String difficulty, String notes, Provenance provenance) {

    public DatasetExample {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("an example needs an id");
        }
        input = input == null ? "" : input;
        messages = messages == null ? List.of() : List.copyOf(messages);
        context = context == null ? List.of() : List.copyOf(context);
        expectedOutput = expectedOutput == null ? "" : expectedOutput;
        actualOutput = actualOutput == null ? "" : actualOutput;
        metadata = metadata == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        tags = tags == null ? List.of() : List.copyOf(new java.util.LinkedHashSet<>(tags));
        split = split == null ? Split.NONE : split;
        difficulty = difficulty == null ? "" : difficulty;
        notes = notes == null ? "" : notes;
        provenance = provenance == null ? Provenance.NONE : provenance;
    }

    /** A plain question/answer example (everything else empty). */
    public static DatasetExample of(String id, String input, String expectedOutput) {
        return new DatasetExample(id, input, List.of(), List.of(), expectedOutput, "", Map.of(), List.of(), Split.NONE,
                "", "", Provenance.NONE);
    }

    public DatasetExample withExpectedOutput(String value) {
        return new DatasetExample(id, input, messages, context, value, actualOutput, metadata, tags, split, difficulty,
                notes, provenance);
    }

    public DatasetExample withTags(List<String> value) {
        return new DatasetExample(id, input, messages, context, expectedOutput, actualOutput, metadata, value, split,
                difficulty, notes, provenance);
    }

    public DatasetExample withSplit(Split value) {
        return new DatasetExample(id, input, messages, context, expectedOutput, actualOutput, metadata, tags, value,
                difficulty, notes, provenance);
    }

    public DatasetExample withNotes(String value) {
        return new DatasetExample(id, input, messages, context, expectedOutput, actualOutput, metadata, tags, split,
                difficulty, value, provenance);
    }

    public DatasetExample withId(String value) {
        return new DatasetExample(value, input, messages, context, expectedOutput, actualOutput, metadata, tags, split,
                difficulty, notes, provenance);
    }
}
