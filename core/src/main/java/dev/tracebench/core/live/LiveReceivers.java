package dev.tracebench.core.live;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * Starts live receivers on the current workspace. A port: core defines it, the importers module implements it (it
 * owns the OTLP decoders), the app hands it to the views.
 */
public interface LiveReceivers {

    /**
     * Starts listening.
     *
     * @param onCommit called after each commit with the counts (on the receiver's writer thread): the shell refreshes
     *                 its views from it
     * @throws IOException if a port cannot be bound (the message names the port and why)
     */
    LiveReceiver start(LiveConfig config, Consumer<LiveStats> onCommit) throws IOException;
}
