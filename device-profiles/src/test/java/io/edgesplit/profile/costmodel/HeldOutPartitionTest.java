package io.edgesplit.profile.costmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.modelpackage.SplitPoint;
import io.edgesplit.modelpackage.Variant;
import io.edgesplit.profile.testing.SyntheticPackage;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeldOutPartitionTest {

    @Test
    void evenCutsAreFittedAndTheOddCutsSegmentsAreHeldOut(@TempDir Path tmp) throws Exception {
        ModelPackage pkg = SyntheticPackage.write(tmp.resolve("pkg"), 0.25);
        HeldOutEvaluation.Partition p = HeldOutEvaluation.alternateCuts(pkg);
        Variant v = pkg.variants().get(0);
        List<SplitPoint> splits = v.splits();
        Set<String> all = new HashSet<>(pkg.manifest().segments().keySet());
        assertTrue(p.training().contains(splits.get(0).tailSegment()), "the whole model, tail of the first cut");
        assertTrue(p.training().contains(splits.get(2).headSegment()));
        assertTrue(p.heldOut().contains(splits.get(1).headSegment()));
        assertTrue(p.heldOut().contains(splits.get(1).tailSegment()));
        Set<String> both = new HashSet<>(p.training());
        both.retainAll(p.heldOut());
        assertEquals(Set.of(), both);
        Set<String> union = new HashSet<>(p.training());
        union.addAll(p.heldOut());
        assertEquals(all, union, "every segment is on one side");
        assertFalse(p.heldOut().isEmpty());
    }
}
