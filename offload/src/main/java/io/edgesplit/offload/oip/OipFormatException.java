package io.edgesplit.offload.oip;

import io.edgesplit.offload.OffloadException;

/**
 * An Open Inference Protocol payload is malformed: not JSON, a missing or mistyped field, a tensor
 * whose data does not match its shape and datatype, a binary section that does not add up. The
 * message names the field ({@code inputs[0].data}) and the reason.
 */
public final class OipFormatException extends OffloadException {

    private static final long serialVersionUID = 1L;

    public OipFormatException(String message) {
        super(message, false);
    }

    public OipFormatException(String message, Throwable cause) {
        super(message, false, cause);
    }
}
