package io.dataflare.engine.plugin.sign;

import java.io.IOException;

/** A key or signature file that cannot be used: the message names the file and what is wrong. */
public final class InvalidKeyFileException extends IOException {
    private static final long serialVersionUID = 1L;

    public InvalidKeyFileException(String message) {
        super(message);
    }
}
