package io.dataflare.workflow.intrinsic;

/** An intrinsic function call that does not parse, or names an unknown function or a wrong number of arguments. */
public final class IntrinsicSyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    public IntrinsicSyntaxException(String message) {
        super(message);
    }
}
