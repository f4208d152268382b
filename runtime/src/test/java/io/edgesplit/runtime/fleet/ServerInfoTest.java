package io.edgesplit.runtime.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ServerInfoTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static ServerInfo announcing(String loadJson) throws Exception {
        JsonNode load = loadJson == null ? MissingNode.getInstance() : MAPPER.readTree(loadJson);
        return new ServerInfo("edge-1", MAPPER.createObjectNode(), List.of(), load, 0, 0);
    }

    private static String problem(String loadJson) {
        return assertThrows(IllegalArgumentException.class, () -> announcing(loadJson).estimatedQueueNanos())
                .getMessage();
    }

    @Test
    void theAnnouncedQueueWaitIsReadFromTheServerLoad() throws Exception {
        assertEquals(OptionalLong.of(2_500_000L), announcing("{\"workers\": 2, \"queued\": 1, \"estimatedQueueNs\": 2500000}")
                .estimatedQueueNanos());
        assertEquals(OptionalLong.of(0), announcing("{\"estimatedQueueNs\": 0}").estimatedQueueNanos());
        assertEquals(OptionalLong.of(ServerInfo.MAX_ESTIMATED_QUEUE_NANOS),
                announcing("{\"estimatedQueueNs\": 60000000000}").estimatedQueueNanos());
    }

    @Test
    void noLoadOrNoQueueFieldAnnouncesNothing() throws Exception {
        assertEquals(OptionalLong.empty(), announcing(null).estimatedQueueNanos());
        assertEquals(OptionalLong.empty(), announcing("null").estimatedQueueNanos());
        assertEquals(OptionalLong.empty(), announcing("{}").estimatedQueueNanos());
        assertEquals(OptionalLong.empty(), announcing("{\"estimatedQueueNs\": null}").estimatedQueueNanos());
    }

    @Test
    void negativeAbsurdOrMistypedQueueWaitsAreRefusedNamingTheField() {
        assertEquals("load.estimatedQueueNs: must be in [0, 60000000000] ns, was -5", problem("{\"estimatedQueueNs\": -5}"));
        assertEquals("load.estimatedQueueNs: must be in [0, 60000000000] ns, was 60000000001",
                problem("{\"estimatedQueueNs\": 60000000001}"));
        assertEquals("load.estimatedQueueNs: must be in [0, 60000000000] ns, was 123456789012345678901234567890",
                problem("{\"estimatedQueueNs\": 123456789012345678901234567890}"));
        assertEquals("load.estimatedQueueNs: must be an integer number of nanoseconds, was 2.5",
                problem("{\"estimatedQueueNs\": 2.5}"));
        assertEquals("load.estimatedQueueNs: must be an integer number of nanoseconds, was \"soon\"",
                problem("{\"estimatedQueueNs\": \"soon\"}"));
        assertEquals("load: must be a JSON object, was ARRAY", problem("[1, 2]"));
    }
}
