/**
 * Device, edge-server and cloud profiles: the versioned YAML format ({@link io.edgesplit.profile.DeviceProfile},
 * loaded by {@link io.edgesplit.profile.DeviceProfiles}, written by {@link io.edgesplit.profile.ProfileWriter}),
 * explicit units ({@link io.edgesplit.profile.Units}) and the built-in catalog. The JSON Schema of the format ships
 * as {@code io/edgesplit/profile/device-profile.schema.json}. The hardware probe is in
 * {@link io.edgesplit.profile.probe}.
 */
package io.edgesplit.profile;
