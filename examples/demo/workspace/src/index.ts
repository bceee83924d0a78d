/**
 * The demo library's entry point.
 */
export const version = "1.0.0"
