package dev.tracebench.core.dataset;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Near-duplicate examples: the same question asked twice with different punctuation, case, spacing or a word changed.
 * Each example's input (its chat messages when the input is blank) is normalised (Unicode NFKC, lower case, runs of
 * anything but letters and digits to one space) and cut into character 4-grams; MinHash signatures (64 hashes, 16
 * bands of 4 rows) propose candidate pairs in time linear in the dataset, and each candidate pair is confirmed by the
 * exact Jaccard similarity of the two 4-gram sets. Confirmed pairs are joined into groups (a duplicate of a
 * duplicate is in the same group). Pure and deterministic.
 */
public final class NearDuplicates {
    private static final int HASHES = 64;
    private static final int BANDS = 16;
    private static final int ROWS = HASHES / BANDS;
    private static final int GRAM = 4;
    /** Odd multipliers and offsets of the hash family, fixed so results do not depend on the run. */
    private static final long[] A = new long[HASHES];
    private static final long[] B = new long[HASHES];

    static {
        java.util.SplittableRandom r = new java.util.SplittableRandom(0x7ace_be_dL);
        for (int i = 0; i < HASHES; i++) {
            A[i] = r.nextLong() | 1;
            B[i] = r.nextLong();
        }
    }

    private NearDuplicates() {
    }

    /**
     * Examples that are near-duplicates of each other.
     *
     * @param ids        the group's example ids in dataset order; the first is the one {@link #merge} keeps
     * @param similarity the lowest Jaccard similarity (0–1) of the pairs that joined the group
     */
    public record Group(List<String> ids, double similarity) {
        public Group {
            ids = List.copyOf(ids);
        }
    }

    /**
     * The groups of near-duplicates among {@code examples} whose pairwise similarity is at least {@code threshold}
     * (0.8 catches rewordings of one word in a question of ten; 1.0 only copies that differ in case, spacing or
     * punctuation), in the order of their first example. Examples whose text is empty are never grouped.
     */
    public static List<Group> find(List<DatasetExample> examples, double threshold) {
        if (threshold <= 0 || threshold > 1) {
            throw new IllegalArgumentException("the similarity threshold must be in (0, 1], not " + threshold);
        }
        int n = examples.size();
        List<Set<Integer>> grams = new ArrayList<>(n);
        for (DatasetExample e : examples) {
            grams.add(grams(normalise(text(e))));
        }
        Map<Long, List<Integer>> buckets = new HashMap<>();
        for (int i = 0; i < n; i++) {
            if (grams.get(i).isEmpty()) {
                continue;
            }
            long[] sig = signature(grams.get(i));
            for (int band = 0; band < BANDS; band++) {
                long h = band;
                for (int r = 0; r < ROWS; r++) {
                    h = h * 0x9E3779B97F4A7C15L + sig[band * ROWS + r];
                }
                buckets.computeIfAbsent(h, k -> new ArrayList<>(2)).add(i);
            }
        }
        int[] parent = new int[n];
        double[] lowest = new double[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
            lowest[i] = 1;
        }
        Set<Long> checked = new HashSet<>();
        for (List<Integer> bucket : buckets.values()) {
            for (int x = 0; x < bucket.size(); x++) {
                for (int y = x + 1; y < bucket.size(); y++) {
                    int i = bucket.get(x);
                    int j = bucket.get(y);
                    if (!checked.add((long) i * n + j)) {
                        continue;
                    }
                    double s = jaccard(grams.get(i), grams.get(j));
                    if (s >= threshold) {
                        int ri = root(parent, i);
                        int rj = root(parent, j);
                        int keep = Math.min(ri, rj);
                        int drop = Math.max(ri, rj);
                        parent[drop] = keep;
                        lowest[keep] = Math.min(Math.min(lowest[keep], lowest[drop]), s);
                    }
                }
            }
        }
        Map<Integer, List<String>> groups = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            groups.computeIfAbsent(root(parent, i), k -> new ArrayList<>()).add(examples.get(i).id());
        }
        List<Group> out = new ArrayList<>();
        groups.forEach((root, ids) -> {
            if (ids.size() > 1) {
                out.add(new Group(ids, lowest[root]));
            }
        });
        return out;
    }

    /**
     * {@code examples} with the group merged into its first example, at that example's place: the others' tags,
     * context passages and metadata keys it lacks are added, their notes appended, their expected output used when
     * its own is blank, and their ids recorded in metadata {@code merged} (so the merge can be read in a diff).
     */
    public static List<DatasetExample> merge(List<DatasetExample> examples, Group group) {
        Map<String, DatasetExample> byId = new HashMap<>();
        for (DatasetExample e : examples) {
            byId.put(e.id(), e);
        }
        for (String id : group.ids()) {
            if (!byId.containsKey(id)) {
                throw new IllegalArgumentException("no example '" + id + "' to merge");
            }
        }
        DatasetExample kept = byId.get(group.ids().get(0));
        List<String> others = group.ids().subList(1, group.ids().size());
        LinkedHashSet<String> tags = new LinkedHashSet<>(kept.tags());
        LinkedHashSet<String> context = new LinkedHashSet<>(kept.context());
        Map<String, String> metadata = new LinkedHashMap<>(kept.metadata());
        StringBuilder notes = new StringBuilder(kept.notes());
        String expected = kept.expectedOutput();
        for (String id : others) {
            DatasetExample o = byId.get(id);
            tags.addAll(o.tags());
            context.addAll(o.context());
            o.metadata().forEach(metadata::putIfAbsent);
            if (!o.notes().isBlank()) {
                notes.append(notes.length() == 0 ? "" : "\n").append(o.notes());
            }
            if (expected.isBlank()) {
                expected = o.expectedOutput();
            }
        }
        String merged = metadata.get("merged");
        metadata.put("merged", (merged == null || merged.isBlank() ? "" : merged + ",") + String.join(",", others));
        DatasetExample result = new DatasetExample(kept.id(), kept.input(), kept.messages(), List.copyOf(context),
                expected, kept.actualOutput(), metadata, List.copyOf(tags), kept.split(), kept.difficulty(),
                notes.toString(), kept.provenance());
        Set<String> drop = new HashSet<>(others);
        List<DatasetExample> out = new ArrayList<>(examples.size() - drop.size());
        for (DatasetExample e : examples) {
            if (e.id().equals(kept.id())) {
                out.add(result);
            } else if (!drop.contains(e.id())) {
                out.add(e);
            }
        }
        return out;
    }

    /** The text compared: the input, or the chat messages' contents when the input is blank. */
    static String text(DatasetExample e) {
        if (!e.input().isBlank() || e.messages().isEmpty()) {
            return e.input();
        }
        StringBuilder sb = new StringBuilder();
        for (ChatMessage m : e.messages()) {
            sb.append(m.content()).append('\n');
        }
        return sb.toString();
    }

    /** NFKC, lower case, every run of characters that are not letters or digits as one space, trimmed. */
    static String normalise(String text) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        StringBuilder sb = new StringBuilder(s.length());
        boolean space = true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                sb.append(c);
                space = false;
            } else if (!space) {
                sb.append(' ');
                space = true;
            }
        }
        int end = sb.length();
        if (end > 0 && sb.charAt(end - 1) == ' ') {
            sb.setLength(end - 1);
        }
        return sb.toString();
    }

    /** The hashes of the text's character 4-grams (a shorter text is one gram). */
    private static Set<Integer> grams(String s) {
        Set<Integer> out = new HashSet<>();
        if (s.isEmpty()) {
            return out;
        }
        if (s.length() <= GRAM) {
            out.add(s.hashCode());
            return out;
        }
        for (int i = 0; i + GRAM <= s.length(); i++) {
            out.add(s.substring(i, i + GRAM).hashCode());
        }
        return out;
    }

    private static long[] signature(Set<Integer> grams) {
        long[] sig = new long[HASHES];
        java.util.Arrays.fill(sig, Long.MAX_VALUE);
        for (int g : grams) {
            for (int h = 0; h < HASHES; h++) {
                long v = mix(A[h] * g + B[h]);
                if (v < sig[h]) {
                    sig[h] = v;
                }
            }
        }
        return sig;
    }

    /** A 64-bit finaliser (SplitMix64) so the hash family's values spread over the whole range. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static double jaccard(Set<Integer> a, Set<Integer> b) {
        Set<Integer> small = a.size() <= b.size() ? a : b;
        Set<Integer> large = small == a ? b : a;
        int common = 0;
        for (int g : small) {
            if (large.contains(g)) {
                common++;
            }
        }
        return (double) common / (a.size() + b.size() - common);
    }

    private static int root(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }
}
