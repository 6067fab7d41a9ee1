/**
 * Root cause ("why are these requests different?"): {@link dev.tracebench.core.analysis.rootcause.TraceSample} holds
 * the sampled traces of a cohort and of the others, {@link dev.tracebench.core.analysis.rootcause.RootCauseScorer}
 * scores their properties into findings. Pure Java: the store fills the sample with SQL, tests and fakes by hand.
 */
package dev.tracebench.core.analysis.rootcause;
