package com.openplatform.availability.testing;

import com.openplatform.availability.testkit.CallbackDataGenerator;
import com.openplatform.availability.testkit.CallbackDataGenerator.GeneratedEvent;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;

/** Builders for the JSON records of the three inputs, so tests state only what matters. */
public final class TestData {
    public static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    /** The streaming scenarios' first week (Kafka and real-cluster tests) and their length. */
    public static final LocalDate SCENARIO_FIRST_MONDAY = LocalDate.of(2026, 11, 2);

    public static final int SCENARIO_WEEKS = 3;

    private static long sequence;

    private TestData() {}

    /**
     * The data of the streaming scenarios: 16 developers, {@link #SCENARIO_WEEKS} weeks of 1,200
     * events each from {@link #SCENARIO_FIRST_MONDAY} in Shanghai, 1 % late events.
     */
    public static CallbackDataGenerator streamingScenario(long seed, double tooLateRatio) {
        return new CallbackDataGenerator(
                new CallbackDataGenerator.Options()
                        .seed(seed)
                        .developers(16)
                        .weeks(SCENARIO_WEEKS)
                        .eventsPerWeek(1_200)
                        .firstMonday(SCENARIO_FIRST_MONDAY)
                        .zone(SHANGHAI)
                        .lateRatio(0.01)
                        .tooLateRatio(tooLateRatio));
    }

    /** Epoch millis of a local time in a zone, e.g. {@code at(SHANGHAI, "2026-11-16T00:00")}. */
    public static long at(ZoneId zone, String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(zone).toInstant().toEpochMilli();
    }

    /** A valid callback (200, OK reply, fast) of {@code developerId} at {@code eventTime}. */
    public static EventJson event(long developerId, long eventTime) {
        return new EventJson(developerId, eventTime);
    }

    public static String standard(long developerId, String standard, long version) {
        return "{\"developerId\":"
                + developerId
                + ",\"standard\":\""
                + standard
                + "\",\"version\":"
                + version
                + "}";
    }

    public static String standard(
            long developerId, String standard, long effectiveFrom, long version) {
        return "{\"developerId\":"
                + developerId
                + ",\"standard\":\""
                + standard
                + "\",\"effectiveFrom\":"
                + effectiveFrom
                + ",\"version\":"
                + version
                + "}";
    }

    public static String binding(long developerId, String openId, boolean bound, long version) {
        return "{\"developerId\":"
                + developerId
                + ",\"openId\":\""
                + openId
                + "\",\"bound\":"
                + bound
                + ",\"role\":\"primary\",\"version\":"
                + version
                + "}";
    }

    public static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** A callback event's JSON, valid unless told otherwise. */
    public static final class EventJson {
        private final long developerId;
        private final long eventTime;
        private String eventId = "evt-" + (++sequence);
        private String callbackType = "order.push";
        private int httpStatus = 200;
        private long latencyMs = 120;
        private boolean responseOk = true;

        private EventJson(long developerId, long eventTime) {
            this.developerId = developerId;
            this.eventTime = eventTime;
        }

        public EventJson id(String value) {
            eventId = value;
            return this;
        }

        public EventJson type(String value) {
            callbackType = value;
            return this;
        }

        public EventJson status(int value) {
            httpStatus = value;
            return this;
        }

        public EventJson latency(long value) {
            latencyMs = value;
            return this;
        }

        public EventJson badReply() {
            responseOk = false;
            return this;
        }

        /** No response at all: httpStatus 0. */
        public EventJson connectError() {
            httpStatus = 0;
            return this;
        }

        public String json() {
            return generated().json();
        }

        /** This event as the data generator makes its events. */
        public GeneratedEvent generated() {
            return new GeneratedEvent(
                    eventId,
                    developerId,
                    callbackType,
                    eventTime,
                    httpStatus,
                    latencyMs,
                    responseOk);
        }

        public byte[] bytes() {
            return TestData.bytes(json());
        }

        @Override
        public String toString() {
            return json();
        }
    }
}
