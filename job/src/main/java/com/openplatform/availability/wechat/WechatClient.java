package com.openplatform.availability.wechat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openplatform.availability.config.WechatOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The WeChat Official Account API calls the alerts need (docs/reference.md §7): the stable access
 * token and {@code message/template/send}, over {@link HttpClient}.
 *
 * <p>The access token is cached until shortly before it expires and fetched again when WeChat says
 * it is invalid (40001) or expired (42001); the message is then sent once more. Errcode -1 and
 * 45011, HTTP 5xx and 429, unreadable replies, timeouts and connection errors are retryable: {@link
 * #send} retries them with jittered exponential backoff, up to {@code maxAttempts} requests, and
 * then answers {@link SendResult.Outcome#RETRYABLE} for the caller to try again later. Errcode
 * 43004/40003 are {@link SendResult.Outcome#UNREACHABLE}, anything else {@link
 * SendResult.Outcome#FAILED}. Requests are paced by a token bucket.
 *
 * <p>The app secret travels only in the body of the token request; the access token only in the
 * send URL, which is never logged. Neither appears in errors, exceptions or {@link #toString()}.
 * Thread-safe.
 */
public final class WechatClient implements AutoCloseable {
    static final String TOKEN_PATH = "/cgi-bin/stable_token";
    static final String SEND_PATH = "/cgi-bin/message/template/send";

    /** The WeChat API's small JSON bodies, read and written with Jackson's data binding. */
    static final ObjectMapper JSON = new ObjectMapper();

    private static final Set<Long> RETRYABLE_ERRCODES = Set.of(-1L, 45011L);
    private static final Set<Long> UNREACHABLE_ERRCODES = Set.of(43004L, 40003L);
    private static final Set<Long> TOKEN_ERRCODES = Set.of(40001L, 42001L);

    private static final long BACKOFF_BASE_MILLIS = 200;
    private static final long BACKOFF_CAP_MILLIS = 2_000;

    /** A token is renewed this long (at most a fifth of its lifetime) before it expires. */
    private static final long TOKEN_MARGIN_SECONDS = 300;

    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final HttpResponse.BodyHandler<byte[]> BODY =
            HttpResponse.BodyHandlers.ofByteArray();

    /** Hears about every request, for metrics. */
    public interface Listener {
        Listener NONE = new Listener() {};

        /** A send request got an answer (of any kind) after {@code millis}. */
        default void onLatency(long millis) {}

        /** A send request failed in a way worth retrying. */
        default void onRetryableFailure() {}
    }

    private final String apiBase;
    private final String appId;
    private final String appSecret;
    private final Duration requestTimeout;
    private final int maxAttempts;
    private final SendRateLimiter limiter;
    private final Listener listener;
    private final ExecutorService executor;
    private final HttpClient http;

    private final Object tokenLock = new Object();
    private String token;
    private long tokenRenewAt;
    private String rejectedToken;

    public WechatClient(WechatOptions options) {
        this(options, options.sendRate(), Listener.NONE);
    }

    /**
     * @param sendRate messages per second this client may send (its share of the job's rate)
     */
    public WechatClient(WechatOptions options, double sendRate, Listener listener) {
        String base = options.apiBaseUrl();
        this.apiBase = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.appId = options.appId();
        this.appSecret = options.appSecret();
        this.requestTimeout = options.requestTimeout();
        this.maxAttempts = options.maxAttempts();
        this.limiter = new SendRateLimiter(sendRate);
        this.listener = listener;
        this.executor =
                Executors.newCachedThreadPool(
                        runnable -> {
                            Thread thread =
                                    new Thread(
                                            runnable, "wechat-http-" + THREADS.incrementAndGet());
                            thread.setDaemon(true);
                            return thread;
                        });
        this.http =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(requestTimeout)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .executor(executor)
                        .build();
    }

    /**
     * One delivery attempt: up to {@code maxAttempts} requests for retryable failures, one more
     * after renewing a rejected access token. Never throws for WeChat's or the network's failures.
     */
    public SendResult send(TemplateMessage message) throws InterruptedException {
        byte[] body = message.toJson();
        int requests = 0;
        boolean renewedToken = false;
        String lastError = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            if (Thread.currentThread().isInterrupted()) {
                if (requests == 0) {
                    Thread.interrupted();
                    throw new InterruptedException("cancelled before sending");
                }
                break; // cancelled after a request: report what became of it, send no more
            }
            String accessToken;
            try {
                accessToken = accessToken();
            } catch (TokenUnavailable e) {
                lastError = e.getMessage();
                listener.onRetryableFailure();
                if (!e.transientFailure) {
                    break; // bad credentials: retrying now cannot help, later (fixed) may
                }
                if (attempt < maxAttempts && !Thread.currentThread().isInterrupted()) {
                    backoff(attempt);
                }
                continue;
            }
            limiter.acquire();
            requests++;
            Reply reply = post(sendUri(accessToken), body, true);
            if (reply.transportError != null) {
                lastError = reply.transportError;
            } else if (reply.status >= 500 || reply.status == 429) {
                lastError = "HTTP " + reply.status;
            } else if (reply.status != 200) {
                return failed(SendResult.Outcome.FAILED, "HTTP " + reply.status, requests);
            } else if (reply.json == null) {
                lastError = "unreadable reply (HTTP 200)";
            } else {
                long errcode = reply.json.path("errcode").asLong(0);
                String error = "errcode " + errcode + ": " + text(reply.json, "errmsg");
                if (errcode == 0) {
                    return SendResult.sent(text(reply.json, "msgid"), requests);
                } else if (TOKEN_ERRCODES.contains(errcode)) {
                    invalidate(accessToken);
                    lastError = error;
                    if (!renewedToken) {
                        renewedToken = true;
                        attempt--; // the retry with a fresh token is not a retry of the failure
                        continue;
                    }
                } else if (RETRYABLE_ERRCODES.contains(errcode)) {
                    lastError = error;
                } else if (UNREACHABLE_ERRCODES.contains(errcode)) {
                    return failed(SendResult.Outcome.UNREACHABLE, error, requests);
                } else {
                    return failed(SendResult.Outcome.FAILED, error, requests);
                }
            }
            listener.onRetryableFailure();
            if (Thread.currentThread().isInterrupted()) {
                break; // the task is being cancelled: report, do not retry
            }
            if (attempt < maxAttempts) {
                backoff(attempt);
            }
        }
        return failed(SendResult.Outcome.RETRYABLE, lastError, requests);
    }

    private SendResult failed(SendResult.Outcome outcome, String error, int requests) {
        return new SendResult(outcome, null, redact(error), requests);
    }

    /** The cached access token, fetched first when there is none or it is about to expire. */
    String accessToken() throws TokenUnavailable, InterruptedException {
        synchronized (tokenLock) {
            if (token != null && System.nanoTime() - tokenRenewAt < 0) {
                return token;
            }
            return fetchToken(false);
        }
    }

    private void invalidate(String rejected) {
        synchronized (tokenLock) {
            rejectedToken = rejected;
            if (rejected.equals(token)) {
                token = null;
            }
        }
    }

    private String fetchToken(boolean forceRefresh) throws TokenUnavailable, InterruptedException {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("grant_type", "client_credential");
        request.put("appid", appId);
        request.put("secret", appSecret);
        if (forceRefresh) {
            request.put("force_refresh", true);
        }
        Reply reply = post(URI.create(apiBase + TOKEN_PATH), toJson(request), false);
        if (reply.transportError != null) {
            throw new TokenUnavailable(redact("access token: " + reply.transportError), true);
        }
        if (reply.status != 200 || reply.json == null) {
            throw new TokenUnavailable(
                    "access token: HTTP "
                            + reply.status
                            + (reply.json == null ? ", unreadable" : ""),
                    reply.status >= 500 || reply.status == 429 || reply.status == 200);
        }
        String accessToken = text(reply.json, "access_token");
        long errcode = reply.json.path("errcode").asLong(0);
        if (errcode != 0 || accessToken == null || accessToken.isEmpty()) {
            throw new TokenUnavailable(
                    redact("access token: errcode " + errcode + ": " + text(reply.json, "errmsg")),
                    RETRYABLE_ERRCODES.contains(errcode));
        }
        if (!forceRefresh && accessToken.equals(rejectedToken)) {
            // The stable token WeChat still hands out is the one it just refused: renew it.
            return fetchToken(true);
        }
        long lifetime = TimeUnit.SECONDS.toMillis(reply.json.path("expires_in").asLong(7200));
        long margin = Math.min(TimeUnit.SECONDS.toMillis(TOKEN_MARGIN_SECONDS), lifetime / 5);
        token = accessToken;
        tokenRenewAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(lifetime - margin);
        rejectedToken = null;
        return token;
    }

    private URI sendUri(String accessToken) {
        return URI.create(
                apiBase
                        + SEND_PATH
                        + "?access_token="
                        + URLEncoder.encode(accessToken, StandardCharsets.UTF_8));
    }

    private Reply post(URI uri, byte[] body, boolean timed) throws InterruptedException {
        HttpRequest request =
                HttpRequest.newBuilder(uri)
                        .timeout(requestTimeout)
                        .header("Content-Type", "application/json; charset=utf-8")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build();
        long start = System.nanoTime();
        try {
            HttpResponse<byte[]> response = await(http.sendAsync(request, BODY));
            if (timed) {
                listener.onLatency(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            }
            return new Reply(response.statusCode(), object(response.body()), null);
        } catch (HttpTimeoutException e) {
            return new Reply(0, null, "no reply within " + requestTimeout.toMillis() + " ms");
        } catch (IOException e) {
            // The JDK's messages name neither the body nor the query, but redact to be sure.
            return new Reply(
                    0,
                    null,
                    redact(
                            "connection error: "
                                    + e.getClass().getSimpleName()
                                    + (e.getMessage() == null ? "" : " " + e.getMessage())));
        }
    }

    /** A request body: maps, lists, strings, numbers and booleans cannot fail to serialize. */
    static byte[] toJson(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The reply as a JSON object, or null when it is none (an unreadable reply). */
    private static JsonNode object(byte[] body) {
        try {
            JsonNode json = JSON.readTree(body);
            return json != null && json.isObject() ? json : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** A field as text, or null when absent or JSON null. */
    private static String text(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /**
     * The response, waiting for it even when interrupted (up to one more request timeout), so that
     * a cancelled task still learns, and can record, what became of a request WeChat may have
     * taken; the interrupt is kept for the caller.
     */
    private HttpResponse<byte[]> await(CompletableFuture<HttpResponse<byte[]>> future)
            throws IOException {
        boolean interrupted = false;
        long graceEnd = 0;
        try {
            while (true) {
                try {
                    if (!interrupted) {
                        return future.get();
                    }
                    long left = graceEnd - System.nanoTime();
                    if (left <= 0) {
                        future.cancel(true);
                        throw new IOException("interrupted while waiting for the reply");
                    }
                    return future.get(left, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    if (!interrupted) {
                        interrupted = true;
                        graceEnd = System.nanoTime() + requestTimeout.toNanos();
                    }
                } catch (TimeoutException e) {
                    // the loop gives up once the grace period is over
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof IOException) {
                        throw (IOException) cause;
                    }
                    throw new IOException(String.valueOf(cause), cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void backoff(int attempt) throws InterruptedException {
        long cap = Math.min(BACKOFF_CAP_MILLIS, BACKOFF_BASE_MILLIS << Math.min(attempt - 1, 16));
        long half = cap / 2;
        Thread.sleep(half + ThreadLocalRandom.current().nextLong(half + 1));
    }

    /** {@code text} without the app secret or any access token in it. */
    String redact(String text) {
        if (text == null) {
            return null;
        }
        String redacted = text;
        if (appSecret != null && !appSecret.isEmpty()) {
            redacted = redacted.replace(appSecret, "***");
        }
        String[] tokens;
        synchronized (tokenLock) {
            tokens = new String[] {token, rejectedToken};
        }
        for (String secret : tokens) {
            if (secret != null && !secret.isEmpty()) {
                redacted = redacted.replace(secret, "***");
            }
        }
        return redacted;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "WechatClient{apiBase=" + apiBase + ", appId=" + appId + ", appSecret=***}";
    }

    private static final class Reply {
        final int status;
        final JsonNode json;
        final String transportError;

        Reply(int status, JsonNode json, String transportError) {
            this.status = status;
            this.json = json;
            this.transportError = transportError;
        }
    }

    /** No access token to send with; the message says why, without any secret. */
    static final class TokenUnavailable extends Exception {
        private static final long serialVersionUID = 1L;

        /** Whether trying again at once may help (WeChat busy or unreachable). */
        final boolean transientFailure;

        TokenUnavailable(String message, boolean transientFailure) {
            super(message, null, false, false);
            this.transientFailure = transientFailure;
        }
    }
}
