package dev.tracebench.core.dataset;

import java.util.List;

/**
 * What a dataset file held: its format's id, the examples read (in file order) and one located message per record
 * that was skipped or changed ("goldens.csv line 14: no input column value; skipped"). Good records of a file with bad
 * ones are kept.
 */
public record DatasetFile(String format, List<DatasetExample> examples, List<String> problems) {

    public DatasetFile {
        examples = List.copyOf(examples);
        problems = List.copyOf(problems);
    }
}
