package com.openplatform.availability.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class FailureReasonTest {
    private static final long TIMEOUT_MS = 3000;
    private static final int OK = 200;

    private static FailureReason classify(int status, long latencyMs, boolean responseOk) {
        return FailureReason.classify(status, latencyMs, responseOk, TIMEOUT_MS);
    }

    @Test
    void latencyOf3001msIsATimeoutBut3000msIsNot() {
        assertNull(classify(OK, 3000, true));
        assertEquals(FailureReason.TIMEOUT, classify(OK, 3001, true));
    }

    @Test
    void fastOkReplyIsValid() {
        assertNull(classify(OK, 0, true));
        assertNull(classify(OK, 130, true));
    }

    @Test
    void statusZeroIsAConnectErrorWhateverElseApplies() {
        assertEquals(FailureReason.CONNECT_ERROR, classify(0, Long.MAX_VALUE, false));
        assertEquals(FailureReason.CONNECT_ERROR, classify(0, 10, true));
    }

    @Test
    void slowServerErrorIsATimeoutBeforeAnHttpError() {
        assertEquals(FailureReason.TIMEOUT, classify(500, 3001, false));
        assertEquals(FailureReason.TIMEOUT, classify(500, 3001, true));
    }

    @Test
    void fastServerErrorWithABadReplyIsAnHttpError() {
        assertEquals(FailureReason.HTTP_ERROR, classify(500, 100, false));
        assertEquals(FailureReason.HTTP_ERROR, classify(404, 100, true));
        assertEquals(FailureReason.HTTP_ERROR, classify(204, 100, true));
    }

    @Test
    void okStatusWithTheWrongReplyIsABadResponseUnlessSlow() {
        assertEquals(FailureReason.BAD_RESPONSE, classify(OK, 3000, false));
        assertEquals(FailureReason.TIMEOUT, classify(OK, 3001, false));
    }

    @Test
    void timeoutIsTheConfiguredOne() {
        assertEquals(FailureReason.TIMEOUT, FailureReason.classify(OK, 1001, true, 1000));
        assertNull(FailureReason.classify(OK, 1001, true, 5000));
    }

    @Test
    void eventClassifiesWithItsOwnFields() {
        CallbackEvent slow = new CallbackEvent("e", 1, "order.push", 0, OK, 3001, true);

        assertEquals(FailureReason.TIMEOUT, slow.failureReason(TIMEOUT_MS));
        assertNull(slow.failureReason(3001));
    }
}
