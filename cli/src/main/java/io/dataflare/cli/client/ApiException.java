package io.dataflare.cli.client;

import com.fasterxml.jackson.databind.JsonNode;

/** The server refused a request (its JSON error), or could not be reached (status 0). */
public final class ApiException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final transient JsonNode body;

    ApiException(int status, String code, String message, JsonNode body) {
        super(message);
        this.status = status;
        this.code = code;
        this.body = body;
    }

    /** The same error with a message that tells the user what to do about it. */
    ApiException withMessage(String message) {
        return new ApiException(status, code, message, body);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The error body, or null. */
    public JsonNode body() {
        return body;
    }
}
