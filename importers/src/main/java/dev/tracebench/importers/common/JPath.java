package dev.tracebench.importers.common;

/**
 * A location inside a JSON value ({@code resourceSpans[0].scopeSpans[1].spans[3].attributes[2].value}), built as a
 * chain of small objects and turned into text only when a message needs it: most records never need one.
 */
public final class JPath {
    private final JPath parent;
    private final String name;
    private final int index;

    private JPath(JPath parent, String name, int index) {
        this.parent = parent;
        this.name = name;
        this.index = index;
    }

    /** A path from its text form. */
    public static JPath of(String path) {
        return new JPath(null, path, -1);
    }

    public JPath field(String field) {
        return new JPath(this, field, -1);
    }

    public JPath index(int i) {
        return new JPath(this, null, i);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        append(sb);
        return sb.toString();
    }

    private void append(StringBuilder sb) {
        if (parent != null) {
            parent.append(sb);
        }
        if (name != null) {
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(name);
        } else {
            sb.append('[').append(index).append(']');
        }
    }
}
