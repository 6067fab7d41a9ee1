/**
 * The Parquet trace lake: a folder of Hive-partitioned Parquet files holding a workspace's tables, with a manifest
 * ({@link dev.tracebench.core.lake.LakeManifest}, {@code _tracebench_lake.json}) that names its schema version,
 * tables, columns and row counts. Written by {@code core.store.DuckDbLakeExport}; opened read-only as a workspace by
 * {@code core.store.DuckDbLakeReader} (views over the files). No JDBC here. Format: docs/lake.md.
 */
package dev.tracebench.core.lake;
