package io.edgesplit.runtime.fleet;

/** A remote configuration was refused: unsigned, wrongly signed, malformed, or not newer than the one in force. */
public final class ConfigRejectedException extends Exception {

    private static final long serialVersionUID = 1L;

    public ConfigRejectedException(String message) {
        super(message);
    }
}
