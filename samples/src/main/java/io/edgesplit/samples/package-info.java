/** Runnable samples (issue 8). Not built yet. */
package io.edgesplit.samples;
