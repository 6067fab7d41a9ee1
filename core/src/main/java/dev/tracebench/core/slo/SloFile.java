package dev.tracebench.core.slo;

import java.util.List;

/**
 * A parsed SLO file: its SLOs and where their alerts go.
 *
 * @param name the file's name, as messages cite it ("slo.yaml")
 */
public record SloFile(String name, List<Slo> slos, List<NotificationTarget> notifications) {
    public SloFile {
        slos = List.copyOf(slos);
        notifications = List.copyOf(notifications);
    }
}
