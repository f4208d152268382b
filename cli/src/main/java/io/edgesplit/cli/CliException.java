package io.edgesplit.cli;

/** A command failed for a reason the user can act on; the message is printed without a stack trace. */
final class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    CliException(String message) {
        super(message);
    }

    CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
