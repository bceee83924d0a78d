package com.example;

public final class Version {
    public static final int VALUE = 1;

    private Version() {}
}
