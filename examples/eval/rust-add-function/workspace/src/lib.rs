//! Helpers.

pub mod clamp;
