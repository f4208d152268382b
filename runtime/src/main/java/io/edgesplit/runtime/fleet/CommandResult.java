package io.edgesplit.runtime.fleet;

import com.fasterxml.jackson.databind.JsonNode;

/** The answer to a fleet command: an HTTP-like code (200, 400, 404, 500), a message and an optional body. */
public final class CommandResult {

    private final int code;
    private final String message;
    private final JsonNode body;

    public CommandResult(int code, String message, JsonNode body) {
        this.code = code;
        this.message = message == null ? "" : message;
        this.body = body;
    }

    public static CommandResult ok(JsonNode body) {
        return new CommandResult(200, "ok", body);
    }

    public int code() {
        return code;
    }

    public String message() {
        return message;
    }

    /** The result body, or null. */
    public JsonNode body() {
        return body;
    }

    @Override
    public String toString() {
        return code + " " + message + (body == null ? "" : " " + body);
    }
}
