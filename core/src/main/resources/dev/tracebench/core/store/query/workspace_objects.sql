-- Every object of the opened database that a user or an application made: (kind, name). Empty for a database with
-- nothing in it. Used to tell a Tracebench workspace from another application's DuckDB file before touching it.
SELECT 'table' AS kind, table_name AS name FROM duckdb_tables() WHERE database_name = current_database()
UNION ALL
SELECT 'view', view_name FROM duckdb_views() WHERE database_name = current_database() AND NOT internal
UNION ALL
SELECT 'sequence', sequence_name FROM duckdb_sequences() WHERE database_name = current_database()
UNION ALL
SELECT 'macro', function_name FROM duckdb_functions() WHERE database_name = current_database() AND NOT internal
UNION ALL
SELECT 'type', type_name FROM duckdb_types() WHERE database_name = current_database() AND NOT internal
UNION ALL
SELECT 'index', index_name FROM duckdb_indexes() WHERE database_name = current_database()
UNION ALL
SELECT 'schema', schema_name FROM duckdb_schemas() WHERE database_name = current_database() AND NOT internal
ORDER BY 1, 2
