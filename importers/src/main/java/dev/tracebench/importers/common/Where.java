package dev.tracebench.importers.common;

/**
 * Where a record is in a source: the line it starts on and its JSON path, as problems report it
 * ({@code line 12, data[0].spans[3]}).
 */
public record Where(long line, String path) {

    public Where child(String field) {
        return new Where(line, path.isEmpty() ? field : path + "." + field);
    }

    public Where index(int i) {
        return new Where(line, path + "[" + i + "]");
    }

    /** The same path on another line (the line a nested record starts on, in a pretty-printed document). */
    public Where atLine(long l) {
        return new Where(l, path);
    }

    @Override
    public String toString() {
        return path.isEmpty() ? "line " + line : "line " + line + ", " + path;
    }
}
