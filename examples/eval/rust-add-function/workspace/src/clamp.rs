//! Numeric helpers.

/// Limits x to the range from lo to hi.
pub fn clamp(x: i64, lo: i64, hi: i64) -> i64 {
    x.max(lo).min(hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamp_limits_a_value_above_the_range() {
        assert_eq!(clamp(15, 0, 10), 10);
    }
}
