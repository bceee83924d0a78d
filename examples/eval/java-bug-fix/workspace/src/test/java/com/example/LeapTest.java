package com.example;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LeapTest {
    @Test
    void everyFourthYearIsLeap() {
        assertTrue(Leap.isLeap(2024));
    }

    @Test
    void centuriesAreNotLeapUnlessDivisibleBy400() {
        assertFalse(Leap.isLeap(1900));
        assertTrue(Leap.isLeap(2000));
    }
}
