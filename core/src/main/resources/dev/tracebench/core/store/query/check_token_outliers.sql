-- Automated check "token outliers": requests with input tokens, and those sending more than the outlier factor (the
-- parameter) times the median input tokens of their root operation.
WITH m AS (SELECT root_name, median(input_tokens) med FROM traces WHERE input_tokens > 0 GROUP BY root_name)
SELECT count(*), count(*) FILTER (WHERE t.input_tokens > ? * m.med)
FROM traces t JOIN m USING (root_name) WHERE t.input_tokens > 0
