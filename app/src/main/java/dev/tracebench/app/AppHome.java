package dev.tracebench.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where Tracebench keeps its files: {@code $TRACEBENCH_HOME} (or the {@code tracebench.home} system property), by
 * default {@code ~/.tracebench}. The default workspace is {@code <home>/workspaces/default.duckdb}; the recent
 * workspaces list is {@code <home>/recent-workspaces.txt}.
 */
public final class AppHome {
    private static final int MAX_RECENT = 10;
    private final Path home;

    public AppHome(Path home) {
        this.home = home.toAbsolutePath().normalize();
    }

    /** The home from the environment: system property, then environment variable, then ~/.tracebench. */
    public static AppHome fromEnvironment() {
        String prop = System.getProperty("tracebench.home");
        if (prop != null && !prop.isBlank()) {
            return new AppHome(Path.of(prop));
        }
        String env = System.getenv("TRACEBENCH_HOME");
        if (env != null && !env.isBlank()) {
            return new AppHome(Path.of(env));
        }
        return new AppHome(Path.of(System.getProperty("user.home"), ".tracebench"));
    }

    public Path home() {
        return home;
    }

    public Path workspacesDir() {
        return home.resolve("workspaces");
    }

    public Path defaultWorkspace() {
        return workspacesDir().resolve("default.duckdb");
    }

    /** The user's normalisation rules (used when it exists). */
    public Path rulesFile() {
        return home.resolve("rules.yaml");
    }

    /** The user's price table additions and overrides (used when it exists). */
    public Path pricesFile() {
        return home.resolve("prices.yaml");
    }

    /**
     * The normalisation options of this home: its rules file (or {@code rulesOverride}) and price table. Throws
     * IllegalArgumentException naming the file and the mistake if one of them is broken.
     */
    public dev.tracebench.core.ingest.IngestOptions ingestOptions(Path rulesOverride) {
        Path rules = rulesOverride != null ? rulesOverride : rulesFile();
        dev.tracebench.core.normalize.Rules r = dev.tracebench.core.normalize.Rules.NONE;
        if (rulesOverride != null && !java.nio.file.Files.isRegularFile(rulesOverride)) {
            throw new IllegalArgumentException("no rules file at " + rulesOverride);
        }
        if (java.nio.file.Files.isRegularFile(rules)) {
            r = dev.tracebench.core.normalize.Rules.load(rules);
        }
        return new dev.tracebench.core.ingest.IngestOptions(r,
                dev.tracebench.core.normalize.PriceTable.withUserFile(pricesFile()));
    }

    /** Recently opened workspaces, most recent first, only those that still exist. */
    public List<Path> recentWorkspaces() {
        Path f = home.resolve("recent-workspaces.txt");
        List<Path> out = new ArrayList<>();
        if (!Files.exists(f)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    Path p = Path.of(line.trim());
                    if (Files.exists(p)) {
                        out.add(p);
                    }
                }
            }
        } catch (IOException e) {
            // a damaged list is not worth failing over: start a new one
        }
        return out;
    }

    /** Puts {@code workspace} at the top of the recent list. */
    public void rememberWorkspace(Path workspace) {
        Set<Path> list = new LinkedHashSet<>();
        list.add(workspace.toAbsolutePath().normalize());
        list.addAll(recentWorkspaces());
        List<String> lines = new ArrayList<>();
        for (Path p : list) {
            if (lines.size() < MAX_RECENT) {
                lines.add(p.toString());
            }
        }
        try {
            Files.createDirectories(home);
            Files.write(home.resolve("recent-workspaces.txt"), lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            // the recent list is a convenience; failing to save it must not stop anything
        }
    }
}
