package io.edgesplit.profile;

import io.edgesplit.profile.internal.Backports;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A profile could not be loaded: it is unreadable, not YAML, or breaks one or more rules of the
 * format. Carries every problem found, not just the first, so a user fixes a file in one pass. The
 * message lists them one per line, each as {@code file:line:column: field.path: reason}.
 */
public class ProfileException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient List<ProfileError> errors;

    /** @param errors at least one problem, in the order they should be shown */
    public ProfileException(List<ProfileError> errors) {
        super(format(errors));
        this.errors = Backports.listCopy(errors);
    }

    /** A single problem that concerns the whole source (unreadable, too large, not found). */
    public ProfileException(String source, String message, Throwable cause) {
        this(Collections.singletonList(new ProfileError(source, 0, 0, "", message)));
        if (cause != null) {
            initCause(cause);
        }
    }

    /** Every problem found, in document order. Never empty. */
    public List<ProfileError> errors() {
        return errors;
    }

    private static String format(List<ProfileError> errors) {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("errors: must not be empty");
        }
        return errors.stream().map(ProfileError::toString).collect(Collectors.joining("\n"));
    }
}
