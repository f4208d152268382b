/** Offload transports and the edge server (issue 6). Not built yet. */
package io.edgesplit.offload;
