//! Letter counts.

/// The number of ASCII vowels in a text, either case.
pub fn count_vowels(text: &str) -> usize {
    let mut count = 0;
    for c in text.chars() {
        let lower = c.to_ascii_lowercase();
        if lower == 'a' || lower == 'e' || lower == 'i' || lower == 'o' || lower == 'u' {
            count = count + 1;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_vowels_of_either_case() {
        assert_eq!(count_vowels("Tamma Codegen"), 5);
        assert_eq!(count_vowels(""), 0);
    }
}
