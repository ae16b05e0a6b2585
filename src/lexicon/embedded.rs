//! The default lexicon, compiled into the binary: the files of `lexicons/`, in [`super::FILES`] order.

/// `(name, text)` for every file of [`super::FILES`], in the same order.
pub(crate) const FILES: [(&str, &str); 11] = [
    ("taxonomy.txt", include_str!("../../lexicons/taxonomy.txt")),
    (
        "competitors.txt",
        include_str!("../../lexicons/competitors.txt"),
    ),
    ("emoji.txt", include_str!("../../lexicons/emoji.txt")),
    (
        "he/sentiment.txt",
        include_str!("../../lexicons/he/sentiment.txt"),
    ),
    (
        "he/complaint.txt",
        include_str!("../../lexicons/he/complaint.txt"),
    ),
    ("he/churn.txt", include_str!("../../lexicons/he/churn.txt")),
    (
        "he/modifiers.txt",
        include_str!("../../lexicons/he/modifiers.txt"),
    ),
    (
        "en/sentiment.txt",
        include_str!("../../lexicons/en/sentiment.txt"),
    ),
    (
        "en/complaint.txt",
        include_str!("../../lexicons/en/complaint.txt"),
    ),
    ("en/churn.txt", include_str!("../../lexicons/en/churn.txt")),
    (
        "en/modifiers.txt",
        include_str!("../../lexicons/en/modifiers.txt"),
    ),
];

#[cfg(test)]
mod tests {
    #[test]
    fn the_embedded_files_are_the_lexicon_files_in_order() {
        let names: Vec<&str> = FILES.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, super::super::FILES);
    }

    use super::FILES;
}
