package org.junit.jupiter.api;

import java.util.Objects;

/** Shim of the part of JUnit 5's {@code Assertions} that the built-in templates use. */
public final class Assertions {
  private Assertions() {}

  /** What {@code assertThrows} accepts. */
  @FunctionalInterface
  public interface Executable {
    void execute() throws Throwable;
  }

  public static void assertEquals(Object expected, Object actual) {
    if (!Objects.equals(expected, actual)) {
      throw new AssertionError("expected <" + expected + "> but was <" + actual + ">");
    }
  }

  public static void assertEquals(long expected, long actual) {
    if (expected != actual) {
      throw new AssertionError("expected <" + expected + "> but was <" + actual + ">");
    }
  }

  public static void assertEquals(double expected, double actual) {
    if (Double.compare(expected, actual) != 0) {
      throw new AssertionError("expected <" + expected + "> but was <" + actual + ">");
    }
  }

  public static void assertTrue(boolean condition) {
    if (!condition) {
      throw new AssertionError("expected true");
    }
  }

  public static void assertFalse(boolean condition) {
    if (condition) {
      throw new AssertionError("expected false");
    }
  }

  public static void assertNotNull(Object value) {
    if (value == null) {
      throw new AssertionError("expected a value");
    }
  }

  public static <T extends Throwable> T assertThrows(Class<T> expected, Executable executable) {
    try {
      executable.execute();
    } catch (Throwable thrown) {
      if (expected.isInstance(thrown)) {
        return expected.cast(thrown);
      }
      throw new AssertionError("expected " + expected.getName() + " but got " + thrown, thrown);
    }
    throw new AssertionError("expected " + expected.getName() + " to be thrown");
  }
}
