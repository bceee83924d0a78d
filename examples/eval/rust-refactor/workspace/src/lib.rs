//! Helpers.

pub mod vowels;
