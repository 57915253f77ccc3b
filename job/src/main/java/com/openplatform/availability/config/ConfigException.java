package com.openplatform.availability.config;

/** A program argument that was missing or had a bad value: the message names the flag. */
public final class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    /** The message says it all: a bad flag is the user's typo, not the program's fault. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
