package io.edgesplit.runtime.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void capDoublesUpToTheMaximum() {
        Backoff b = new Backoff(500, 8000, () -> 0.999999);
        assertEquals(500, b.capMillis(0));
        assertEquals(1000, b.capMillis(1));
        assertEquals(8000, b.capMillis(4));
        assertEquals(8000, b.capMillis(50));
    }

    @Test
    void delaysAreJitteredWithinTheCap() {
        Random r = new Random(1);
        Backoff b = new Backoff(1000, 30_000, r::nextDouble);
        Set<Long> distinct = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            long d = b.delayMillis(2);
            assertTrue(d >= 0 && d <= 4000, "delay " + d);
            distinct.add(d);
        }
        assertTrue(distinct.size() > 90, "jittered: " + distinct.size() + " distinct of 100");
    }

    @Test
    void invalidSettingsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Backoff(0, 10, () -> 0));
        assertEquals("initialMillis: must be >= 1, was 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Backoff(100, 10, () -> 0));
        assertEquals("maxMillis: must be >= initialMillis (100), was 10", e.getMessage());
    }

    @Test
    void topicsRefuseWildcardsAndSeparators() {
        assertEquals("edgesplit/v1/f/BIRTH/n-1", FleetTopics.topic("f", FleetTopics.Type.BIRTH, "n-1"));
        for (String bad : new String[] {"a+b", "a#", "a/b", "", "x".repeat(65)}) {
            assertThrows(IllegalArgumentException.class, () -> FleetTopics.topic("f", FleetTopics.Type.BIRTH, bad));
        }
        assertEquals(FleetTopics.Type.STATE, FleetTopics.parse("edgesplit/v1/f/STATE/edge-1").type());
        assertEquals(null, FleetTopics.parse("edgesplit/v1/f/NOPE/edge-1"));
        assertTrue(MqttLink.topicMatches("edgesplit/v1/f/STATE/+", "edgesplit/v1/f/STATE/edge-1"));
        assertTrue(!MqttLink.topicMatches("edgesplit/v1/f/STATE/+", "edgesplit/v1/f/DEATH/edge-1"));
    }

    @Test
    void plaintextToARemoteBrokerMustBeAllowedExplicitly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MqttSettings.builder("tcp://broker.example.com:1883", "f", "n").build());
        assertTrue(e.getMessage().contains("is plaintext to a remote broker; use ssl://"), e.getMessage());
        MqttSettings.builder("ssl://broker.example.com:8883", "f", "n").build();
        MqttSettings.builder("tcp://127.0.0.1:1883", "f", "n").build();
        MqttSettings.builder("tcp://broker.example.com:1883", "f", "n").allowPlaintext(true).build();
    }
}
