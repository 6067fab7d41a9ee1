package dev.tracebench.core.dataset;

import java.util.List;
import java.util.Optional;

/**
 * The datasets port: named datasets whose every save is an immutable version. Implemented by the store (DuckDB) and
 * by fakes in view tests. Calls block: run them off the FX thread. Every write is one transaction: a failed save
 * leaves the previous versions exactly as they were.
 */
public interface DatasetService {

    /** All datasets, by name. */
    List<Dataset> datasets();

    /** A dataset by exact name. */
    Optional<Dataset> dataset(String name);

    /** The versions of a dataset, oldest first (empty when there is no such dataset). */
    List<DatasetVersion> versions(String name);

    /**
     * The examples of a version, in their saved order ({@code version} 0: the latest).
     *
     * @throws IllegalArgumentException naming the dataset or version when there is none
     */
    List<DatasetExample> examples(String name, int version);

    /**
     * Saves {@code examples} as the next version of dataset {@code name} (creating the dataset, with version 1, when
     * there is none). Example ids must be unique within the list.
     *
     * @throws IllegalArgumentException naming the first repeated example id, or a blank name
     */
    DatasetVersion save(String name, String message, List<DatasetExample> examples);

    /** Restores an old version by saving its examples as a new version (nothing is ever overwritten). */
    default DatasetVersion restore(String name, int version) {
        return save(name, "Restored version " + version, examples(name, version));
    }

    /** Sets the dataset's description. */
    void describe(String name, String description);

    /** Removes a dataset and all its versions. */
    void delete(String name);

    /**
     * Marks eval run {@code runId} as the accepted baseline of the dataset ({@code dataset test} compares later runs
     * with it).
     */
    void accept(String name, long runId);
}
