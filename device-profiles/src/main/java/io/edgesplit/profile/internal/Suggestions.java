package io.edgesplit.profile.internal;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean" for misspelled keys and names: the closest candidate by Damerau-Levenshtein distance. */
public final class Suggestions {

    private Suggestions() {
    }

    /**
     * The candidate closest to {@code typed}, if one is close enough to be a likely typo: at most
     * max(2, length/3) edits (insertions, deletions, substitutions, adjacent transpositions), or
     * equal ignoring case, or one a prefix of the other (such as {@code uplinkMbps} for {@code uplink}).
     */
    public static Optional<String> closest(String typed, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String lower = typed.toLowerCase(Locale.ROOT);
        for (String c : candidates) {
            String cl = c.toLowerCase(Locale.ROOT);
            int d = distance(lower, cl);
            boolean prefix = Math.min(lower.length(), cl.length()) >= 3 && (lower.startsWith(cl) || cl.startsWith(lower));
            boolean close = d <= Math.max(2, Math.max(typed.length(), c.length()) / 3);
            if ((close || prefix) && d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Optimal-string-alignment distance (Damerau-Levenshtein without repeated edits of a substring). */
    public static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
