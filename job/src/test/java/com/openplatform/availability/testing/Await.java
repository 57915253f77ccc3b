package com.openplatform.availability.testing;

import java.time.Duration;

/** Polls a condition of a running job or service until it holds, or fails naming it. */
public final class Await {
    private Await() {}

    /** A condition that may throw while the thing it looks at is not ready. */
    public interface Check {
        boolean holds() throws Exception;
    }

    /** Returns once {@code check} holds; fails "timed out waiting until {@code what}". */
    public static void until(Duration timeout, Check check, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(500);
        }
    }
}
