package dev.tracebench.importers.live;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * OTLP/gRPC with grpc-java (Netty): the {@code TraceService/Export} method, defined by hand because the
 * opentelemetry-proto jar holds only the messages. Requests and responses are marshalled as raw bytes, so the
 * streaming span decoder reads the request without building message objects first; gzip is accepted (grpc-java's
 * default decompressors). Back-pressure is {@code RESOURCE_EXHAUSTED} with a {@code google.rpc.RetryInfo}; rejected
 * spans are a {@code partial_success} in the response.
 */
final class OtlpGrpcReceiver {
    static final String SERVICE = "opentelemetry.proto.collector.trace.v1.TraceService";

    /** Hands the message bytes through untouched. */
    private static final MethodDescriptor.Marshaller<byte[]> RAW = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    static final MethodDescriptor<byte[], byte[]> EXPORT = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Export"))
            .setRequestMarshaller(RAW).setResponseMarshaller(RAW).build();

    private final Server server;
    private final ExecutorService pool;

    private OtlpGrpcReceiver(Server server, ExecutorService pool) {
        this.server = server;
        this.pool = pool;
    }

    /** Binds and starts serving; an {@link IOException} names the address and why it could not be bound. */
    static OtlpGrpcReceiver start(String bind, int port, LiveIngest ingest) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                r -> {
                    Thread t = new Thread(r, "tracebench-otlp-grpc");
                    t.setDaemon(true);
                    return t;
                });
        ServerServiceDefinition service = ServerServiceDefinition.builder(SERVICE)
                .addMethod(EXPORT, ServerCalls.asyncUnaryCall((byte[] request, StreamObserver<byte[]> reply) ->
                        export(ingest, request, reply)))
                .build();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(bind, port)).executor(pool)
                .maxInboundMessageSize(OtlpHttpReceiver.MAX_BODY)
                .addService(ServerInterceptors.intercept(service, REMEMBER_PEER)).build();
        try {
            server.start();
        } catch (IOException e) {
            pool.shutdown();
            Throwable cause = e;
            while (cause != null && !(cause instanceof BindException)) {
                cause = cause.getCause();
            }
            throw new IOException("OTLP/gRPC port " + port + " on " + bind + " cannot be used: "
                    + (cause != null ? cause.getMessage() + " (another receiver or collector is probably listening "
                    + "there; choose another port)" : e.getMessage()), e);
        }
        return new OtlpGrpcReceiver(server, pool);
    }

    int port() {
        return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
    }

    /**
     * Stops listening and waits (a second at most) for the calls being answered; then closes the connections that
     * senders keep open between calls.
     */
    void stop() {
        server.shutdown();
        try {
            if (!server.awaitTermination(1, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        }
        pool.shutdown();
    }

    private static void export(LiveIngest ingest, byte[] request, StreamObserver<byte[]> reply) {
        SocketAddress remote = PEER.get();
        String peer = remote instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : String.valueOf(remote);
        // gRPC has decompressed the message already: the queue counts its size as received
        LiveIngest.Outcome outcome = ingest.export(request, request.length, LiveIngest.Encoding.PROTOBUF,
                "OTLP/gRPC", peer);
        if (outcome instanceof LiveIngest.Accepted a) {
            reply.onNext(OtlpHttpReceiver.response(LiveIngest.Encoding.PROTOBUF, a.rejected(), a.message()));
            reply.onCompleted();
        } else if (outcome instanceof LiveIngest.Throttled t) {
            long ms = t.retryAfterMs();
            com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
                    .setCode(Code.RESOURCE_EXHAUSTED_VALUE)
                    .setMessage("too many spans are waiting to be committed; retry later")
                    .addDetails(Any.pack(RetryInfo.newBuilder().setRetryDelay(Duration.newBuilder()
                            .setSeconds(ms / 1000).setNanos((int) (ms % 1000) * 1_000_000)).build()))
                    .build();
            reply.onError(StatusProto.toStatusRuntimeException(status));
        } else if (outcome instanceof LiveIngest.Invalid i) {
            reply.onError(Status.INVALID_ARGUMENT.withDescription(i.message()).asRuntimeException());
        } else {
            reply.onError(Status.UNAVAILABLE.withDescription("the receiver is stopping").asRuntimeException());
        }
    }

    /** The caller's address, for problem locations: grpc-java keeps it in the call's attributes. */
    private static final Context.Key<SocketAddress> PEER = Context.key("tracebench-peer");

    private static final ServerInterceptor REMEMBER_PEER = new ServerInterceptor() {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            return Contexts.interceptCall(Context.current().withValue(PEER,
                    call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)), call, headers, next);
        }
    };
}
