package dev.tracebench.views.traces;

import java.util.List;
import java.util.Locale;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.util.StringConverter;
import org.controlsfx.control.textfield.AutoCompletionBinding;

/**
 * Completes the attribute key of the word being typed in the trace search: the popup lists the workspace's keys that
 * contain the word, and choosing one replaces the word with {@code key=} (the other words stay). Ctrl+Space lists
 * keys for an empty word too.
 */
final class AttributeKeyCompletion extends AutoCompletionBinding<String> {
    /** Keys shown at most; the list narrows as the user types. */
    static final int MAX_SUGGESTIONS = 40;
    private final TextField field;

    private AttributeKeyCompletion(TextField field, KeySource keys) {
        super(field, request -> keys.matching(lastWord(request.getUserText())), new StringConverter<>() {
            @Override
            public String toString(String key) {
                return key;
            }

            @Override
            public String fromString(String s) {
                return s;
            }
        });
        this.field = field;
        field.textProperty().addListener((o, a, text) -> {
            if (field.isFocused() && field.getCaretPosition() >= 0 && !lastWord(text).isEmpty()
                    && !lastWord(text).matches(".*[=<>].*")) {
                setUserInput(text);
            }
        });
        field.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.SPACE && e.isShortcutDown()) {
                setUserInput(field.getText());
                e.consume();
            }
        });
    }

    static AttributeKeyCompletion bind(TextField field, ObservableList<String> keys) {
        KeySource source = new KeySource();
        keys.addListener((ListChangeListener<String>) c -> source.keys = List.copyOf(keys));
        source.keys = List.copyOf(keys);
        AttributeKeyCompletion b = new AttributeKeyCompletion(field, source);
        b.setVisibleRowCount(12);
        return b;
    }

    /** The keys as last read, for the suggestion thread (which must not touch the FX list). */
    static final class KeySource {
        volatile List<String> keys = List.of();

        List<String> matching(String word) {
            String w = word.toLowerCase(Locale.ROOT);
            List<String> starts = keys.stream().filter(k -> k.toLowerCase(Locale.ROOT).startsWith(w)).toList();
            List<String> contains = keys.stream().filter(k -> !k.toLowerCase(Locale.ROOT).startsWith(w)
                    && k.toLowerCase(Locale.ROOT).contains(w)).toList();
            return java.util.stream.Stream.concat(starts.stream(), contains.stream()).limit(MAX_SUGGESTIONS)
                    .toList();
        }
    }

    /** The word after the last space (the one being typed). */
    static String lastWord(String text) {
        if (text == null) {
            return "";
        }
        int i = text.lastIndexOf(' ');
        return text.substring(i + 1);
    }

    /** The text with its last word replaced by {@code key=}. */
    static String complete(String text, String key) {
        String t = text == null ? "" : text;
        return t.substring(0, t.lastIndexOf(' ') + 1) + key + "=";
    }

    @Override
    protected void completeUserInput(String key) {
        String text = complete(field.getText(), key);
        field.setText(text);
        field.positionCaret(text.length());
    }

    @Override
    public void dispose() {
    }
}
