package io.edgesplit.offload.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;

/** The Open Inference Protocol v2 REST face of the edge server (next slice). */
final class OipHttpServer {

    private OipHttpServer() {
    }

    static ServerBootstrap bootstrap(EdgeServer server, EventLoopGroup boss, EventLoopGroup io, SslContext ssl) {
        throw new UnsupportedOperationException("the HTTP face is not built yet");
    }
}
