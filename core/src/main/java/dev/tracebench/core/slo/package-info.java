/**
 * Quality SLOs: SLO files, SLIs over traces and eval results, error budgets, multiwindow multi-burn-rate alerts
 * (the SRE Workbook's definitions) and the notifications they send. No JavaFX, no JDBC (the store computes SLIs).
 */
package dev.tracebench.core.slo;
