package io.edgesplit.profile;

/** Lets tests in other packages reuse the valid base profile of {@link MalformedProfileTest}. */
public final class MalformedProfileTestAccess {

    private MalformedProfileTestAccess() {
    }

    public static String validProfile() {
        return MalformedProfileTest.VALID;
    }

    /** The valid base profile of {@link CostModelSectionTest}, which has a cost model section. */
    public static String validProfileWithCostModels() {
        return CostModelSectionTest.VALID;
    }
}
