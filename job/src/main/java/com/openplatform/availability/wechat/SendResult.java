package com.openplatform.availability.wechat;

/**
 * What became of one delivery attempt of a template message.
 *
 * @param msgid WeChat's message id, when {@link Outcome#SENT}
 * @param error the last error (never holding the app secret or the access token), unless sent
 * @param requests the HTTP requests to {@code message/template/send} the attempt made
 */
public record SendResult(Outcome outcome, String msgid, String error, int requests) {

    /** How the attempt ended. */
    public enum Outcome {
        /** errcode 0: WeChat took the message. */
        SENT,
        /** WeChat is busy, down, slow or unreachable: try again later. */
        RETRYABLE,
        /** errcode 43004 / 40003: the openId does not follow the account or is invalid. */
        UNREACHABLE,
        /** Any other refusal: retrying would not help. */
        FAILED
    }

    static SendResult sent(String msgid, int requests) {
        return new SendResult(Outcome.SENT, msgid, null, requests);
    }

    public boolean isRetryable() {
        return outcome == Outcome.RETRYABLE;
    }
}
