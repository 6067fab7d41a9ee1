-- Automated check "token outliers": per prompt version with at least 30 requests, its median input tokens, the
-- median of all other versions, and its request count.
WITH p AS (
    SELECT prompt_version v, median(input_tokens) med, count(*) n FROM traces
    WHERE prompt_version IS NOT NULL AND input_tokens > 0 GROUP BY v HAVING count(*) >= 30
)
SELECT a.v, a.med,
       (SELECT median(input_tokens) FROM traces
        WHERE prompt_version IS NOT NULL AND prompt_version <> a.v AND input_tokens > 0),
       a.n
FROM p a
