package dev.tracebench.core.dataset;

import java.util.Locale;

/** Which part of a dataset an example belongs to. */
public enum Split {
    NONE, TRAIN, DEV, TEST;

    /** The lower-case name used in files and the CLI ("" for {@link #NONE}). */
    public String label() {
        return this == NONE ? "" : name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads a split as people write it: train/training, dev/validation/val, test/testing; blank is {@link #NONE}.
     *
     * @throws IllegalArgumentException naming the value when it is none of those
     */
    public static Split parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "train", "training" -> TRAIN;
            case "dev", "validation", "val", "valid" -> DEV;
            case "test", "testing", "eval" -> TEST;
            default -> throw new IllegalArgumentException(
                    "'" + text + "' is not a split (train, dev or test)");
        };
    }
}
