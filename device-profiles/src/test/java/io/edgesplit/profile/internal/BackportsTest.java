package io.edgesplit.profile.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The backports behave like the JDK methods they stand in for on Android API 26. */
class BackportsTest {

    @Test
    void listCopyIsAnUnmodifiableSnapshotWithoutNulls() {
        List<String> source = new ArrayList<>(Arrays.asList("a", "b"));
        List<String> copy = Backports.listCopy(source);
        source.add("c");
        assertEquals(List.of("a", "b"), copy);
        assertThrows(UnsupportedOperationException.class, () -> copy.add("d"));
        assertThrows(UnsupportedOperationException.class, () -> copy.set(0, "d"));
        assertThrows(NullPointerException.class, () -> Backports.listCopy(Arrays.asList("a", null)));
        assertThrows(NullPointerException.class, () -> Backports.listCopy(null));
    }

    @Test
    void listOfCopiesTheArrayAndRefusesNulls() {
        String[] items = {"x", "y"};
        List<String> list = Backports.listOf(items);
        items[0] = "z";
        assertEquals(List.of("x", "y"), list);
        assertThrows(UnsupportedOperationException.class, () -> list.remove(0));
        assertThrows(NullPointerException.class, () -> Backports.listOf("a", null));
    }

    @Test
    void setsKeepOrderRefuseNullsAndSetOfRefusesDuplicates() {
        Set<String> copy = Backports.setCopy(Arrays.asList("b", "a", "b"));
        assertEquals(List.of("b", "a"), new ArrayList<>(copy));
        assertThrows(UnsupportedOperationException.class, () -> copy.add("c"));
        assertThrows(NullPointerException.class, () -> Backports.setCopy(Arrays.asList("a", null)));
        assertEquals(Set.of("n", "y"), Backports.setOf("n", "y"));
        assertThrows(IllegalArgumentException.class, () -> Backports.setOf("n", "n"));
        assertThrows(NullPointerException.class, () -> Backports.setOf("n", null));
    }

    @Test
    void mapCopyKeepsOrderAndRefusesNullKeysAndValues() {
        Map<String, Long> source = new LinkedHashMap<>();
        source.put("z", 1L);
        source.put("a", 2L);
        Map<String, Long> copy = Backports.mapCopy(source);
        source.put("q", 3L);
        assertEquals(List.of("z", "a"), new ArrayList<>(copy.keySet()));
        assertThrows(UnsupportedOperationException.class, () -> copy.put("b", 4L));
        Map<String, Long> nullValue = new LinkedHashMap<>();
        nullValue.put("a", null);
        assertThrows(NullPointerException.class, () -> Backports.mapCopy(nullValue));
        Map<String, Long> nullKey = new LinkedHashMap<>();
        nullKey.put(null, 1L);
        assertThrows(NullPointerException.class, () -> Backports.mapCopy(nullKey));
    }

    @Test
    void isBlankAgreesWithStringIsBlank() {
        // trim() would differ on the Unicode spaces (U+2003, U+3000) and on control characters below U+0020.
        for (String s : new String[] {"", " ", "\t\n\r\u000B\f", "\u001C\u001F", "\u2003", "\u3000 ", "\u00A0",
                "\u0001", "a", " a ", "\u2003x", "\uD83D\uDE00", "\u0000"}) {
            assertEquals(s.isBlank(), Backports.isBlank(s), () -> "for " + escape(s));
        }
        assertThrows(NullPointerException.class, () -> Backports.isBlank(null));
    }

    @Test
    void readNBytesStopsAtTheBoundOrTheEndOfAShortReadingStream() throws IOException {
        byte[] data = new byte[20_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        assertArrayEquals(Arrays.copyOf(data, 12_345), Backports.readNBytes(trickle(data), 12_345));
        assertArrayEquals(data, Backports.readNBytes(trickle(data), 1 << 22));
        assertArrayEquals(data, Backports.readNBytes(trickle(data), data.length));
        assertArrayEquals(new byte[0], Backports.readNBytes(trickle(data), 0));
        assertArrayEquals(data, Backports.readAllBytes(trickle(data)));
        assertArrayEquals(new byte[0], Backports.readAllBytes(new ByteArrayInputStream(new byte[0])));
        assertThrows(IllegalArgumentException.class, () -> Backports.readNBytes(trickle(data), -1));
        InputStream rest = trickle(data);
        Backports.readNBytes(rest, 100);
        assertEquals(100, rest.read(), "reads no more than the bound");
    }

    /** A stream that returns at most 7 bytes per read, like a pipe or a slow file system. */
    private static InputStream trickle(byte[] data) {
        return new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 7));
            }
        };
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(cp -> b.append(String.format("\\u%04X", cp)));
        return b.toString();
    }
}
