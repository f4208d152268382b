package io.edgesplit.runtime.fleet;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Handles one named fleet command on a node. Throw {@link IllegalArgumentException} for bad
 * arguments (answered 400); any other exception is answered 500 with its message.
 */
@FunctionalInterface
public interface CommandHandler {

    CommandResult handle(JsonNode args) throws Exception;
}
