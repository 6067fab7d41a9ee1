package dev.tracebench.core.eval.evaluators;

import dev.tracebench.core.eval.EvalInput;
import dev.tracebench.core.eval.Evaluator;
import dev.tracebench.core.eval.Verdict;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Refusals: an answer that declines ("I'm sorry, but I can't help with that", "As an AI language model, I cannot",
 * "I'm unable to provide"). Only the answer's first 300 characters are read: a refusal says so up front, while a
 * long answer may quote one. Score 0 for a refusal, else 1; label {@code refusal} or {@code answered}.
 */
public final class RefusalEvaluator implements Evaluator {
    public static final String ID = "refusal";

    private static final Pattern REFUSAL = Pattern.compile("(?i)\\b(?:"
            + "i(?:'m| am)?\\s+(?:really\\s+)?sorry,?\\s+(?:but\\s+)?i\\s+(?:can(?:no|')t|cannot|won't|am\\s+(?:not\\s+able|unable))"
            + "|i\\s+(?:can(?:no|')t|cannot|won't|will\\s+not|am\\s+not\\s+able\\s+to|'m\\s+not\\s+able\\s+to|am\\s+unable\\s+to|'m\\s+unable\\s+to)"
            + "\\s+(?:help|assist|provide|answer|comply|do\\s+that|share|fulfil|fulfill|support|engage|create|generate|give)"
            + "|as\\s+an\\s+ai(?:\\s+language\\s+model|\\s+assistant)?,?\\s+i\\s+(?:can(?:no|')t|cannot|don't|do\\s+not|am\\s+not)"
            + "|i\\s+must\\s+(?:decline|refuse)|i(?:'m| am)\\s+not\\s+(?:able|allowed|permitted)\\s+to"
            + "|(?:this|that)\\s+request\\s+(?:violates|goes\\s+against)|i\\s+don't\\s+have\\s+(?:access|enough\\s+information)\\s+to"
            + ")");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String version() {
        return "1";
    }

    @Override
    public Verdict evaluate(EvalInput input) {
        String head = input.answer().length() > 300 ? input.answer().substring(0, 300) : input.answer();
        Matcher m = REFUSAL.matcher(head);
        if (m.find()) {
            return new Verdict(ID, 0, "refusal", false, "The answer declines: \"" + Text.clip(m.group(), 80) + "\".",
                    List.of(m.group()), null);
        }
        return new Verdict(ID, 1, "answered", true, input.answer().isBlank() ? "The answer is empty (not a refusal)."
                : "No refusal phrase in the answer's first 300 characters.", List.of(), null);
    }
}
