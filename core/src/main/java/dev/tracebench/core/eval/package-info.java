/**
 * Quality: eval runs and their results (imported from files or computed by the built-in evaluators), the records the
 * ingest API takes ({@link dev.tracebench.core.eval.EvalRunData}, {@link dev.tracebench.core.eval.EvalResultData}),
 * the query port the views and the CLI read through ({@link dev.tracebench.core.eval.EvalService}) and the evaluator
 * contract ({@link dev.tracebench.core.eval.Evaluator}). No JavaFX, no JDBC: the store implements the service.
 */
package dev.tracebench.core.eval;
