package dev.tracebench.core.eval.evaluators;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracebench.core.eval.EvalInput;
import dev.tracebench.core.eval.EvalResultData;
import dev.tracebench.core.eval.EvalRunData;
import dev.tracebench.core.eval.Evaluator;
import dev.tracebench.core.eval.Verdict;
import dev.tracebench.core.task.CancellationToken;
import dev.tracebench.core.task.CancelledException;
import dev.tracebench.core.task.ProgressListener;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs chosen evaluators over many inputs on a few threads, with progress and cancel, and hands back what the ingest
 * API stores: the run (its configuration and evaluator versions) and one result per input and evaluator.
 * Verdicts are cached per evaluator (id and version) and unique input, for as long as the runner lives: judging the
 * same answers again (a re-run, the same answer in many traces) costs a lookup. Explanations, highlighted parts and
 * evidence are passed through {@link PiiEvaluator#mask} (personal data, keys, tokens) before they leave the runner
 * when the input holds something it would mask (verdicts only quote their input) and always for the LLM judge,
 * whose words come from elsewhere. (Masking costs about 50 µs a string: doing it for every verdict made the runner
 * ten times slower than the evaluators.)
 */
public final class EvaluatorRunner {
    static final int CACHE_LIMIT = 200_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One input to judge and what its results link to (any may be null). */
    public record Item(String traceId, String spanId, String exampleId, EvalInput input) {
    }

    /** What a run gives: the run, the results to store, and every verdict by item and evaluator. */
    public record Output(EvalRunData run, List<EvalResultData> results, List<List<Verdict>> verdicts,
            long cacheHits) {
    }

    private record Key(String evaluator, EvalInput input) {
    }

    private final List<Evaluator> evaluators;
    private final Map<String, Object> settings;
    private final int threads;
    /** Futures, so that threads meeting the same input at once judge it once. */
    private final Map<Key, CompletableFuture<Verdict>> cache = new ConcurrentHashMap<>();
    /** Whether a text holds something {@link PiiEvaluator#mask} masks (questions and passages repeat). */
    private final Map<String, Boolean> sensitiveTexts = new ConcurrentHashMap<>();

    /**
     * @param settings what the evaluators were configured with, stored as the run's configuration (with their ids
     *                 and versions)
     * @param threads  worker threads (at least 1)
     */
    public EvaluatorRunner(List<Evaluator> evaluators, Map<String, Object> settings, int threads) {
        if (evaluators.isEmpty()) {
            throw new IllegalArgumentException("no evaluator to run");
        }
        this.evaluators = List.copyOf(evaluators);
        this.settings = Map.copyOf(settings);
        this.threads = Math.max(1, threads);
    }

    public List<Evaluator> evaluators() {
        return evaluators;
    }

    /** "groundedness 1, relevance 1-minilm": the versions stored with the run. */
    public String versions() {
        return String.join(", ", evaluators.stream().map(e -> e.id() + " " + e.version()).toList());
    }

    /** The run's configuration: evaluator ids and versions and their settings, as JSON. */
    public String configJson() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode ev = root.putObject("evaluators");
        for (Evaluator e : evaluators) {
            ev.put(e.id(), e.version());
        }
        root.set("settings", JSON.valueToTree(new java.util.TreeMap<>(settings)));
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A run over a cohort's traces: what was stored, and the verdicts behind it. */
    public record CohortRun(dev.tracebench.core.eval.EvalRun run, Output output) {
    }

    /**
     * Judges what {@code service} gives for at most {@code limit} traces of {@code cohort} and stores the verdicts as
     * one eval run (a cancelled run stores nothing). Used alike by {@code eval run --cohort} and "Run evaluators…".
     */
    public CohortRun runCohort(dev.tracebench.core.eval.EvalService service, dev.tracebench.core.analysis.Cohort cohort,
            int limit, ProgressListener progress, CancellationToken cancel) {
        List<dev.tracebench.core.eval.EvalService.TraceEvalInput> inputs = service.inputs(cohort, limit, cancel);
        List<Item> items = inputs.stream().map(t -> new Item(t.traceId().hex(),
                t.spanId() == 0 ? null : String.format("%016x", t.spanId()), null, t.input())).toList();
        Output output = run(null, "", items, progress, cancel);
        cancel.throwIfCancelled();
        return new CohortRun(service.store(output.run(), output.results(), progress, cancel), output);
    }

    /**
     * Judges every item with every evaluator. Progress counts items; cancelling stops the workers and throws
     * {@link CancelledException}.
     */
    public Output run(String name, String file, List<Item> items, ProgressListener progress, CancellationToken cancel) {
        Instant created = Instant.now();
        Verdict[][] verdicts = new Verdict[items.size()][];
        AtomicLong done = new AtomicLong();
        AtomicLong hits = new AtomicLong();
        int chunk = Math.max(1, Math.min(256, items.size() / (threads * 8)));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "evaluators");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int start = 0; start < items.size(); start += chunk) {
                int from = start;
                int to = Math.min(items.size(), start + chunk);
                futures.add(pool.submit(() -> {
                    for (int i = from; i < to; i++) {
                        cancel.throwIfCancelled();
                        verdicts[i] = judge(items.get(i).input(), hits);
                        long d = done.incrementAndGet();
                        if (d % 64 == 0 || d == items.size()) {
                            progress.progress(d, items.size(), d + " of " + items.size() + " answers judged");
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancelledException();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        String runName = name != null ? name : "evaluators " + DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
                .withZone(ZoneOffset.UTC).format(created);
        EvalRunData run = new EvalRunData(runName, "tracebench-evaluators", file, created, configJson(), versions());
        List<EvalResultData> results = new ArrayList<>(items.size() * evaluators.size());
        List<List<Verdict>> all = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            all.add(List.of(verdicts[i]));
            for (Verdict v : verdicts[i]) {
                results.add(result(item, v, created));
            }
        }
        return new Output(run, results, all, hits.get());
    }

    private Verdict[] judge(EvalInput input, AtomicLong hits) {
        Verdict[] out = new Verdict[evaluators.size()];
        Boolean sensitive = null;
        for (int e = 0; e < out.length; e++) {
            Evaluator ev = evaluators.get(e);
            Key key = new Key(ev.id() + "@" + ev.version(), input);
            CompletableFuture<Verdict> mine = new CompletableFuture<>();
            CompletableFuture<Verdict> known = cache.putIfAbsent(key, mine);
            if (known != null) {
                hits.incrementAndGet();
                out[e] = known.join();
                continue;
            }
            try {
                Verdict v = ev.evaluate(input);
                if (ev instanceof JudgeEvaluator || (sensitive != null ? sensitive : (sensitive = sensitive(input)))) {
                    v = masked(v);
                }
                mine.complete(v);
            } catch (RuntimeException ex) {
                cache.remove(key);
                mine.completeExceptionally(ex);
                throw ex;
            }
            if (cache.size() >= CACHE_LIMIT) {
                cache.clear();
            }
            out[e] = mine.join();
        }
        return out;
    }

    private boolean sensitive(EvalInput input) {
        if (sensitive(input.answer()) || sensitive(input.question()) || sensitive(input.reference())) {
            return true;
        }
        for (String c : input.contexts()) {
            if (sensitive(c)) {
                return true;
            }
        }
        return false;
    }

    private boolean sensitive(String text) {
        if (text.isEmpty()) {
            return false;
        }
        Boolean known = sensitiveTexts.get(text);
        if (known == null) {
            known = !PiiEvaluator.mask(text).equals(text);
            if (sensitiveTexts.size() >= CACHE_LIMIT) {
                sensitiveTexts.clear();
            }
            sensitiveTexts.put(text, known);
        }
        return known;
    }

    private static Verdict masked(Verdict v) {
        return new Verdict(v.evaluator(), v.score(), v.label(), v.passed(), PiiEvaluator.mask(v.explanation()),
                v.unsupported().stream().map(PiiEvaluator::mask).toList(), PiiEvaluator.mask(v.evidence()));
    }

    /** A NaN score (the judge gave no verdict) is stored as no score, never as 0. */
    private static EvalResultData result(Item item, Verdict v, Instant when) {
        ObjectNode meta = JSON.createObjectNode();
        v.unsupported().forEach(meta.putArray("unsupported")::add);
        if (v.evidence() != null) {
            meta.put("evidence", v.evidence());
        }
        EvalInput in = item.input();
        return EvalResultData.builder(v.evaluator()).traceId(item.traceId()).spanId(item.spanId())
                .exampleId(item.exampleId()).score(Double.isNaN(v.score()) ? null : v.score()).label(v.label())
                .passed(v.passed()).explanation(v.explanation()).input(in.question()).output(in.answer())
                .expected(in.reference().isEmpty() ? null : in.reference()).contexts(in.contexts()).timestamp(when)
                .metadataJson(meta.toString()).build();
    }
}
