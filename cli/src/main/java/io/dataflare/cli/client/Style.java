package io.dataflare.cli.client;

import io.dataflare.cli.Terminal;

/** ANSI colour for task states on a terminal (never when output is redirected, or with {@code NO_COLOR} set). */
final class Style {
    private final boolean colour;

    private Style(boolean colour) {
        this.colour = colour;
    }

    static Style forTerminal() {
        String noColor = System.getenv("NO_COLOR");
        return new Style(Terminal.interactive() && (noColor == null || noColor.isEmpty()));
    }

    static Style plain() {
        return new Style(false);
    }

    /** A state, coloured: RUNNING green, PAUSED yellow, ERROR red, STOPPED and COMPLETED dim. */
    String state(String state) {
        if (!colour) return state;
        String code = switch (state) {
            case "RUNNING" -> "32";
            case "PAUSED" -> "33";
            case "ERROR" -> "31";
            case "STOPPED", "COMPLETED" -> "2";
            default -> "36";
        };
        return "\u001b[" + code + "m" + state + "\u001b[0m";
    }

    /** Column headers, bold. */
    String header(String text) {
        return colour ? "\u001b[1m" + text + "\u001b[0m" : text;
    }

    /** The visible width of a styled text. */
    static int width(String text) {
        return text.replaceAll("\u001b\\[[0-9;]*m", "").length();
    }
}
