package io.edgesplit.profile.costmodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class NnlsTest {

    @Test
    void recoversAnExactNonNegativeSolution() {
        Random rnd = new Random(1);
        double[] truth = {0.5, 0, 2, 1.25};
        double[][] a = new double[30][4];
        double[] b = new double[30];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < 4; j++) {
                a[i][j] = rnd.nextDouble();
                b[i] += a[i][j] * truth[j];
            }
        }
        assertArrayEquals(truth, Nnls.solve(a, b), 1e-9);
    }

    @Test
    void clampsWhatUnconstrainedLeastSquaresWouldMakeNegative() {
        // b = 2 * col0 - 1 * col1 exactly; with x >= 0 the best is x1 = 0 and x0 the projection on col0.
        double[][] a = {{1, 1}, {1, 0}, {0, 1}};
        double[] b = {1, 2, -1};
        double[] x = Nnls.solve(a, b);
        assertEquals(0, x[1], 1e-12);
        assertEquals(1.5, x[0], 1e-12); // argmin (x0 - 1)^2 + (x0 - 2)^2
    }

    @Test
    void duplicateColumnsDoNotBreakTheSolve() {
        double[][] a = {{1, 1, 0}, {2, 2, 1}, {3, 3, 0}, {4, 4, 1}};
        double[] b = {2, 5, 6, 9};
        double[] x = Nnls.solve(a, b);
        assertEquals(2, x[0] + x[1], 1e-9);
        assertEquals(1, x[2], 1e-9);
    }

    @Test
    void allNegativeTargetsGiveZero() {
        double[][] a = {{1, 2}, {3, 4}};
        assertArrayEquals(new double[] {0, 0}, Nnls.solve(a, new double[] {-1, -5}), 0);
    }
}
