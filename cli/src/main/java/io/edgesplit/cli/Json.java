package io.edgesplit.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.function.BiConsumer;

/** The one JSON writer of the CLI's {@code --json} outputs (Jackson, pretty-printed, nulls omitted). */
final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Json() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    /**
     * A command's report on {@code out}: as JSON with {@code --json}, else as {@code text} writes it;
     * then flushed.
     */
    static <R> void print(PrintWriter out, boolean json, R report, BiConsumer<R, PrintWriter> text) {
        if (json) {
            out.println(write(report));
        } else {
            text.accept(report, out);
        }
        out.flush();
    }
}
