package io.dataflare.engine.plugin.sign;

/**
 * The verdict on a plugin file's signature.
 *
 * @param status what was found
 * @param signer the trusted key's name ({@link Status#SIGNED}), else null
 * @param keyId  the signing key's id when the signature file names one, else null
 * @param detail what was found, naming the file
 */
public record SignatureCheck(Status status, String signer, String keyId, String detail) {
    /** What was found. */
    public enum Status {
        /** Signed by a key of the trust store, and the signature verifies. */
        SIGNED,
        /** No {@code .sig} file. */
        UNSIGNED,
        /** A well-formed signature file for this content, by a key not in the trust store. */
        UNTRUSTED,
        /** The signature file is malformed, or does not match the content (the file or the signature changed). */
        BAD
    }

    static SignatureCheck signed(String signer, String keyId) {
        return new SignatureCheck(Status.SIGNED, signer, keyId, "signed by " + signer + " (key " + keyId + ")");
    }

    static SignatureCheck unsigned(String detail) {
        return new SignatureCheck(Status.UNSIGNED, null, null, detail);
    }

    static SignatureCheck untrusted(String keyId, String detail) {
        return new SignatureCheck(Status.UNTRUSTED, null, keyId, detail);
    }

    static SignatureCheck bad(String detail) {
        return new SignatureCheck(Status.BAD, null, null, "bad signature: " + detail);
    }

    /** Whether the file is signed by a trusted key. */
    public boolean trusted() {
        return status == Status.SIGNED;
    }
}
