package dev.tracebench.importers.datasets;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One record of a dataset file, as a JSON object whatever the file's container (a CSV row's values are strings).
 *
 * @param number 1-based record number in the file (assigned ids count with it, so they stay put when a record fails)
 * @param where  where it starts, for problems: "line 12", or "tests[3]" where no line is known
 * @param csv    true for a CSV row: its values are text, lists are written inside cells
 */
public record Rec(int number, String where, ObjectNode fields, boolean csv) {
}
