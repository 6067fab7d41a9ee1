/**
 * The automated checks over a whole workspace, one stateless {@link dev.tracebench.core.analysis.rules.CheckRule} per
 * kind of trouble (after JDK Mission Control's rules). {@link dev.tracebench.core.analysis.rules.CheckRules#ALL} lists
 * them; the store gathers each rule's data with SQL and calls it.
 */
package dev.tracebench.core.analysis.rules;
