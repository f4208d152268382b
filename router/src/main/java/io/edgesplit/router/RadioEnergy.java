package io.edgesplit.router;

import io.edgesplit.profile.RadioPowerModel;

/**
 * Device radio energy of one request in the model of Huang et al. (MobiSys 2012), as AT&T ARO
 * parameterizes it: promotion energy when the radio was idle, transfer power
 * {@code alpha * throughput(Mbps) + beta} for each direction's transfer time, {@code beta} while
 * waiting for the answer, and the tail power for the share of the radio's tail this request owns
 * before the next one (min(interval, tail time)). Shared by the planner's predictions and the
 * runtime's accounting so both speak the same model.
 */
public final class RadioEnergy {

    private RadioEnergy() {
    }

    /** Millijoules; all times in milliseconds, throughputs in Mbit/s. */
    public static double millijoules(RadioPowerModel radio, double promotionMillis, double upMillis, double upMbps,
            double downMillis, double downMbps, double waitMillis, double requestIntervalMillis) {
        return promotionMillis * radio.promotionPowerMilliwatts() / 1000
                + upMillis * (radio.alphaUpMilliwattsPerMbps() * upMbps + radio.betaMilliwatts()) / 1000
                + downMillis * (radio.alphaDownMilliwattsPerMbps() * downMbps + radio.betaMilliwatts()) / 1000
                + waitMillis * radio.betaMilliwatts() / 1000
                + Math.min(requestIntervalMillis, radio.tailTimeMillis()) * radio.tailPowerMilliwatts() / 1000;
    }
}
