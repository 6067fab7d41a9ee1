package dev.tracebench.views.common;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.util.Subscription;

/**
 * The one way views learn that the workspace changed: the shell calls {@link #fire} after every committed change (an
 * import, and anything later that writes), and every open view that shows workspace data subscribes and reloads.
 * The generation counts the changes, so a cache (e.g. of attribute keys) knows whether it is still current. One
 * instance per open workspace: a workspace switch builds new views. Used on the FX thread.
 */
public final class WorkspaceChanges {
    private final List<Runnable> subscribers = new CopyOnWriteArrayList<>();
    private long generation;

    /** How many changes were fired so far (0: none since the workspace was opened). */
    public long generation() {
        return generation;
    }

    /** Says the workspace changed: every subscriber runs, in the order they subscribed. */
    public void fire() {
        generation++;
        for (Runnable r : subscribers) {
            r.run();
        }
    }

    /** Runs {@code onChange} after every change from now on, until the subscription is cancelled. */
    public Subscription subscribe(Runnable onChange) {
        subscribers.add(onChange);
        return () -> subscribers.remove(onChange);
    }
}
