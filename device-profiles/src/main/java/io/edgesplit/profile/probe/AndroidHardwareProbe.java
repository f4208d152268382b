package io.edgesplit.profile.probe;

import android.content.Context;
import android.content.Intent;
import android.content.IntentFilter;
import android.os.BatteryManager;
import android.os.Build;
import io.edgesplit.profile.IdentityKeys;
import io.edgesplit.profile.internal.Backports;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * The hardware probe for Android: cores, frequencies, memory and thermal zones the way
 * {@link LinuxHardwareProbe} reads them (where SELinux allows), plus the identity TensorFlow Lite
 * uses from {@code android.os.Build} ({@code tflite.device_model}, {@code tflite.device_name},
 * {@code tflite.manufacturer}, {@code tflite.android_sdk_version}, {@code tflite.soc_model} on
 * Android 12+) and, given a {@link Context}, the battery from the sticky
 * {@code ACTION_BATTERY_CHANGED} broadcast. Compiled against Android API stubs; it only runs on a
 * device. Thread-safe.
 */
public final class AndroidHardwareProbe implements HardwareProbe {

    private final Context context;

    /** A probe that also reads the battery through {@code context}. */
    public AndroidHardwareProbe(Context context) {
        this.context = context;
    }

    /** A probe without battery information, for code that has no {@link Context} at hand. */
    public static AndroidHardwareProbe withoutContext() {
        return new AndroidHardwareProbe(null);
    }

    @Override
    public HardwareReport probe() throws IOException {
        HardwareReport base = new LinuxHardwareProbe(Paths.get("/"), "Android", Build.VERSION.RELEASE,
                System.getProperty("os.arch", "")).probe();
        Map<String, String> identity = new LinkedHashMap<>(base.identity());
        identity.put(IdentityKeys.DEVICE_MODEL, IdentityKeys.normalize(Build.MODEL));
        identity.put(IdentityKeys.DEVICE_NAME, IdentityKeys.normalize(Build.DEVICE));
        identity.put(IdentityKeys.MANUFACTURER, IdentityKeys.normalize(Build.MANUFACTURER));
        identity.put(IdentityKeys.ANDROID_SDK_VERSION, Integer.toString(Build.VERSION.SDK_INT));
        // Build.SOC_MODEL / SOC_MANUFACTURER exist from API 31; read them reflectively to run on older releases.
        staticString(Build.class, "SOC_MODEL").ifPresent(v -> identity.put(IdentityKeys.SOC_MODEL, IdentityKeys.normalize(v)));
        staticString(Build.class, "SOC_MANUFACTURER")
                .ifPresent(v -> identity.put(IdentityKeys.SOC_VENDOR, IdentityKeys.normalize(v)));
        List<BatteryStatus> batteries = new ArrayList<>(base.batteries());
        if (context != null && batteries.isEmpty()) {
            battery().ifPresent(batteries::add);
        }
        return new HardwareReport(identity, base.cpus(), base.currentFrequencyHz(), base.memoryBytes(),
                base.thermalZones(), batteries);
    }

    private Optional<BatteryStatus> battery() {
        Intent intent = context.registerReceiver(null, new IntentFilter(Intent.ACTION_BATTERY_CHANGED));
        if (intent == null) {
            return Optional.empty();
        }
        int level = intent.getIntExtra(BatteryManager.EXTRA_LEVEL, -1);
        int scale = intent.getIntExtra(BatteryManager.EXTRA_SCALE, -1);
        OptionalInt percent = level >= 0 && scale > 0 ? OptionalInt.of(Math.min(100, level * 100 / scale))
                : OptionalInt.empty();
        int tenths = intent.getIntExtra(BatteryManager.EXTRA_TEMPERATURE, Integer.MIN_VALUE);
        OptionalDouble temp = tenths == Integer.MIN_VALUE ? OptionalDouble.empty() : OptionalDouble.of(tenths / 10.0);
        return Optional.of(new BatteryStatus("battery", percent, status(intent.getIntExtra(BatteryManager.EXTRA_STATUS, -1)),
                temp));
    }

    private static Optional<String> status(int status) {
        switch (status) {
            case BatteryManager.BATTERY_STATUS_CHARGING:
                return Optional.of("Charging");
            case BatteryManager.BATTERY_STATUS_DISCHARGING:
                return Optional.of("Discharging");
            case BatteryManager.BATTERY_STATUS_FULL:
                return Optional.of("Full");
            case BatteryManager.BATTERY_STATUS_NOT_CHARGING:
                return Optional.of("Not charging");
            default:
                return Optional.empty();
        }
    }

    private static Optional<String> staticString(Class<?> type, String field) {
        try {
            Field f = type.getField(field);
            Object v = f.get(null);
            return v instanceof String && !Backports.isBlank((String) v) && !"unknown".equals(v)
                    ? Optional.of((String) v) : Optional.empty();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Optional.empty(); // older Android release: the field does not exist
        }
    }
}
