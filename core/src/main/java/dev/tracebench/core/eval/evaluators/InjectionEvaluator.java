package dev.tracebench.core.eval.evaluators;

import dev.tracebench.core.eval.EvalInput;
import dev.tracebench.core.eval.Evaluator;
import dev.tracebench.core.eval.Verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prompt-injection markers in what reached the model: the question (direct injection) and the retrieved passages
 * (indirect injection: instructions planted in documents). Markers: requests to ignore or reveal earlier
 * instructions or the system prompt, role switches ("you are now DAN", "developer mode"), chat-template tokens and
 * fake system headers. Score 1 without markers, else 0; label {@code clean} or {@code injection}.
 */
public final class InjectionEvaluator implements Evaluator {
    public static final String ID = "injection";

    private record Marker(String name, Pattern pattern) {
        Marker(String name, String regex) {
            this(name, Pattern.compile("(?i)" + regex));
        }
    }

    private static final String EARLIER = "(?:all |any |the )?(?:previous|prior|above|earlier|preceding|foregoing|"
            + "original|system|your)\\s+";
    private static final List<Marker> MARKERS = List.of(
            new Marker("ignore earlier instructions", "\\b(?:ignore|disregard|forget|override|bypass|skip)\\s+"
                    + EARLIER + "(?:instructions?|prompts?|rules?|directions?|guidelines?|messages?|context)\\b"),
            new Marker("forget everything", "\\bforget\\s+(?:everything|all)\\s+(?:you|above|before)"),
            new Marker("reveal the system prompt", "\\b(?:reveal|show|print|repeat|output|leak|tell me)\\s+(?:me\\s+)?"
                    + "(?:your|the)\\s+(?:system\\s+prompt|initial\\s+instructions|hidden\\s+instructions|"
                    + "instructions\\s+above)"),
            new Marker("role switch", "\\byou\\s+are\\s+now\\s+(?:dan\\b|in\\s+developer\\s+mode|an?\\s+unrestricted|"
                    + "jailbroken|free\\s+of)|\\bdo\\s+anything\\s+now\\b|\\bdeveloper\\s+mode\\s+enabled\\b"
                    + "|\\bjailbreak\\b"),
            new Marker("new instructions", "\\bnew\\s+(?:system\\s+)?instructions?\\s*:|\\bfrom\\s+now\\s+on,?\\s+you\\s+"
                    + "(?:will|must|are)\\b"),
            new Marker("chat-template token", "<\\|(?:im_start|im_end|system|endoftext|start_header_id)\\|>|\\[/?INST\\]"
                    + "|<<SYS>>"),
            new Marker("fake system header", "(?m)^\\s*(?:#{2,}\\s*)?(?:system|SYSTEM)\\s*(?:prompt)?\\s*:\\s*\\S"));

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String version() {
        return "1";
    }

    /** A marker found: its name and the text that matched. */
    private record Hit(String marker, String text) {
    }

    /** Markers found per text: the same passages and questions come back in many requests. */
    private final Map<String, List<Hit>> hitsByText = new ConcurrentHashMap<>();
    private static final int CACHE_LIMIT = 20_000;

    @Override
    public Verdict evaluate(EvalInput input) {
        List<String> found = new ArrayList<>();
        List<String> where = new ArrayList<>();
        report(input.question(), "the question", found, where);
        for (int i = 0; i < input.contexts().size(); i++) {
            report(input.contexts().get(i), "passage " + (i + 1), found, where);
        }
        if (found.isEmpty()) {
            return new Verdict(ID, 1, "clean", true, "No prompt-injection marker in the question or the "
                    + input.contexts().size() + " passages.", List.of(), null);
        }
        return new Verdict(ID, 0, "injection", false, "Prompt-injection markers: " + String.join("; ", where) + ".",
                found, null);
    }

    private void report(String text, String place, List<String> found, List<String> where) {
        List<Hit> hits = hitsByText.get(text);
        if (hits == null) {
            hits = scan(text);
            if (hitsByText.size() >= CACHE_LIMIT) {
                hitsByText.clear();
            }
            hitsByText.put(text, hits);
        }
        for (Hit h : hits) {
            found.add(Text.clip(h.text(), 80));
            where.add(h.marker() + " in " + place + " (\"" + Text.clip(h.text(), 60) + "\")");
        }
    }

    private static List<Hit> scan(String text) {
        List<Hit> hits = new ArrayList<>();
        for (Marker m : MARKERS) {
            Matcher matcher = m.pattern().matcher(text);
            if (matcher.find()) {
                hits.add(new Hit(m.name(), matcher.group()));
            }
        }
        return List.copyOf(hits);
    }
}
