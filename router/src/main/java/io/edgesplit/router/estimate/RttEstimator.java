package io.edgesplit.router.estimate;

/**
 * Round-trip time in the manner of TCP (RFC 6298): a smoothed RTT with gain 1/8 and a mean deviation
 * with gain 1/4; a sample more than four deviations above the smoothed value moves it by at most one
 * deviation, so a single stall does not drag the estimate. Starts at the profile's nominal RTT.
 * Not thread-safe.
 */
final class RttEstimator {

    private double smoothedMillis;
    private double deviationMillis;
    private boolean measured;

    RttEstimator(double nominalMillis) {
        this.smoothedMillis = nominalMillis;
        this.deviationMillis = nominalMillis / 2;
    }

    void sample(double millis) {
        if (!(millis >= 0)) {
            return;
        }
        if (!measured) {
            smoothedMillis = millis;
            deviationMillis = millis / 2;
            measured = true;
            return;
        }
        double limit = smoothedMillis + 4 * Math.max(deviationMillis, 1);
        double x = Math.min(millis, limit);
        deviationMillis = 0.75 * deviationMillis + 0.25 * Math.abs(x - smoothedMillis);
        smoothedMillis = 0.875 * smoothedMillis + 0.125 * x;
    }

    double millis() {
        return smoothedMillis;
    }

    double deviationMillis() {
        return deviationMillis;
    }
}
