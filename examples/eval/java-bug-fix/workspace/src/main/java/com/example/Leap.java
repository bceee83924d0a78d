package com.example;

/** Calendar rules. */
public final class Leap {
    private Leap() {}

    /** Whether a year of the Gregorian calendar has 366 days. */
    public static boolean isLeap(int year) {
        return year % 4 == 0 && year % 100 != 0;
    }
}
