package dev.tracebench.samples;

import java.util.List;

/**
 * Vector search against the shared Qdrant collections: kb-docs (four shards) for every query and, for about a third
 * of queries, kb-archive (two shards) in parallel. The slow-shard scenario slows kb-archive's shard archive-1; the
 * hallucination scenario makes one tenant's searches return nothing.
 */
final class Retrieval {
    enum Convention {
        CURRENT, DEPRECATED
    }

    record Outcome(List<Req.Doc> docs, long endNs) {
    }

    private Retrieval() {
    }

    static Outcome search(Req r, GenSpan parent, long start, Convention conv) {
        Rand rnd = r.rnd;
        boolean empty = r.fleet.emptyRetrieval(r.t0, r.tenant);
        if (empty) {
            r.affected = true;
        }
        List<Req.Doc> docs = empty ? List.of() : r.retrieve(8);
        GenSpan main = searchSpan(r, parent, start, "kb-docs", "docs-" + rnd.nextInt(4), docs, conv,
                rnd.latencyNs(42 * (0.85 + 0.15 * r.load), 0.4));
        long end = main.endNs;
        if (rnd.chance(0.3)) {
            String shard = "archive-" + rnd.nextInt(2);
            long dur = rnd.latencyNs(55, 0.4);
            if (shard.equals("archive-1") && r.fleet.slowShard(r.t0)) {
                dur += rnd.latencyNs(2500, 0.35);
                r.affected = true;
            }
            List<Req.Doc> archived = empty ? List.of() : docs.subList(Math.min(docs.size(), 5), docs.size());
            GenSpan archive = searchSpan(r, parent, start + rnd.latencyNs(0.3, 0.3), "kb-archive", shard, archived,
                    conv, dur);
            end = Math.max(end, archive.endNs);
        }
        return new Outcome(docs, end);
    }

    private static GenSpan searchSpan(Req r, GenSpan parent, long start, String collection, String shard,
            List<Req.Doc> docs, Convention conv, long durNs) {
        GenSpan s = r.child(parent, conv == Convention.CURRENT ? "retrieval " + collection
                : "qdrant.search " + collection, GenSpan.CLIENT, "opentelemetry.instrumentation.qdrant", "0.33.0",
                start, durNs);
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < docs.size(); i++) {
            json.append(i == 0 ? "" : ",").append("{\"id\":\"").append(docs.get(i).id()).append("\",\"score\":")
                    .append(docs.get(i).score()).append(",\"content\":")
                    .append(LlmCalls.json(KnowledgeBase.get(docs.get(i).id()).text())).append('}');
        }
        json.append(']');
        if (conv == Convention.CURRENT) {
            s.attr("gen_ai.operation.name", "retrieval").attr("gen_ai.data_source.id", collection)
                    .attr("db.system.name", "qdrant").attr("gen_ai.retrieval.query.text", r.question.question())
                    .attr("gen_ai.retrieval.documents", json.toString());
        } else {
            s.attr("db.system", "qdrant").attr("db.operation", "search");
        }
        s.attr("db.collection.name", collection).attr("app.vector.shard", shard)
                .attr("db.vector.query.top_k", 8L).attr("db.vector.query.result_count", (long) docs.size())
                .attr("server.address", "qdrant.ai-prod.svc")
                .attr("db.vector.query.top_score", docs.isEmpty() ? 0.0 : docs.get(0).score());
        return s;
    }
}
