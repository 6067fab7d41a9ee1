package dev.tracebench.app.cli;

import picocli.CommandLine.Command;

/** {@code tracebench gate}: {@code slo check} under the name a CI pipeline step reads best. */
@Command(name = "gate", mixinStandardHelpOptions = true,
        description = "CI gate on the SLOs of a file (the same as 'slo check'): exit code 0 when every SLO holds, 1 on "
            + "a breach or a too-fast burn, 2 on a bad SLO file. --format junit writes JUnit XML for the CI's test "
            + "report, e.g. tracebench gate --config slo.yaml --format junit > slo-report.xml")
final class GateCommand extends SloCheckCommand {
}
