package io.edgesplit.modelpackage;

import io.edgesplit.common.Lists;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgesplit.common.Sha256;
import io.edgesplit.tensor.DataType;
import io.edgesplit.tensor.Quantization;
import io.edgesplit.tensor.TensorSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code manifest.json} of a model package: format version, family, allowed codecs, the
 * content-addressed segments, and the variants with their split points. Reads validate every field
 * and name the path of the first bad one; writes are deterministic. Immutable.
 *
 * <pre>
 * {
 *   "format": "edgesplit-model-package", "formatVersion": 1,
 *   "family": "mobilenet_v1", "createdBy": "edgesplit 0.1.0", "maxCrossing": 2,
 *   "codecs": ["raw", "fp16", "int8"],
 *   "segments": [{"sha256": "...", "file": "segments/&lt;sha256&gt;.tflite", "bytes": 123}],
 *   "variants": [{
 *     "id": "w0.25", "width": 0.25, "accuracy": 0.415, "calibrated": true, "derivedFrom": null,
 *     "source": {"file": "mobilenet_v1_0.25_128_quant.tflite", "sha256": "..."},
 *     "inputs": [tensor], "outputs": [tensor], "operators": 31, "macs": 14000000, "parameters": 470000,
 *     "splits": [{"id": "w0.25/s000", "head": "0-4", "headOperators": 5, "tailOperators": 26,
 *                 "crossing": [tensor], "headMacs": 1, "tailMacs": 2, "headParameters": 3, "tailParameters": 4,
 *                 "headSegment": "sha256 or null", "tailSegment": "sha256 or null"}]}]
 * }
 * tensor = {"name": "...", "shape": [1,56,56,24], "datatype": "UINT8", "bytes": 75264,
 *           "quantization": {"scale": [0.02], "zeroPoint": [0], "axis": 0}, "passthrough": false}
 * </pre>
 */
public final class PackageManifest {

    public static final String FORMAT = "edgesplit-model-package";
    public static final int FORMAT_VERSION = 1;
    /** Manifests larger than this are refused before they are read. */
    public static final long MAX_MANIFEST_BYTES = 16L << 20;

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(1 << 20).build())
            .build())
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final String family;
    private final String createdBy;
    private final int maxCrossing;
    private final List<String> codecs;
    private final Map<String, SegmentRef> segments;
    private final List<Variant> variants;

    public PackageManifest(String family, String createdBy, int maxCrossing, List<String> codecs,
            List<SegmentRef> segments, List<Variant> variants) {
        this.family = family;
        this.createdBy = createdBy;
        this.maxCrossing = maxCrossing;
        this.codecs = Lists.copyOf(codecs);
        Map<String, SegmentRef> map = new LinkedHashMap<>();
        for (SegmentRef s : segments) {
            map.put(s.sha256(), s);
        }
        this.segments = Collections.unmodifiableMap(map);
        this.variants = Lists.copyOf(variants);
    }

    public String family() {
        return family;
    }

    public String createdBy() {
        return createdBy;
    }

    /** The K the split points were enumerated with. */
    public int maxCrossing() {
        return maxCrossing;
    }

    /** Codecs the crossing tensors may be sent with. */
    public List<String> codecs() {
        return codecs;
    }

    /** Segments by SHA-256. */
    public Map<String, SegmentRef> segments() {
        return segments;
    }

    /** Variants, narrowest first. */
    public List<Variant> variants() {
        return variants;
    }

    /**
     * The variant with this id.
     *
     * @throws IllegalArgumentException listing the package's variant ids
     */
    public Variant variant(String id) {
        List<String> ids = new ArrayList<>();
        for (Variant v : variants) {
            if (v.id().equals(id)) {
                return v;
            }
            ids.add(v.id());
        }
        throw new IllegalArgumentException("no variant '" + id + "' in package " + family + ", it has " + ids);
    }

    // ---------------------------------------------------------------------------------------------
    // Writing

    public String toJson() {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("formatVersion", FORMAT_VERSION);
        root.put("family", family);
        root.put("createdBy", createdBy);
        root.put("maxCrossing", maxCrossing);
        ArrayNode c = root.putArray("codecs");
        codecs.forEach(c::add);
        ArrayNode segs = root.putArray("segments");
        for (SegmentRef s : segments.values()) {
            ObjectNode n = segs.addObject();
            n.put("sha256", s.sha256());
            n.put("file", s.file());
            n.put("bytes", s.bytes());
        }
        ArrayNode vs = root.putArray("variants");
        for (Variant v : variants) {
            ObjectNode n = vs.addObject();
            n.put("id", v.id());
            n.put("width", v.width());
            if (v.accuracy() == null) {
                n.putNull("accuracy");
            } else {
                n.put("accuracy", v.accuracy());
            }
            n.put("calibrated", v.calibrated());
            if (v.derivedFrom() == null) {
                n.putNull("derivedFrom");
            } else {
                n.put("derivedFrom", v.derivedFrom());
            }
            ObjectNode src = n.putObject("source");
            src.put("file", v.sourceFile());
            src.put("sha256", v.sourceSha256());
            tensors(n.putArray("inputs"), v.inputs());
            tensors(n.putArray("outputs"), v.outputs());
            n.put("operators", v.operatorCount());
            n.put("macs", v.macs());
            n.put("parameters", v.parameters());
            ArrayNode splits = n.putArray("splits");
            for (SplitPoint s : v.splits()) {
                ObjectNode sn = splits.addObject();
                sn.put("id", s.id());
                sn.put("head", s.headOperators());
                sn.put("headOperators", s.headOperatorCount());
                sn.put("tailOperators", s.tailOperatorCount());
                tensors(sn.putArray("crossing"), s.crossing());
                sn.put("transferBytes", s.transferBytes());
                sn.put("headMacs", s.headMacs());
                sn.put("tailMacs", s.tailMacs());
                sn.put("headParameters", s.headParameters());
                sn.put("tailParameters", s.tailParameters());
                putNullable(sn, "headSegment", s.headSegment());
                putNullable(sn, "tailSegment", s.tailSegment());
            }
        }
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("manifest serialization failed", e);
        }
    }

    private static void putNullable(ObjectNode n, String field, String value) {
        if (value == null) {
            n.putNull(field);
        } else {
            n.put(field, value);
        }
    }

    private static void tensors(ArrayNode array, List<TensorDescriptor> tensors) {
        for (TensorDescriptor t : tensors) {
            ObjectNode n = array.addObject();
            TensorSpec s = t.spec();
            n.put("name", s.name());
            ArrayNode shape = n.putArray("shape");
            for (int d : s.shape()) {
                shape.add(d);
            }
            n.put("datatype", s.dataType().oipName());
            n.put("bytes", s.byteSize());
            Quantization q = s.quantization();
            if (q.isQuantized()) {
                ObjectNode qn = n.putObject("quantization");
                ArrayNode scales = qn.putArray("scale");
                for (float f : q.scales()) {
                    scales.add(f);
                }
                ArrayNode zps = qn.putArray("zeroPoint");
                for (long z : q.zeroPoints()) {
                    zps.add(z);
                }
                qn.put("axis", q.axis());
            }
            n.put("passthrough", t.passthrough());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Reading

    /**
     * Parses and validates a manifest.
     *
     * @param source what messages call the file, e.g. {@code pkg/manifest.json}
     * @throws PackageFormatException naming the file, the field path and the reason
     */
    public static PackageManifest parse(byte[] json, String source) throws PackageFormatException {
        if (json.length > MAX_MANIFEST_BYTES) {
            throw new PackageFormatException(source + ": " + json.length + " bytes, above the manifest limit of "
                    + MAX_MANIFEST_BYTES);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonParseException e) {
            throw new PackageFormatException(source + ":" + e.getLocation().getLineNr() + ":"
                    + e.getLocation().getColumnNr() + ": invalid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new PackageFormatException(source + ": invalid JSON: " + e.getMessage(), e);
        }
        return new Reader(source).manifest(root);
    }

    /** Walks the tree with the field path, so every error names where it is. */
    private static final class Reader {
        private final String source;

        Reader(String source) {
            this.source = source;
        }

        PackageManifest manifest(JsonNode root) throws PackageFormatException {
            requireObject(root, "");
            String format = text(root, "format", "");
            if (!FORMAT.equals(format)) {
                throw error("format", "expected '" + FORMAT + "', was '" + format + "'");
            }
            int version = integer(root, "formatVersion", "", 1, Integer.MAX_VALUE);
            if (version != FORMAT_VERSION) {
                throw error("formatVersion", version + " is not supported; this EdgeSplit reads version "
                        + FORMAT_VERSION);
            }
            String family = text(root, "family", "");
            String createdBy = optionalText(root, "createdBy", "");
            int maxCrossing = integer(root, "maxCrossing", "", 1, 64);
            List<String> codecs = new ArrayList<>();
            JsonNode codecNodes = array(root, "codecs", "");
            for (int i = 0; i < codecNodes.size(); i++) {
                JsonNode c = codecNodes.get(i);
                if (!c.isTextual() || c.asText().isEmpty()) {
                    throw error("codecs[" + i + "]", "must be a codec name");
                }
                codecs.add(c.asText());
            }
            if (!codecs.contains("raw")) {
                throw error("codecs", "must include 'raw'");
            }
            List<SegmentRef> segments = new ArrayList<>();
            Set<String> shas = new HashSet<>();
            JsonNode segNodes = array(root, "segments", "");
            for (int i = 0; i < segNodes.size(); i++) {
                String p = "segments[" + i + "]";
                JsonNode s = segNodes.get(i);
                requireObject(s, p);
                String sha = text(s, "sha256", p);
                if (!Sha256.isValid(sha)) {
                    throw error(p + ".sha256", "must be 64 lowercase hex characters, was '" + sha + "'");
                }
                String file = text(s, "file", p);
                if (!file.equals(SegmentRef.fileFor(sha))) {
                    throw error(p + ".file", "must be '" + SegmentRef.fileFor(sha) + "', was '" + file + "'");
                }
                long bytes = longValue(s, "bytes", p, 8, Integer.MAX_VALUE);
                if (!shas.add(sha)) {
                    throw error(p + ".sha256", "segment " + sha + " is listed twice");
                }
                segments.add(new SegmentRef(sha, bytes));
            }
            List<Variant> variants = new ArrayList<>();
            Set<String> variantIds = new HashSet<>();
            JsonNode vNodes = array(root, "variants", "");
            if (vNodes.size() == 0) {
                throw error("variants", "must list at least one variant");
            }
            for (int i = 0; i < vNodes.size(); i++) {
                Variant v = variant(vNodes.get(i), "variants[" + i + "]", shas);
                if (!variantIds.add(v.id())) {
                    throw error("variants[" + i + "].id", "'" + v.id() + "' is used by another variant");
                }
                variants.add(v);
            }
            for (Variant v : variants) {
                if (v.derivedFrom() != null && !variantIds.contains(v.derivedFrom())) {
                    throw error("variants[" + variants.indexOf(v) + "].derivedFrom", "no variant '" + v.derivedFrom() + "'");
                }
            }
            return new PackageManifest(family, createdBy, maxCrossing, codecs, segments, variants);
        }

        private Variant variant(JsonNode n, String p, Set<String> shas) throws PackageFormatException {
            requireObject(n, p);
            String id = text(n, "id", p);
            double width = number(n, "width", p);
            if (!(width > 0 && width <= 1)) {
                throw error(p + ".width", "must be in (0, 1], was " + width);
            }
            Double accuracy = null;
            JsonNode acc = n.get("accuracy");
            if (acc != null && !acc.isNull()) {
                accuracy = number(n, "accuracy", p);
                if (accuracy < 0 || accuracy > 1) {
                    throw error(p + ".accuracy", "must be in [0, 1] or null, was " + accuracy);
                }
            }
            boolean calibrated = bool(n, "calibrated", p);
            String derivedFrom = optionalText(n, "derivedFrom", p);
            JsonNode src = field(n, "source", p);
            requireObject(src, p + ".source");
            String sourceFile = text(src, "file", p + ".source");
            String sourceSha = text(src, "sha256", p + ".source");
            List<TensorDescriptor> inputs = tensors(array(n, "inputs", p), p + ".inputs");
            List<TensorDescriptor> outputs = tensors(array(n, "outputs", p), p + ".outputs");
            int operators = integer(n, "operators", p, 1, Integer.MAX_VALUE);
            long macs = longValue(n, "macs", p, 0, Long.MAX_VALUE);
            long params = longValue(n, "parameters", p, 0, Long.MAX_VALUE);
            JsonNode splitNodes = array(n, "splits", p);
            if (splitNodes.size() < 2) {
                throw error(p + ".splits", "must hold at least the full-offload and full-local points");
            }
            List<SplitPoint> splits = new ArrayList<>();
            Set<String> splitIds = new HashSet<>();
            for (int i = 0; i < splitNodes.size(); i++) {
                SplitPoint s = split(splitNodes.get(i), p + ".splits[" + i + "]", shas, operators);
                if (!splitIds.add(s.id())) {
                    throw error(p + ".splits[" + i + "].id", "'" + s.id() + "' is used twice");
                }
                splits.add(s);
            }
            if (!splits.get(0).isFullOffload()) {
                throw error(p + ".splits[0]", "the first split point must be full offload (no head segment)");
            }
            if (!splits.get(splits.size() - 1).isFullLocal()) {
                throw error(p + ".splits[" + (splits.size() - 1) + "]",
                        "the last split point must be full local (no tail segment)");
            }
            return new Variant(id, width, accuracy, calibrated, derivedFrom, sourceFile, sourceSha, inputs, outputs,
                    operators, macs, params, splits);
        }

        private SplitPoint split(JsonNode n, String p, Set<String> shas, int operators) throws PackageFormatException {
            requireObject(n, p);
            String id = text(n, "id", p);
            String head = n.has("head") && n.get("head").isTextual() ? n.get("head").asText() : null;
            if (head == null) {
                throw error(p + ".head", "must be a string of operator ranges (\"\" for none)");
            }
            try {
                io.edgesplit.graph.Cut.parseRanges(head, operators);
            } catch (IllegalArgumentException e) {
                throw error(p + ".head", e.getMessage());
            }
            int headOps = integer(n, "headOperators", p, 0, operators);
            int tailOps = integer(n, "tailOperators", p, 0, operators);
            if (headOps + tailOps != operators) {
                throw error(p, "headOperators + tailOperators = " + (headOps + tailOps) + ", the variant has "
                        + operators);
            }
            List<TensorDescriptor> crossing = tensors(array(n, "crossing", p), p + ".crossing");
            String headSeg = segment(n, "headSegment", p, shas);
            String tailSeg = segment(n, "tailSegment", p, shas);
            if ((headSeg == null) != (headOps == 0)) {
                throw error(p + ".headSegment", headOps == 0 ? "must be null when the head is empty"
                        : "must name a segment when the head has " + headOps + " operators");
            }
            if ((tailSeg == null) != (tailOps == 0)) {
                throw error(p + ".tailSegment", tailOps == 0 ? "must be null when the tail is empty"
                        : "must name a segment when the tail has " + tailOps + " operators");
            }
            return new SplitPoint(id, head, headOps, tailOps, crossing, longValue(n, "headMacs", p, 0, Long.MAX_VALUE),
                    longValue(n, "tailMacs", p, 0, Long.MAX_VALUE), longValue(n, "headParameters", p, 0, Long.MAX_VALUE),
                    longValue(n, "tailParameters", p, 0, Long.MAX_VALUE), headSeg, tailSeg);
        }

        private String segment(JsonNode n, String field, String p, Set<String> shas) throws PackageFormatException {
            JsonNode v = field(n, field, p);
            if (v.isNull()) {
                return null;
            }
            if (!v.isTextual() || !shas.contains(v.asText())) {
                throw error(p + "." + field, "'" + v.asText() + "' is not a segment listed in 'segments'");
            }
            return v.asText();
        }

        private List<TensorDescriptor> tensors(JsonNode array, String p) throws PackageFormatException {
            List<TensorDescriptor> out = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                out.add(tensor(array.get(i), p + "[" + i + "]"));
            }
            return out;
        }

        private TensorDescriptor tensor(JsonNode n, String p) throws PackageFormatException {
            requireObject(n, p);
            String name = text(n, "name", p);
            JsonNode shapeNode = array(n, "shape", p);
            if (shapeNode.size() > 8) {
                throw error(p + ".shape", "rank " + shapeNode.size() + " is above the limit of 8");
            }
            int[] shape = new int[shapeNode.size()];
            for (int i = 0; i < shape.length; i++) {
                JsonNode d = shapeNode.get(i);
                if (!d.canConvertToInt() || d.asInt() < 0) {
                    throw error(p + ".shape[" + i + "]", "must be an integer >= 0, was " + d);
                }
                shape[i] = d.asInt();
            }
            DataType type;
            try {
                type = DataType.fromOipName(text(n, "datatype", p));
            } catch (IllegalArgumentException e) {
                throw error(p + ".datatype", e.getMessage().replaceFirst("^datatype: ", ""));
            }
            Quantization q = Quantization.NONE;
            JsonNode qn = n.get("quantization");
            if (qn != null && !qn.isNull()) {
                requireObject(qn, p + ".quantization");
                JsonNode scales = array(qn, "scale", p + ".quantization");
                JsonNode zps = array(qn, "zeroPoint", p + ".quantization");
                if (scales.size() > 1 << 16 || zps.size() > 1 << 16) {
                    throw error(p + ".quantization", Math.max(scales.size(), zps.size())
                            + " entries, above the limit of 65536");
                }
                float[] s = new float[scales.size()];
                long[] z = new long[zps.size()];
                for (int i = 0; i < s.length; i++) {
                    s[i] = (float) scales.get(i).asDouble();
                }
                for (int i = 0; i < z.length; i++) {
                    z[i] = zps.get(i).asLong();
                }
                int axis = qn.has("axis") ? integer(qn, "axis", p + ".quantization", 0, 8) : 0;
                try {
                    q = Quantization.of(s, z, axis);
                } catch (IllegalArgumentException e) {
                    throw error(p + ".quantization", e.getMessage());
                }
            }
            TensorSpec spec;
            try {
                spec = new TensorSpec(name, shape, type, q);
            } catch (IllegalArgumentException e) {
                throw error(p, e.getMessage());
            }
            long bytes = longValue(n, "bytes", p, -1, Long.MAX_VALUE);
            if (bytes != spec.byteSize()) {
                throw error(p + ".bytes", "is " + bytes + " but " + spec.shapeAndType() + " is " + spec.byteSize()
                        + " bytes");
            }
            boolean passthrough = n.has("passthrough") && bool(n, "passthrough", p);
            return new TensorDescriptor(spec, passthrough);
        }

        // -- field helpers

        private JsonNode field(JsonNode n, String field, String p) throws PackageFormatException {
            JsonNode v = n.get(field);
            if (v == null) {
                throw error(join(p, field), "is missing");
            }
            return v;
        }

        private void requireObject(JsonNode n, String p) throws PackageFormatException {
            if (n == null || !n.isObject()) {
                throw error(p.isEmpty() ? "(root)" : p, "must be an object");
            }
        }

        private JsonNode array(JsonNode n, String field, String p) throws PackageFormatException {
            JsonNode v = field(n, field, p);
            if (!v.isArray()) {
                throw error(join(p, field), "must be an array");
            }
            return v;
        }

        private String text(JsonNode n, String field, String p) throws PackageFormatException {
            JsonNode v = field(n, field, p);
            if (!v.isTextual()) {
                throw error(join(p, field), "must be a string, was " + v.getNodeType().name().toLowerCase());
            }
            return v.asText();
        }

        private String optionalText(JsonNode n, String field, String p) throws PackageFormatException {
            JsonNode v = n.get(field);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isTextual()) {
                throw error(join(p, field), "must be a string or null");
            }
            return v.asText();
        }

        private double number(JsonNode n, String field, String p) throws PackageFormatException {
            JsonNode v = field(n, field, p);
            if (!v.isNumber()) {
                throw error(join(p, field), "must be a number, was " + v.getNodeType().name().toLowerCase());
            }
            return v.asDouble();
        }

        private boolean bool(JsonNode n, String field, String p) throws PackageFormatException {
            JsonNode v = field(n, field, p);
            if (!v.isBoolean()) {
                throw error(join(p, field), "must be true or false");
            }
            return v.asBoolean();
        }

        private int integer(JsonNode n, String field, String p, int min, int max) throws PackageFormatException {
            return (int) longValue(n, field, p, min, max);
        }

        private long longValue(JsonNode n, String field, String p, long min, long max) throws PackageFormatException {
            JsonNode v = field(n, field, p);
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                throw error(join(p, field), "must be an integer, was " + v);
            }
            long x = v.asLong();
            if (x < min || x > max) {
                throw error(join(p, field), "must be between " + min + " and " + max + ", was " + x);
            }
            return x;
        }

        private static String join(String p, String field) {
            return p.isEmpty() ? field : p + "." + field;
        }

        private PackageFormatException error(String path, String reason) {
            return new PackageFormatException(source + ": " + path + ": " + reason);
        }
    }
}
