package com.example;

/** Text helpers. */
public final class Strings {
    private Strings() {}

    /** The text repeated n times; empty for n of 0. */
    public static String repeat(String text, int n) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            out.append(text);
        }
        return out.toString();
    }

    /** Whether the text has only whitespace. */
    public static boolean isBlank(String text) {
        return text.trim().isEmpty();
    }
}
