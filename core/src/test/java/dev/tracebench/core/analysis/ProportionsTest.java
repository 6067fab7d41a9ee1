package dev.tracebench.core.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The statistics root cause and the checks rank by, against values worked out by hand or from tables. */
class ProportionsTest {

    @Test
    void zIsThePooledTwoProportionStatistic() {
        // 50/100 against 30/100: p = 0.4, se = sqrt(0.4 * 0.6 * (1/100 + 1/100)) = 0.069282
        assertEquals(0.2 / Math.sqrt(0.4 * 0.6 * 0.02), Proportions.z(50, 100, 30, 100), 1e-12);
        assertEquals(-Proportions.z(50, 100, 30, 100), Proportions.z(30, 100, 50, 100), 1e-12);
        assertEquals(0, Proportions.z(0, 0, 3, 10));
        assertEquals(0, Proportions.z(10, 10, 5, 5), "no variance: no statistic");
    }

    @Test
    void phiMatchesTheNormalTable() {
        assertEquals(0.5, Proportions.phi(0), 1e-7);
        assertEquals(0.975002, Proportions.phi(1.96), 1e-6);
        assertEquals(0.841345, Proportions.phi(1), 1e-6);
        assertEquals(0.158655, Proportions.phi(-1), 1e-6);
        assertEquals(0.999968, Proportions.phi(4), 1e-6);
    }

    @Test
    void confidenceIsOneMinusTheTwoSidedP() {
        double z = Proportions.z(50, 100, 30, 100);
        assertEquals(1 - 2 * (1 - Proportions.phi(z)), Proportions.confidence(50, 100, 30, 100), 1e-12);
        assertEquals(0.9961, Proportions.confidence(50, 100, 30, 100), 1e-4); // z = 2.887
        assertEquals(0, Proportions.confidence(5, 10, 5, 10), 1e-7); // (phi's own error)
    }
}
