/**
 * Reads this machine's hardware without root ({@link io.edgesplit.profile.probe.HardwareProbe}) and turns it into
 * a draft profile that leaves power, links and latencies for measurement.
 */
package io.edgesplit.profile.probe;
