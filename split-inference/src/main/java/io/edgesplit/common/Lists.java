package io.edgesplit.common;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * Immutable list helpers that exist on Android API 26 (Java 10's {@code List.copyOf} and Java 9's
 * {@code List.of} do not), for library code that apps link.
 */
public final class Lists {

    private Lists() {
    }

    /** An unmodifiable copy of {@code source}. */
    public static <T> List<T> copyOf(Collection<? extends T> source) {
        return Collections.unmodifiableList(new ArrayList<>(source));
    }
}
