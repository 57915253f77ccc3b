package com.openplatform.availability.testkit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the WeChat Official Account API on 127.0.0.1 (a free port), for {@code
 * bin/run-local} and tests: {@code POST /cgi-bin/stable_token} and {@code POST
 * /cgi-bin/message/template/send}, with WeChat's errcodes.
 *
 * <ul>
 *   <li>Tokens: issued for the configured appid and secret (40013 / 40125 otherwise), valid for
 *       {@link #tokenExpiresIn(Duration)}; the same token until it expires unless {@code
 *       force_refresh}; {@link #invalidateTokens()} makes sends answer 40001, {@link
 *       #expireTokens()} 42001.
 *   <li>Sends: the access token is checked; a {@code client_msg_id} seen in the last 10 minutes is
 *       answered with success and the first msgid but not recorded again, and counted in {@link
 *       #duplicateCount()}; every accepted message is in {@link #messages()}. Unfollowed openIds
 *       get 43004, a missing touser 40003, a value longer than its key kind allows 47003.
 *   <li>Faults on demand: the next sends answer an errcode ({@link #failNextSends}), the next
 *       requests answer an HTTP status ({@link #answerNextWithHttpStatus}), reply late ({@link
 *       #delayNext}: the request is processed, the reply waits) or lose the connection without a
 *       reply ({@link #dropNext}: nothing processed); {@link #down(boolean)} drops every request.
 * </ul>
 */
public final class WechatSimulator implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

    public static final String TOKEN_PATH = "/cgi-bin/stable_token";
    public static final String SEND_PATH = "/cgi-bin/message/template/send";
    public static final Duration DEDUPE_WINDOW = Duration.ofMinutes(10);

    /** A message WeChat accepted. */
    public record Message(
            String toUser,
            String templateId,
            String url,
            String clientMsgId,
            Map<String, String> data,
            Instant time,
            long msgid) {}

    private enum FaultKind {
        HTTP_STATUS,
        DELAY,
        DROP
    }

    private record Fault(FaultKind kind, int status, Duration delay) {}

    private final String appId;
    private final String appSecret;
    private final Object lock = new Object();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final Deque<Integer> sendErrcodes = new ArrayDeque<>();
    private final Deque<Integer> tokenErrcodes = new ArrayDeque<>();
    private final Map<String, Long> tokenExpiry = new HashMap<>();
    private final Map<String, Message> byClientMsgId = new HashMap<>();
    private final List<Message> messages = new ArrayList<>();
    private final Set<String> unfollowed = new HashSet<>();
    private final AtomicInteger duplicates = new AtomicInteger();
    private final AtomicInteger sendRequests = new AtomicInteger();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private String currentToken;
    private Duration tokenExpiresIn = Duration.ofHours(2);
    private long nextMsgid = 3_000_000_001L;
    private volatile boolean down;

    private HttpServer server;
    private ExecutorService executor;

    public WechatSimulator(String appId, String appSecret) {
        this.appId = appId;
        this.appSecret = appSecret;
    }

    /** Starts serving on 127.0.0.1 and a free port; returns this. */
    public WechatSimulator start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        executor =
                Executors.newCachedThreadPool(
                        runnable -> {
                            Thread thread = new Thread(runnable, "wechat-simulator");
                            thread.setDaemon(true);
                            return thread;
                        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        return this;
    }

    /** The base URL to configure as {@code --wechat.api-base-url}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String appId() {
        return appId;
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    // ---- control -------------------------------------------------------------------------

    public WechatSimulator tokenExpiresIn(Duration value) {
        synchronized (lock) {
            tokenExpiresIn = value;
        }
        return this;
    }

    /** Every token issued so far becomes invalid: sends with one answer 40001. */
    public void invalidateTokens() {
        synchronized (lock) {
            tokenExpiry.clear();
            currentToken = null;
        }
    }

    /** Every token issued so far expires now: sends with one answer 42001. */
    public void expireTokens() {
        synchronized (lock) {
            long now = System.currentTimeMillis();
            tokenExpiry.replaceAll((token, expiry) -> Math.min(expiry, now - 1));
            currentToken = null;
        }
    }

    /** The next {@code count} sends (with a valid token) answer {@code errcode}. */
    public void failNextSends(int count, int errcode) {
        synchronized (lock) {
            for (int i = 0; i < count; i++) {
                sendErrcodes.add(errcode);
            }
        }
    }

    /** The next {@code count} token requests answer {@code errcode}. */
    public void failNextTokenRequests(int count, int errcode) {
        synchronized (lock) {
            for (int i = 0; i < count; i++) {
                tokenErrcodes.add(errcode);
            }
        }
    }

    /** The next {@code count} requests (any path) answer HTTP {@code status}, unprocessed. */
    public void answerNextWithHttpStatus(int count, int status) {
        addFaults(count, new Fault(FaultKind.HTTP_STATUS, status, null));
    }

    /** The next {@code count} requests are processed, and their replies wait {@code delay}. */
    public void delayNext(int count, Duration delay) {
        addFaults(count, new Fault(FaultKind.DELAY, 0, delay));
    }

    /** The next {@code count} requests lose their connection without any reply, unprocessed. */
    public void dropNext(int count) {
        addFaults(count, new Fault(FaultKind.DROP, 0, null));
    }

    /** While down, every request loses its connection without a reply. */
    public void down(boolean value) {
        down = value;
    }

    public boolean isDown() {
        return down;
    }

    /** The openId stops following the account: sends to it answer 43004. */
    public void unfollow(String openId) {
        synchronized (lock) {
            unfollowed.add(openId);
        }
    }

    private void addFaults(int count, Fault fault) {
        synchronized (lock) {
            for (int i = 0; i < count; i++) {
                faults.add(fault);
            }
        }
    }

    // ---- what happened -------------------------------------------------------------------

    /** Every accepted message, in the order accepted (a deduplicated resend is not one). */
    public List<Message> messages() {
        synchronized (lock) {
            return Collections.unmodifiableList(new ArrayList<>(messages));
        }
    }

    /** Sends answered as duplicates of an accepted client_msg_id. */
    public int duplicateCount() {
        return duplicates.get();
    }

    /** Requests to the send path, whatever became of them. */
    public int sendRequests() {
        return sendRequests.get();
    }

    /** Requests to the token path, whatever became of them. */
    public int tokenRequests() {
        return tokenRequests.get();
    }

    // ---- serving -------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (TOKEN_PATH.equals(path)) {
                tokenRequests.incrementAndGet();
            } else if (SEND_PATH.equals(path)) {
                sendRequests.incrementAndGet();
            }
            Fault fault = nextFault();
            if (down || (fault != null && fault.kind() == FaultKind.DROP)) {
                return; // closed without a reply
            }
            if (fault != null && fault.kind() == FaultKind.HTTP_STATUS) {
                exchange.sendResponseHeaders(fault.status(), -1);
                return;
            }
            byte[] body = readBody(exchange.getRequestBody());
            Map<String, Object> reply;
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            } else if (TOKEN_PATH.equals(path)) {
                reply = token(body);
            } else if (SEND_PATH.equals(path)) {
                reply = send(exchange.getRequestURI(), body);
            } else {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (fault != null && fault.kind() == FaultKind.DELAY) {
                try {
                    Thread.sleep(fault.delay().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            byte[] json = JSON.writeValueAsBytes(reply);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(200, json.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(json);
            }
        }
    }

    /** A field of a request as text, or null when absent or JSON null. */
    private static String text(Map<String, Object> request, String field) {
        Object value = request.get(field);
        return value == null ? null : value.toString();
    }

    private Fault nextFault() {
        synchronized (lock) {
            return faults.poll();
        }
    }

    private static byte[] readBody(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    private Map<String, Object> token(byte[] body) {
        Map<String, Object> request;
        try {
            request = JSON.readValue(body, OBJECT);
        } catch (IOException e) {
            return error(47001, "data format error");
        }
        synchronized (lock) {
            Integer injected = tokenErrcodes.poll();
            if (injected != null) {
                return error(injected, "injected error");
            }
            if (!"client_credential".equals(text(request, "grant_type"))) {
                return error(40002, "invalid grant_type");
            }
            if (!appId.equals(text(request, "appid"))) {
                return error(40013, "invalid appid");
            }
            if (!appSecret.equals(text(request, "secret"))) {
                return error(40125, "invalid appsecret");
            }
            long now = System.currentTimeMillis();
            boolean force = Boolean.TRUE.equals(request.get("force_refresh"));
            Long expiry = currentToken == null ? null : tokenExpiry.get(currentToken);
            if (force || expiry == null || expiry <= now) {
                if (force && currentToken != null) {
                    tokenExpiry.remove(currentToken);
                }
                currentToken = "SIM_" + UUID.randomUUID().toString().replace("-", "");
                expiry = now + tokenExpiresIn.toMillis();
                tokenExpiry.put(currentToken, expiry);
            }
            Map<String, Object> reply = new LinkedHashMap<>();
            reply.put("access_token", currentToken);
            reply.put("expires_in", Math.max(0, TimeUnit.MILLISECONDS.toSeconds(expiry - now)));
            return reply;
        }
    }

    private Map<String, Object> send(URI uri, byte[] body) {
        String accessToken = query(uri, "access_token");
        Map<String, Object> request;
        try {
            request = JSON.readValue(body, OBJECT);
        } catch (IOException e) {
            return error(47001, "data format error");
        }
        synchronized (lock) {
            long now = System.currentTimeMillis();
            Long expiry = accessToken == null ? null : tokenExpiry.get(accessToken);
            if (expiry == null) {
                return error(40001, "invalid credential, access_token is invalid or not latest");
            }
            if (expiry <= now) {
                return error(42001, "access_token expired");
            }
            Integer injected = sendErrcodes.poll();
            if (injected != null) {
                return error(injected, "injected error");
            }
            String toUser = text(request, "touser");
            String templateId = text(request, "template_id");
            if (toUser == null || toUser.isEmpty()) {
                return error(40003, "invalid openid");
            }
            if (templateId == null || templateId.isEmpty()) {
                return error(40037, "invalid template_id");
            }
            if (unfollowed.contains(toUser)) {
                return error(43004, "require subscribe");
            }
            Map<String, String> data = new LinkedHashMap<>();
            Object rawData = request.get("data");
            if (rawData instanceof Map) {
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) rawData).entrySet()) {
                    String key = String.valueOf(entry.getKey());
                    Object holder = entry.getValue();
                    Object value = holder instanceof Map ? ((Map<?, ?>) holder).get("value") : null;
                    String text = value == null ? "" : value.toString();
                    if (text.codePointCount(0, text.length()) > maxLength(key)) {
                        return error(47003, "argument invalid! data." + key + ".value invalid");
                    }
                    data.put(key, text);
                }
            }
            String clientMsgId = text(request, "client_msg_id");
            if (clientMsgId != null) {
                Message first = byClientMsgId.get(clientMsgId);
                if (first != null
                        && first.time().plus(DEDUPE_WINDOW).isAfter(Instant.ofEpochMilli(now))) {
                    duplicates.incrementAndGet();
                    return ok(first.msgid());
                }
            }
            Message message =
                    new Message(
                            toUser,
                            templateId,
                            text(request, "url"),
                            clientMsgId,
                            Collections.unmodifiableMap(data),
                            Instant.ofEpochMilli(now),
                            nextMsgid++);
            messages.add(message);
            if (clientMsgId != null) {
                byClientMsgId.put(clientMsgId, message);
            }
            return ok(message.msgid());
        }
    }

    /** The 2023+ keyword kinds: thing and time at most 20 characters, the rest 32. */
    private static int maxLength(String key) {
        return key.startsWith("thing") || key.startsWith("time") ? 20 : 32;
    }

    private static String query(URI uri, String name) {
        String query = uri.getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static Map<String, Object> ok(long msgid) {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("errcode", 0);
        reply.put("errmsg", "ok");
        reply.put("msgid", msgid);
        return reply;
    }

    private static Map<String, Object> error(int errcode, String errmsg) {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("errcode", errcode);
        reply.put("errmsg", errmsg);
        return reply;
    }
}
