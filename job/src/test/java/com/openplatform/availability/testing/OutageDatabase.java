package com.openplatform.availability.testing;

import java.io.IOException;

/** A database server of the tests' own, which a fault test stops and starts again on its data. */
public interface OutageDatabase extends TestDatabase {
    /** Stops the server: open connections are cut, new ones refused. */
    void stop() throws IOException, InterruptedException;

    /** Starts it again on the same data directory and port. */
    void start() throws IOException, InterruptedException;
}
