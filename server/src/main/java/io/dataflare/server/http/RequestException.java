package io.dataflare.server.http;

/**
 * A request refused by the HTTP layer itself, before the domain sees it: no or a wrong token (401), a permission the caller lacks (403), too many requests (429), a media type
 * it does not read (415), a malformed body or query parameter (400), an unknown plugin (404). The domain's
 * refusals are {@link io.dataflare.server.task.TaskException}s; {@link ApiErrors} answers both.
 */
final class RequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private long retryAfterSeconds;

    RequestException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    static RequestException badRequest(String message) {
        return new RequestException(400, "bad_request", message);
    }

    static RequestException unsupportedMediaType(String message) {
        return new RequestException(415, "unsupported_media_type", message);
    }

    static RequestException unauthorized(String message) {
        return new RequestException(401, "unauthorized", message);
    }

    static RequestException forbidden(String message) {
        return new RequestException(403, "forbidden", message);
    }

    /** 429: {@code retryAfterSeconds} goes into the {@code Retry-After} header. */
    static RequestException tooManyRequests(String message, long retryAfterSeconds) {
        RequestException e = new RequestException(429, "rate_limited", message);
        e.retryAfterSeconds = retryAfterSeconds;
        return e;
    }

    static RequestException notFound(String message) {
        return new RequestException(404, "not_found", message);
    }

    int status() {
        return status;
    }

    /** The seconds a client should wait before retrying (429), else 0. */
    long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    String code() {
        return code;
    }
}
