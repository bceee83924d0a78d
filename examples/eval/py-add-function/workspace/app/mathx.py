"""Numeric helpers."""


def clamp(x: float, lo: float, hi: float) -> float:
    """Limits x to the range from lo to hi."""
    return min(hi, max(lo, x))
