//! Helpers.

pub mod temperature;
