package dev.tracebench.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every Query constant has its .sql file, every .sql file has its constant, and every DDL file is in _order. */
class QueryRegistryTest {
    private static Path resources(String sub) throws URISyntaxException {
        return Path.of(Workspace.class.getResource("/dev/tracebench/core/store/" + sub).toURI());
    }

    @Test
    void queryFilesAndConstantsMatch() throws Exception {
        Set<String> files;
        try (Stream<Path> s = Files.list(resources("query"))) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> constants = Arrays.stream(Query.values()).map(Query::file)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(files, constants);
        for (Query q : Query.values()) {
            assertFalse(q.sql().isBlank(), q.name());
        }
    }

    @Test
    void everyDdlFileIsInTheOrderManifest() throws IOException, URISyntaxException {
        Set<String> files;
        try (Stream<Path> s = Files.list(resources("ddl"))) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(files, new TreeSet<>(ResourceText.ddlOrder()));
    }
}
