package dev.tracebench.views.settings;

import dev.tracebench.core.normalize.PriceTable;
import dev.tracebench.views.common.Background;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.cell.TextFieldTableCell;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import javafx.util.converter.DefaultStringConverter;

/**
 * Settings > Price Table: the shipped prices and the user's own, editable in place. An edited or added model is
 * saved to the user's price file ({@code ~/.tracebench/prices.yaml}), which replaces or adds to the shipped entries;
 * "Use shipped price" drops the user's entry again. The prices apply to files imported after saving (a span's cost
 * is computed when it is imported).
 */
public final class PriceTableDialog extends Dialog<Void> {
    /** One row: a model's prices and whether they are the user's. */
    static final class Row {
        final SimpleStringProperty model = new SimpleStringProperty();
        final SimpleObjectProperty<Double> input = new SimpleObjectProperty<>();
        final SimpleObjectProperty<Double> output = new SimpleObjectProperty<>();
        final SimpleObjectProperty<Double> cached = new SimpleObjectProperty<>();
        final SimpleBooleanProperty yours = new SimpleBooleanProperty();

        Row(PriceTable.Price p, boolean yours) {
            model.set(p.model());
            input.set(p.input());
            output.set(p.output());
            cached.set(p.cachedInput());
            this.yours.set(yours);
        }

        PriceTable.Price price() {
            return new PriceTable.Price(model.get().trim().toLowerCase(Locale.ROOT), input.get(), output.get(),
                    cached.get());
        }
    }

    private final ObservableList<Row> rows = FXCollections.observableArrayList(
            r -> new javafx.beans.Observable[] {r.yours});
    private final Label status = new Label();
    private final Path userFile;
    private final Background background;

    public PriceTableDialog(Window owner, Path userFile, Background background) {
        this.userFile = userFile;
        this.background = background;
        initOwner(owner);
        setTitle("Price Table");
        setHeaderText("USD per million tokens. Reported costs win over these; they apply to files imported after "
                + "saving.");
        setResizable(true);

        TableView<Row> table = new TableView<>();
        table.setId("price-table");
        table.setEditable(true);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY);
        TableColumn<Row, String> model = new TableColumn<>("Model");
        model.setCellValueFactory(c -> c.getValue().model);
        model.setCellFactory(c -> new TextFieldTableCell<>(new DefaultStringConverter()));
        model.setOnEditCommit(e -> {
            String v = e.getNewValue() == null ? "" : e.getNewValue().trim().toLowerCase(Locale.ROOT);
            if (!v.isEmpty()) {
                e.getRowValue().model.set(v);
                e.getRowValue().yours.set(true);
            }
            table.refresh();
        });
        model.setPrefWidth(230);
        table.getColumns().add(model);
        table.getColumns().add(priceColumn("Input", r -> r.input, table));
        table.getColumns().add(priceColumn("Output", r -> r.output, table));
        table.getColumns().add(priceColumn("Cached input", r -> r.cached, table));
        TableColumn<Row, String> source = new TableColumn<>("Source");
        source.setCellValueFactory(c -> new SimpleStringProperty(c.getValue().yours.get() ? "yours" : "shipped"));
        source.setPrefWidth(80);
        table.getColumns().add(source);

        TextField filter = new TextField();
        filter.setPromptText("Filter models");
        FilteredList<Row> shown = new FilteredList<>(rows);
        filter.textProperty().addListener((o, a, b) -> shown.setPredicate(r -> b == null || b.isBlank()
                || r.model.get().contains(b.trim().toLowerCase(Locale.ROOT))));
        table.setItems(shown);

        Button add = new Button("Add Model");
        add.setOnAction(e -> {
            filter.clear();
            Row r = new Row(new PriceTable.Price("new-model", 0, 0, 0), true);
            rows.add(0, r);
            table.getSelectionModel().select(r);
            table.scrollTo(r);
            table.edit(0, model);
        });
        Button reset = new Button("Use Shipped Price");
        reset.setOnAction(e -> {
            Row r = table.getSelectionModel().getSelectedItem();
            if (r == null || !r.yours.get()) {
                return;
            }
            PriceTable.Price shipped = PriceTable.shipped().entries().get(r.model.get());
            if (shipped == null) {
                rows.remove(r);
            } else {
                rows.set(rows.indexOf(r), new Row(shipped, false));
            }
        });
        reset.disableProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(() -> {
            Row r = table.getSelectionModel().getSelectedItem();
            return r == null || !r.yours.get();
        }, table.getSelectionModel().selectedItemProperty(), rows));
        HBox tools = new HBox(8, filter, add, reset);
        HBox.setHgrow(filter, Priority.ALWAYS);
        status.setId("price-status");
        VBox box = new VBox(8, tools, table, status);
        VBox.setVgrow(table, Priority.ALWAYS);
        box.setPadding(new Insets(8));
        box.setPrefSize(720, 520);
        getDialogPane().setContent(box);

        ButtonType save = new ButtonType("Save", ButtonBar.ButtonData.OK_DONE);
        getDialogPane().getButtonTypes().addAll(save, ButtonType.CANCEL);
        Button saveButton = (Button) getDialogPane().lookupButton(save);
        saveButton.addEventFilter(javafx.event.ActionEvent.ACTION, e -> {
            e.consume(); // closes only once the file is written
            saveButton.setDisable(true);
            List<PriceTable.Price> yours = new ArrayList<>();
            for (Row r : rows) {
                if (r.yours.get()) {
                    yours.add(r.price());
                }
            }
            status.setText("Saving…");
            background.run(() -> {
                PriceTable.writeUserFile(userFile, yours);
                return yours.size();
            }, n -> {
                setResult(null);
                close();
            }, err -> {
                saveButton.setDisable(false);
                status.setText("Not saved: " + Background.message(err));
            });
        });
        load();
    }

    private static TableColumn<Row, Double> priceColumn(String title,
            java.util.function.Function<Row, SimpleObjectProperty<Double>> prop, TableView<Row> table) {
        TableColumn<Row, Double> c = new TableColumn<>(title);
        c.setCellValueFactory(v -> prop.apply(v.getValue()));
        c.setCellFactory(col -> new TextFieldTableCell<>(new javafx.util.StringConverter<Double>() {
            @Override
            public String toString(Double d) {
                return d == null ? "" : new java.math.BigDecimal(Double.toString(d)).stripTrailingZeros()
                        .toPlainString();
            }

            @Override
            public Double fromString(String s) {
                try {
                    double d = Double.parseDouble(s.trim().replace("$", ""));
                    return Double.isFinite(d) && d >= 0 ? d : null;
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }) {
            {
                setStyle("-fx-alignment: CENTER-RIGHT;");
            }
        });
        c.setOnEditCommit(e -> {
            if (e.getNewValue() != null) {
                prop.apply(e.getRowValue()).set(e.getNewValue());
                e.getRowValue().yours.set(true);
            }
            table.refresh();
        });
        c.setPrefWidth(110);
        return c;
    }

    /** Reads the user's file in the background and shows shipped and user rows together. */
    private void load() {
        status.setText("Loading…");
        background.run(() -> PriceTable.userFile(userFile), user -> {
            Map<String, Row> byModel = new LinkedHashMap<>();
            for (PriceTable.Price p : user.entries().values()) {
                byModel.put(p.model(), new Row(p, true));
            }
            for (PriceTable.Price p : PriceTable.shipped().entries().values()) {
                byModel.putIfAbsent(p.model(), new Row(p, false));
            }
            rows.setAll(byModel.values());
            status.setText(user.entries().size() + " of your own prices, in " + userFile);
        }, err -> {
            List<Row> shipped = new ArrayList<>();
            for (PriceTable.Price p : PriceTable.shipped().entries().values()) {
                shipped.add(new Row(p, false));
            }
            rows.setAll(shipped);
            status.setText("Your price file cannot be read (" + Background.message(err) + "); saving replaces it.");
        });
    }
}
