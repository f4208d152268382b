package io.edgesplit.profile.costmodel;

/**
 * Non-negative least squares, {@code min ||A x - b||} subject to {@code x >= 0}, by the active-set
 * method of Lawson and Hanson (Solving Least Squares Problems, 1974, chapter 23). The unconstrained
 * subproblems are solved by Householder QR, so nearly collinear columns (an operator type's MACs and
 * bytes often grow together) do not square the condition number as normal equations would. Sizes here
 * are small (hundreds of rows, tens of columns). Stateless.
 */
final class Nnls {

    private Nnls() {
    }

    /**
     * Solves the problem; {@code a} is row-major, {@code a[i][j]}, and is not modified.
     *
     * @return x, with {@code x.length == a[0].length}
     */
    static double[] solve(double[][] a, double[] b) {
        int m = a.length;
        int n = m == 0 ? 0 : a[0].length;
        double[] x = new double[n];
        if (m == 0 || n == 0) {
            return x;
        }
        boolean[] passive = new boolean[n];
        double scale = 0;
        for (double[] row : a) {
            for (double v : row) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        double bNorm = 0;
        for (double v : b) {
            bNorm = Math.max(bNorm, Math.abs(v));
        }
        double tol = 1e-12 * Math.max(1, scale) * Math.max(1, bNorm) * m;
        int maxIterations = 30 * n;
        for (int iteration = 0; iteration < maxIterations; iteration++) {
            double[] w = gradient(a, b, x);
            int t = -1;
            double best = tol;
            for (int j = 0; j < n; j++) {
                if (!passive[j] && w[j] > best) {
                    best = w[j];
                    t = j;
                }
            }
            if (t < 0) {
                break;
            }
            passive[t] = true;
            while (true) {
                double[] s = leastSquares(a, b, passive);
                boolean feasible = true;
                for (int j = 0; j < n; j++) {
                    if (passive[j] && s[j] <= 0) {
                        feasible = false;
                        break;
                    }
                }
                if (feasible) {
                    System.arraycopy(s, 0, x, 0, n);
                    break;
                }
                double alpha = Double.POSITIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    if (passive[j] && s[j] <= 0) {
                        double denominator = x[j] - s[j];
                        alpha = Math.min(alpha, denominator <= 0 ? 0 : x[j] / denominator);
                    }
                }
                boolean anyLeft = false;
                for (int j = 0; j < n; j++) {
                    if (passive[j]) {
                        x[j] += alpha * (s[j] - x[j]);
                        if (x[j] <= 1e-15 * Math.max(1, Math.abs(s[j]))) {
                            x[j] = 0;
                            passive[j] = false;
                        } else {
                            anyLeft = true;
                        }
                    }
                }
                if (!anyLeft) {
                    break;
                }
            }
        }
        return x;
    }

    /** A^T (b - A x). */
    private static double[] gradient(double[][] a, double[] b, double[] x) {
        int n = x.length;
        double[] w = new double[n];
        for (int i = 0; i < a.length; i++) {
            double r = b[i];
            for (int j = 0; j < n; j++) {
                r -= a[i][j] * x[j];
            }
            for (int j = 0; j < n; j++) {
                w[j] += a[i][j] * r;
            }
        }
        return w;
    }

    /**
     * Unconstrained least squares over the passive columns (the others are zero) by Householder QR;
     * a column whose pivot vanishes (it lies in the span of the columns before it) gets 0.
     */
    static double[] leastSquares(double[][] a, double[] b, boolean[] passive) {
        int m = a.length;
        int n = passive.length;
        int k = 0;
        int[] cols = new int[n];
        for (int j = 0; j < n; j++) {
            if (passive[j]) {
                cols[k++] = j;
            }
        }
        double[][] r = new double[m][k];
        for (int i = 0; i < m; i++) {
            for (int c = 0; c < k; c++) {
                r[i][c] = a[i][cols[c]];
            }
        }
        double[] y = b.clone();
        double[] diag = new double[k];
        double columnScale = 0;
        for (int c = 0; c < k && c < m; c++) {
            double norm = 0;
            for (int i = c; i < m; i++) {
                norm = Math.hypot(norm, r[i][c]);
            }
            columnScale = Math.max(columnScale, norm);
            if (norm == 0) {
                diag[c] = 0;
                continue;
            }
            double alpha = r[c][c] > 0 ? -norm : norm;
            // v = x - alpha e1, stored in place below the diagonal
            r[c][c] -= alpha;
            double vNorm2 = 0;
            for (int i = c; i < m; i++) {
                vNorm2 += r[i][c] * r[i][c];
            }
            if (vNorm2 > 0) {
                for (int j = c + 1; j < k; j++) {
                    double dot = 0;
                    for (int i = c; i < m; i++) {
                        dot += r[i][c] * r[i][j];
                    }
                    double f = 2 * dot / vNorm2;
                    for (int i = c; i < m; i++) {
                        r[i][j] -= f * r[i][c];
                    }
                }
                double dot = 0;
                for (int i = c; i < m; i++) {
                    dot += r[i][c] * y[i];
                }
                double f = 2 * dot / vNorm2;
                for (int i = c; i < m; i++) {
                    y[i] -= f * r[i][c];
                }
            }
            diag[c] = alpha;
        }
        double[] s = new double[k];
        double rankTol = 1e-10 * Math.max(columnScale, Double.MIN_NORMAL);
        for (int c = Math.min(k, m) - 1; c >= 0; c--) {
            if (Math.abs(diag[c]) <= rankTol) {
                s[c] = 0;
                continue;
            }
            double sum = y[c];
            for (int j = c + 1; j < k; j++) {
                sum -= r[c][j] * s[j];
            }
            s[c] = sum / diag[c];
        }
        double[] out = new double[n];
        for (int c = 0; c < k; c++) {
            out[cols[c]] = s[c];
        }
        return out;
    }
}
