package io.edgesplit.profile.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Java 9 to 11 library methods that Android API 26 lacks, written with what it has, for this
 * module's main code (an Android app links it; animal-sniffer checks it against API 26). Each
 * method behaves like the JDK method it names: the collections are unmodifiable and reject null
 * elements, keys and values with a {@link NullPointerException}. Where the JDK leaves iteration
 * order unspecified ({@code Set.copyOf}, {@code Map.copyOf}) these keep the source's order.
 * Not a public API.
 */
public final class Backports {

    /** Read chunk: a bound of megabytes does not allocate megabytes for a file of a few bytes. */
    private static final int CHUNK = 8192;

    private Backports() {
    }

    /** {@code List.copyOf}: an unmodifiable copy; null elements are refused. */
    public static <T> List<T> listCopy(Collection<? extends T> source) {
        List<T> copy = new ArrayList<>(source);
        for (T t : copy) {
            Objects.requireNonNull(t);
        }
        return Collections.unmodifiableList(copy);
    }

    /** {@code List.of(items...)}: an unmodifiable list of the items; null items are refused. */
    @SafeVarargs
    public static <T> List<T> listOf(T... items) {
        List<T> list = new ArrayList<>(items.length);
        for (T t : items) {
            list.add(Objects.requireNonNull(t));
        }
        return Collections.unmodifiableList(list);
    }

    /** {@code Set.copyOf}: an unmodifiable copy without duplicates, in the source's order; null elements are refused. */
    public static <T> Set<T> setCopy(Collection<? extends T> source) {
        Set<T> copy = new LinkedHashSet<>(source);
        for (T t : copy) {
            Objects.requireNonNull(t);
        }
        return Collections.unmodifiableSet(copy);
    }

    /** {@code Set.of(items...)}: an unmodifiable set; null items are refused, a duplicate is an IllegalArgumentException. */
    @SafeVarargs
    public static <T> Set<T> setOf(T... items) {
        Set<T> set = new LinkedHashSet<>();
        for (T t : items) {
            if (!set.add(Objects.requireNonNull(t))) {
                throw new IllegalArgumentException("duplicate element: " + t);
            }
        }
        return Collections.unmodifiableSet(set);
    }

    /** {@code Map.copyOf}: an unmodifiable copy in the source's order; null keys and values are refused. */
    public static <K, V> Map<K, V> mapCopy(Map<? extends K, ? extends V> source) {
        Map<K, V> copy = new LinkedHashMap<>(source);
        for (Map.Entry<K, V> e : copy.entrySet()) {
            Objects.requireNonNull(e.getKey());
            Objects.requireNonNull(e.getValue());
        }
        return Collections.unmodifiableMap(copy);
    }

    /** {@code String.isBlank}: empty or only white space code points ({@link Character#isWhitespace(int)}). */
    public static boolean isBlank(String s) {
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (!Character.isWhitespace(cp)) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }

    /**
     * {@code InputStream.readNBytes(len)}: reads until {@code len} bytes or the end of the stream,
     * whichever comes first, and returns what was read. Memory grows with what is read, not with
     * {@code len}.
     */
    public static byte[] readNBytes(InputStream in, int len) throws IOException {
        if (len < 0) {
            throw new IllegalArgumentException("len < 0");
        }
        byte[] chunk = new byte[Math.min(len, CHUNK)];
        ByteArrayOutputStream out = new ByteArrayOutputStream(chunk.length);
        int remaining = len;
        while (remaining > 0) {
            int n = in.read(chunk, 0, Math.min(chunk.length, remaining));
            if (n < 0) {
                break;
            }
            out.write(chunk, 0, n);
            remaining -= n;
        }
        return out.toByteArray();
    }

    /** {@code InputStream.readAllBytes()}: reads to the end of the stream. */
    public static byte[] readAllBytes(InputStream in) throws IOException {
        return readNBytes(in, Integer.MAX_VALUE);
    }
}
