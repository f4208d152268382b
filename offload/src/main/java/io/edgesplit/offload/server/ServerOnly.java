package io.edgesplit.offload.server;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks edge-server code, which runs on servers (Netty, JDK APIs Android lacks) and is excluded
 * from the Android API 26 check that the client side of this module passes.
 */
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.CONSTRUCTOR})
public @interface ServerOnly {
}
