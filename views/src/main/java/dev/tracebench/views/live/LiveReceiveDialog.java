package dev.tracebench.views.live;

import dev.tracebench.core.live.LiveConfig;
import dev.tracebench.core.live.LiveReceivers;
import dev.tracebench.views.common.Styles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.event.ActionEvent;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * "Receive Live Traces…": the form (FXML) says where to listen; Start checks it, starts the receiver in the
 * background and closes when it listens. A failure (a port in use, an address that is not this machine's) is shown in
 * the form, which stays open to try again.
 */
public final class LiveReceiveDialog extends Dialog<Void> {
    static final ButtonType START = new ButtonType("Start", ButtonBar.ButtonData.OK_DONE);
    private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9._:%-]+");

    @FXML
    private VBox form;
    @FXML
    private TextField bindAddress;
    @FXML
    private TextField httpPort;
    @FXML
    private TextField grpcPort;
    @FXML
    private ProgressIndicator busy;
    @FXML
    private Label problem;

    private final BooleanProperty starting = new SimpleBooleanProperty();
    private final BooleanProperty invalid = new SimpleBooleanProperty();

    /**
     * @param initial   what the fields hold to begin with
     * @param vm        starts the receiver and shows it once started
     * @param onStarted called on the FX thread once it listens
     */
    public LiveReceiveDialog(Window owner, LiveReceivers receivers, LiveConfig initial, LiveViewModel vm,
            Runnable onStarted) {
        FXMLLoader loader = new FXMLLoader(LiveReceiveDialog.class.getResource("live-form.fxml"));
        loader.setController(this);
        try {
            loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("the Receive Live Traces form is missing from the build", e);
        }
        initOwner(owner);
        setTitle("Receive live traces");
        setHeaderText("Receive OpenTelemetry traces (OTLP) into this workspace as they arrive");
        getDialogPane().setContent(form);
        getDialogPane().setMinSize(javafx.scene.layout.Region.USE_PREF_SIZE,
                javafx.scene.layout.Region.USE_PREF_SIZE);
        getDialogPane().getStylesheets().add(Styles.stylesheet());
        getDialogPane().getButtonTypes().setAll(START, ButtonType.CANCEL);
        getDialogPane().setId("live-dialog");
        bindAddress.setId("live-bind");
        httpPort.setId("live-http-port");
        grpcPort.setId("live-grpc-port");
        problem.setId("live-problem");
        bindAddress.setText(initial.bindAddress());
        httpPort.setText(initial.httpPort() < 0 ? "" : Integer.toString(initial.httpPort()));
        grpcPort.setText(initial.grpcPort() < 0 ? "" : Integer.toString(initial.grpcPort()));
        busy.visibleProperty().bind(starting);
        for (TextField f : new TextField[] {bindAddress, httpPort, grpcPort}) {
            f.textProperty().addListener((o, a, b) -> validate());
        }
        Button start = (Button) getDialogPane().lookupButton(START);
        start.setId("live-start");
        start.disableProperty().bind(starting.or(invalid));
        // once started, the receiver is shown: the form is not cancelled halfway
        getDialogPane().lookupButton(ButtonType.CANCEL).disableProperty().bind(starting);
        // Start keeps the form open until the receiver listens, to show why it could not
        start.addEventFilter(ActionEvent.ACTION, e -> {
            e.consume();
            LiveConfig c = validate();
            if (c == null) {
                return;
            }
            starting.set(true);
            vm.start(receivers, c, () -> {
                starting.set(false);
                close();
                onStarted.run();
            }, why -> {
                starting.set(false);
                problem.setText("Could not start: " + why);
            });
        });
        // a wrapped reason (a port in use) takes more lines: the dialog grows so its buttons stay in view
        problem.textProperty().addListener((o, a, b) -> javafx.application.Platform.runLater(() -> {
            if (getDialogPane().getScene() != null && getDialogPane().getScene().getWindow() != null) {
                getDialogPane().getScene().getWindow().sizeToScene();
            }
        }));
        javafx.application.Platform.runLater(bindAddress::requestFocus);
        validate();
    }

    /** The fields as a configuration, if they describe one (the shell offers them again next time). */
    public java.util.Optional<LiveConfig> config() {
        try {
            return java.util.Optional.of(config(bindAddress.getText(), httpPort.getText(), grpcPort.getText()));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    /** The fields as a configuration, or null after saying in the form what is wrong. */
    private LiveConfig validate() {
        try {
            LiveConfig c = config(bindAddress.getText(), httpPort.getText(), grpcPort.getText());
            problem.setText("");
            invalid.set(false);
            return c;
        } catch (IllegalArgumentException e) {
            problem.setText(e.getMessage());
            invalid.set(true);
            return null;
        }
    }

    /**
     * The configuration the fields describe (queue limit and commit interval as by default); an empty port means
     * none.
     *
     * @throws IllegalArgumentException naming the field and what is wrong with it
     */
    static LiveConfig config(String bind, String http, String grpc) {
        String address = bind == null ? "" : bind.strip();
        if (address.isEmpty()) {
            throw new IllegalArgumentException("Give the address to listen on, e.g. 127.0.0.1 (this machine only) "
                    + "or 0.0.0.0 (every interface).");
        }
        if (!ADDRESS.matcher(address).matches()) {
            throw new IllegalArgumentException("'" + address + "' is not a host name or IP address.");
        }
        int h = port("OTLP/HTTP", http);
        int g = port("OTLP/gRPC", grpc);
        if (h < 0 && g < 0) {
            throw new IllegalArgumentException("Give at least one port (OTLP/HTTP or OTLP/gRPC).");
        }
        if (h > 0 && h == g) {
            throw new IllegalArgumentException("The OTLP/HTTP and OTLP/gRPC ports must differ (both are " + h + ").");
        }
        LiveConfig d = LiveConfig.defaults();
        return new LiveConfig(address, h, g, d.maxQueuedBytes(), d.commitInterval());
    }

    private static int port(String what, String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            return -1;
        }
        try {
            int p = Integer.parseInt(t);
            if (p >= 0 && p <= 65_535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("The " + what + " port must be a number from 0 to 65535 (or empty for "
                + "none), not '" + t + "'.");
    }
}
