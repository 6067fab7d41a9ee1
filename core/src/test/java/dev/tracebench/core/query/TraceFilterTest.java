package dev.tracebench.core.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tracebench.core.analysis.Cohort;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceFilterTest {
    @Test
    void onlyACohortOfEveryTraceIsDropped() {
        assertNull(new TraceFilter("", List.of(), 0, false, Cohort.all()).cohort());
        Cohort narrowedByFilter = Cohort.all().and("tenant = 'acme'");
        assertEquals(narrowedByFilter, new TraceFilter("", List.of(), 0, false, narrowedByFilter).cohort());
        assertEquals(Cohort.failed(), new TraceFilter("", List.of(), 0, false, Cohort.failed()).cohort());
    }
}
