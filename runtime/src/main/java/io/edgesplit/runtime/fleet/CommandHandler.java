package io.edgesplit.runtime.fleet;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Handles one named fleet command on a node. Throw {@link IllegalArgumentException} for bad
 * arguments (answered 400); any other exception is answered 500 with its message.
 */
@FunctionalInterface
public interface CommandHandler {

    /**
     * @param args the request's {@code args}: always a JSON object (an empty one when the request has
     *     none); requests whose {@code args} is not an object are answered 400 before any handler runs
     */
    CommandResult handle(JsonNode args) throws Exception;

    /**
     * For commands without arguments: refuses any field in {@code args}.
     *
     * @throws IllegalArgumentException naming the command and the first field, answered 400
     */
    static void requireNoArgs(String command, JsonNode args) {
        if (args != null && args.size() > 0) {
            throw new IllegalArgumentException(command + ": args." + args.fieldNames().next()
                    + ": unknown field, this command takes no arguments");
        }
    }
}
