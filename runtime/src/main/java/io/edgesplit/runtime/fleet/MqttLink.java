package io.edgesplit.runtime.fleet;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientPersistence;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.persist.MqttDefaultFilePersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MQTT 5 connection of a fleet node, wrapped around Paho's {@link MqttAsyncClient} to fix what
 * Paho leaves out: its own connect loop with jittered exponential backoff that also covers the first
 * connect; the Will computed afresh before every attempt (so the birth/death counter matches);
 * subscriptions and the "connected" hooks re-run after every reconnect; every callback handed to an
 * executor (publishing from Paho's callback thread can deadlock); a bounded store-and-forward
 * {@link Outbox} for messages published while disconnected; explicit persistence. Thread-safe.
 */
public final class MqttLink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttLink.class);

    /** Receives a message on the link's executor. */
    @FunctionalInterface
    public interface MessageHandler {
        void onMessage(String topic, MqttMessage message);
    }

    /** A Will: topic, payload, QoS, retained. */
    public static final class Will {
        final String topic;
        final byte[] payload;
        final int qos;
        final boolean retained;

        public Will(String topic, byte[] payload, int qos, boolean retained) {
            this.topic = topic;
            this.payload = payload.clone();
            this.qos = qos;
            this.retained = retained;
        }
    }

    private final MqttSettings settings;
    private final Executor executor;
    private final ScheduledExecutorService scheduler;
    private final Backoff backoff;
    private final MqttAsyncClient client;
    private final Outbox outbox;
    private final List<Runnable> onConnected = new CopyOnWriteArrayList<>();
    private final List<Runnable> onDisconnected = new CopyOnWriteArrayList<>();
    private final List<java.util.function.Consumer<Throwable>> onConnectFailed = new CopyOnWriteArrayList<>();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean connecting = new AtomicBoolean();
    private final AtomicInteger attempt = new AtomicInteger();
    private final AtomicLong connects = new AtomicLong();
    private volatile Supplier<Will> will;
    private volatile ScheduledFuture<?> pending;

    private static final class Subscription {
        final String filter;
        final int qos;
        final MessageHandler handler;

        Subscription(String filter, int qos, MessageHandler handler) {
            this.filter = filter;
            this.qos = qos;
            this.handler = handler;
        }
    }

    /**
     * @param executor runs every callback and handler (never Paho's thread)
     * @param scheduler runs the connect loop
     * @param random uniform [0, 1) values for backoff jitter
     */
    public MqttLink(MqttSettings settings, Executor executor, ScheduledExecutorService scheduler,
            java.util.function.DoubleSupplier random) throws MqttException {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.backoff = new Backoff(settings.backoffInitialMillis(), settings.backoffMaxMillis(), random);
        this.outbox = new Outbox(settings.outboxCapacity());
        MqttClientPersistence persistence = settings.persistenceDirectory() == null ? new MemoryPersistence()
                : new MqttDefaultFilePersistence(settings.persistenceDirectory().toString());
        this.client = new MqttAsyncClient(settings.serverUri(), settings.nodeId(), persistence);
        this.client.setCallback(new Callback());
    }

    /** Sets the Will, computed before each connect attempt. Call before {@link #start()}. */
    public void will(Supplier<Will> willSupplier) {
        this.will = willSupplier;
    }

    /** Runs after every successful connect (first and reconnects), on the executor. */
    public void onConnected(Runnable hook) {
        onConnected.add(hook);
    }

    /** Runs after the connection is lost, on the executor. */
    public void onDisconnected(Runnable hook) {
        onDisconnected.add(hook);
    }

    /**
     * Runs with the cause after every failed connect attempt (broker unreachable, TLS or
     * authentication refused), on the executor; the loop retries after its backoff regardless.
     */
    public void onConnectFailed(java.util.function.Consumer<Throwable> hook) {
        onConnectFailed.add(Objects.requireNonNull(hook, "hook"));
    }

    /** Subscribes now (if connected) and after every reconnect. */
    public void subscribe(String filter, int qos, MessageHandler handler) {
        subscriptions.add(new Subscription(filter, qos, handler));
        if (client.isConnected()) {
            try {
                client.subscribe(new MqttSubscription(filter, qos));
            } catch (MqttException e) {
                LOG.warn("{}: subscribing to {} failed, retrying after the next reconnect", settings.nodeId(), filter, e);
            }
        }
    }

    /** Starts the connect loop (the first attempt runs at once). */
    public void start() {
        if (closed.get()) {
            throw new IllegalStateException("link " + settings.nodeId() + " is closed");
        }
        if (started.compareAndSet(false, true)) {
            schedule(0);
        }
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    /** Successful connects so far (1 after the first, +1 per reconnect). */
    public long connectCount() {
        return connects.get();
    }

    public Outbox outbox() {
        return outbox;
    }

    public MqttSettings settings() {
        return settings;
    }

    /**
     * Publishes now if connected; otherwise, when {@code storeIfDisconnected}, keeps the message in
     * the outbox (bounded, oldest dropped) to send after reconnecting.
     *
     * @return true when handed to the client now, false when stored or dropped
     */
    public boolean publish(String topic, byte[] payload, int qos, boolean retained, MqttProperties properties,
            boolean storeIfDisconnected) {
        if (client.isConnected()) {
            try {
                MqttMessage m = new MqttMessage(payload, qos, retained, properties == null ? new MqttProperties() : properties);
                client.publish(topic, m);
                return true;
            } catch (MqttException e) {
                LOG.debug("{}: publish to {} failed ({}), storing it", settings.nodeId(), topic, e.getMessage());
            }
        }
        if (storeIfDisconnected) {
            outbox.add(topic, payload, qos, retained);
        }
        return false;
    }

    private void schedule(long delayMillis) {
        if (closed.get()) {
            return;
        }
        pending = scheduler.schedule(this::connectOnce, delayMillis, TimeUnit.MILLISECONDS);
    }

    private void connectOnce() {
        if (closed.get() || client.isConnected() || !connecting.compareAndSet(false, true)) {
            return;
        }
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setAutomaticReconnect(false); // our loop: Paho's misses the first connect and has no jitter
        options.setKeepAliveInterval(settings.keepAliveSeconds());
        options.setConnectionTimeout(settings.connectionTimeoutSeconds());
        if (settings.username() != null) {
            options.setUserName(settings.username());
            options.setPassword(settings.password());
        }
        if (settings.socketFactory() != null) {
            options.setSocketFactory(settings.socketFactory());
        }
        Supplier<Will> w = will;
        if (w != null) {
            Will value = w.get();
            options.setWill(value.topic, new MqttMessage(value.payload, value.qos, value.retained, new MqttProperties()));
        }
        try {
            client.connect(options, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    connecting.set(false);
                    attempt.set(0);
                    connects.incrementAndGet();
                    executor.execute(MqttLink.this::afterConnect);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    connecting.set(false);
                    connectFailed(e);
                }
            });
        } catch (MqttException e) {
            connecting.set(false);
            connectFailed(e);
        }
    }

    private void connectFailed(Throwable cause) {
        if (!onConnectFailed.isEmpty() && !closed.get()) {
            try {
                executor.execute(() -> onConnectFailed.forEach(h -> h.accept(cause)));
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                LOG.debug("{}: closing, connect failure not reported: {}", settings.nodeId(), cause.getMessage());
            }
        }
        retryLater(cause);
    }

    private void retryLater(Throwable cause) {
        int n = attempt.getAndIncrement();
        long delay = backoff.delayMillis(n);
        LOG.debug("{}: connect attempt {} failed ({}), next in {} ms", settings.nodeId(), n + 1,
                cause == null ? "?" : cause.getMessage(), delay);
        schedule(delay);
    }

    private void afterConnect() {
        for (Subscription s : subscriptions) {
            try {
                client.subscribe(new MqttSubscription(s.filter, s.qos));
            } catch (MqttException e) {
                LOG.warn("{}: subscribing to {} failed", settings.nodeId(), s.filter, e);
            }
        }
        for (Runnable hook : onConnected) {
            hook.run();
        }
        List<Outbox.Entry> queued = outbox.drain();
        for (int i = 0; i < queued.size(); i++) {
            Outbox.Entry e = queued.get(i);
            if (!publish(e.topic, e.payload, e.qos, e.retained, null, false)) {
                outbox.requeue(queued.subList(i, queued.size()));
                break;
            }
        }
    }

    private static boolean matches(String filter, String topic) {
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length || (!f[i].equals("+") && !f[i].equals(t[i]))) {
                return false;
            }
        }
        return f.length == t.length;
    }

    /**
     * Disconnects cleanly (the broker discards the Will) and stops reconnecting. Does not shut down
     * the executors, which the caller owns.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ScheduledFuture<?> p = pending;
        if (p != null) {
            p.cancel(false);
        }
        try {
            if (client.isConnected()) {
                client.disconnect(2000).waitForCompletion(3000);
            }
        } catch (MqttException e) {
            LOG.debug("{}: clean disconnect failed: {}", settings.nodeId(), e.getMessage());
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("{}: close failed: {}", settings.nodeId(), e.getMessage());
        }
    }

    /**
     * Drops the connection without a DISCONNECT packet, as a crash would, so the broker publishes the
     * Will; then stops. For failure tests and drills.
     */
    public void crash() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ScheduledFuture<?> p = pending;
        if (p != null) {
            p.cancel(false);
        }
        try {
            client.disconnectForcibly(0, 100, false);
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("{}: forced disconnect: {}", settings.nodeId(), e.getMessage());
        }
    }

    private final class Callback implements MqttCallback {
        @Override
        public void disconnected(MqttDisconnectResponse response) {
            LOG.info("{}: connection lost ({})", settings.nodeId(),
                    response.getException() == null ? response.getReasonString() : response.getException().getMessage());
            executor.execute(() -> onDisconnected.forEach(Runnable::run));
            if (!closed.get()) {
                retryLater(response.getException());
            }
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.warn("{}: MQTT error: {}", settings.nodeId(), exception.getMessage());
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            for (Subscription s : subscriptions) {
                if (matches(s.filter, topic)) {
                    executor.execute(() -> s.handler.onMessage(topic, message));
                }
            }
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            // QoS 1 acknowledgements need no action: Paho's persistence keeps unacknowledged messages
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            // handled in the connect listener, which also knows about our own loop
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            LOG.warn("{}: unexpected AUTH packet (reason {})", settings.nodeId(), reasonCode);
        }
    }

    static boolean topicMatches(String filter, String topic) {
        return matches(filter, topic);
    }
}
