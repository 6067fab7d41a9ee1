package dev.tracebench.core.analysis.rules;

import dev.tracebench.core.analysis.CheckSettings;
import dev.tracebench.core.analysis.Finding;
import java.util.List;

/**
 * An automated check over the whole workspace, after JDK Mission Control's rules: stateless, it turns the numbers a
 * query gathered ({@code D}, a record of the rule's own) into immutable findings, each with a severity, a one-sentence
 * summary, an explanation and its evidence. It reports nothing when it finds nothing wrong. The store gathers the
 * data (SQL stays there); a rule decides, and says only what its thresholds support. Example traces are suppliers in
 * the data, asked only for a finding that is reported: looking them up scans the spans.
 *
 * @param <D> what the rule reads
 */
public interface CheckRule<D> {

    /** The check id findings carry ({@link Finding#check()}), e.g. {@code error-hotspot}. */
    String id();

    /** A few words for lists: "Error hotspots". */
    String title();

    /** The findings for {@code data} under {@code settings} (empty: nothing wrong). */
    List<Finding> evaluate(D data, CheckSettings settings);
}
