package io.edgesplit.offload.resilience;

import io.edgesplit.offload.OffloadRequest;
import io.edgesplit.offload.OffloadResult;

/**
 * What to do when offloading fails: compute the result on this device. The runtime passes "run the
 * whole model locally" (it holds the original input); tests pass a local tail session. Called at most
 * once per request, on the fallback executor, never on an I/O thread.
 */
@FunctionalInterface
public interface LocalFallback {

    /**
     * @param request the request that could not be offloaded
     * @param cause why: the last attempt's failure, a {@code CircuitOpenException}, or an
     *     {@code OffloadTimeoutException} when the offload part of the deadline ran out
     * @return the result, with {@link OffloadResult#local()} set (the chain sets it if not)
     * @throws Exception when local execution fails too; the request then fails with it
     */
    OffloadResult run(OffloadRequest request, Throwable cause) throws Exception;
}
