//! Analyzer cases, in Hebrew and English, and the properties every input must keep.

use std::sync::LazyLock;

use proptest::prelude::*;

use super::*;

/// One analyzer for every case: building one compiles the typed-token patterns.
static ANALYZER: LazyLock<Analyzer> = LazyLock::new(Analyzer::new);

/// One token as the tests see it: surface, key, kind, flags.
#[derive(Debug, PartialEq)]
struct T {
    surface: String,
    key: String,
    kind: TokenKind,
    flags: Vec<&'static str>,
}

fn analyze(text: &str) -> Vec<T> {
    let analysis = ANALYZER.analyze(text);
    analysis
        .iter()
        .map(|t| T {
            surface: t.token.surface(text).to_string(),
            key: t.key.to_string(),
            kind: t.token.kind,
            flags: t.token.flags.names().collect(),
        })
        .collect()
}

fn keys(text: &str) -> Vec<String> {
    analyze(text).into_iter().map(|t| t.key).collect()
}

fn surfaces(text: &str) -> Vec<String> {
    analyze(text).into_iter().map(|t| t.surface).collect()
}

/// Table-driven key cases: `name: text => [keys]`.
macro_rules! key_cases {
    ($($name:ident: $text:expr => [$($key:expr),* $(,)?];)*) => {
        $(
            #[test]
            fn $name() {
                let want: Vec<String> = vec![$($key.to_string()),*];
                assert_eq!(keys($text), want, "text: {:?}", $text);
                check_invariants($text);
            }
        )*
    };
}

#[test]
fn a_word_spelled_out_is_one_emphasised_token() {
    let tokens = analyze("מ ד ה י ם!");
    assert_eq!(tokens[0].surface, "מ ד ה י ם");
    assert_eq!(tokens[0].key, "מדהימ");
    assert_eq!(tokens[0].flags, vec!["spaced"]);
    assert_eq!(tokens[1].key, "!");
}

key_cases! {
    hebrew_plain: "הלקוח מבקש לבטל את המנוי" => ["הלקוח", "מבקש", "לבטל", "את", "המנוי"];
    glued_units_split: "held 50mins, down 3Days, 2mbps" => ["held", "50", "mins", ",", "down", "3", "days", ",", "2", "mbps"];
    glued_words_stay: "3rd call, 4g signal, at 5pm, 2fa" => ["3rd", "call", ",", "4g", "signal", ",", "at", "5pm", ",", "2fa"];
    hebrew_spelled_out: "רובי ב ה צ ל ח ה ענקית !" => ["רובי", "בהצלחה", "ענקית", "!"];
    hebrew_spelled_out_final_letter: "א מ ן" => ["אמנ"];
    hebrew_two_single_letters_stay_apart: "ו ה" => ["ו", "ה"];
    hebrew_spelled_out_stops_at_a_word: "ב ה צ לחה" => ["בהצ", "לחה"];
    hebrew_final_letters_fold: "חשבון ביטולים ארוך" => ["חשבונ", "ביטולימ", "ארוכ"];
    hebrew_niqqud_stripped: "שָׁלוֹם לָכֶם" => ["שלומ", "לכמ"];
    hebrew_cantillation_stripped: "בְּרֵאשִׁ֖ית" => ["בראשית"];
    hebrew_presentation_forms: "\u{FB2A}\u{FB4B}\u{FB4C}" => ["שוב"];
    acronym_ascii_gershayim: "המנכ\"ל אמר" => ["המנכ\"ל", "אמר"];
    acronym_hebrew_gershayim: "המנכ״ל אמר" => ["המנכ\"ל", "אמר"];
    acronym_typographic_quote: "צה”ל" => ["צה\"ל"];
    shekel_acronym_alone: "ש\"ח" => ["ש\"ח"];
    geresh_loanword: "צ'אט עם ג'ירפה" => ["צ'אט", "עמ", "ג'ירפה"];
    hebrew_geresh_loanword: "צ׳אט" => ["צ'אט"];
    typographic_apostrophe_loanword: "צ’אט" => ["צ'אט"];
    backtick_geresh: "צ`אט" => ["צ'אט"];
    abbreviation_trailing_geresh: "לק' מבקש" => ["לק'", "מבקש"];
    quoted_hebrew_word_is_not_abbreviation: "'שלום'" => ["'", "שלומ", "'"];
    quoted_hebrew_phrase_closes_its_quote: "כתבו 'שירות מעולה' ולק' ענה" => ["כתבו", "'", "שירות", "מעולה", "'", "ולק'", "ענה"];
    quote_left_open_ends_at_the_sentence: "'בדיקה. לק' ענה" => ["'", "בדיקה", ".", "לק'", "ענה"];
    quote_left_open_ends_at_the_line: "'בדיקה\nלק' ענה" => ["'", "בדיקה", "לק'", "ענה"];
    quote_outside_letters_is_punctuation: "\"שירות\" מעולה" => ["\"", "שירות", "\"", "מעולה"];
    dotted_acronym: "מס' ת.ז של הלקוח" => ["מס'", "ת\"ז", "של", "הלקוח"];
    maqaf_splits: "תל־אביב" => ["תל", "־", "אביב"];
    hyphen_splits: "בית-שמש" => ["בית", "-", "שמש"];
    bidi_marks_stripped: "\u{200F}שלום\u{200E} world\u{202C}" => ["שלומ", "world"];
    zero_width_inside_word: "בי\u{200B}טול" => ["ביטול"];
    bom_and_zwj_outside_emoji: "\u{FEFF}hi\u{200D}" => ["hi"];
    english_lowercase: "The Customer CALLED" => ["the", "customer", "called"];
    dont_splits_into_negator: "I don't want" => ["i", "do", "not", "want"];
    cant_splits: "can't" => ["can", "not"];
    wont_splits: "won’t" => ["will", "not"];
    bare_contraction: "dont cancel" => ["do", "not", "cancel"];
    cannot_splits: "cannot" => ["can", "not"];
    will_clitic: "I'll leave" => ["i", "will", "leave"];
    possessive: "the customer's bill" => ["the", "customer", "bill"];
    english_elongation: "soooo goooood" => ["soo", "good"];
    hebrew_elongation: "מעולללה" => ["מעולה"];
    laughter_hebrew: "חחחחחח מצחיק" => ["חחח", "מצחיק"];
    laughter_he_he: "ההההה" => ["חחח"];
    laughter_english: "hahahaha lol LMAO" => ["haha", "lol", "lmao"];
    mixed_script_prefix: "הwifi לא עובד" => ["ה", "wifi", "לא", "עובד"];
    hebrew_prefix_before_number: "ב-50 ש\"ח" => ["ב", "-", "50ils"];
    emoji_sequence: "שירות 👍🏽👍 😡" => ["שירות", "👍", "👍", "😡"];
    emoji_zwj: "👩‍💻" => ["👩\u{200D}💻"];
    emoji_flag: "🇮🇱" => ["🇮🇱"];
    emoji_presentation_selector: "❤️" => ["❤"];
    emoticons: "ok :( :-) <3 :((((" => ["ok", ":(", ":)", "<3", ":("];
    exclamations: "למה??? !!!" => ["למה", "???", "!!!"];
    phone_israeli: "תתקשרו ל-054-1234567" => ["תתקשרו", "ל", "-", "0541234567"];
    phone_international: "call +1 212 555 0100 now" => ["call", "12125550100", "now"];
    israeli_id_valid: "ת\"ז 123456782" => ["ת\"ז", "123456782"];
    israeli_id_invalid_is_number: "ת\"ז 123456789" => ["ת\"ז", "123456789"];
    card_luhn_valid: "card 4111 1111 1111 1111" => ["card", "4111111111111111"];
    card_luhn_invalid: "card 4111111111111112" => ["card", "4111111111111112"];
    money_forms: "₪89 and 40 NIS and $5" => ["89ils", "and", "40ils", "and", "5usd"];
    percent: "הנחה של 20%" => ["הנחה", "של", "20%"];
    dates_and_times: "ב-12/05/2026 בשעה 14:30" => ["ב", "-", "12-05-2026", "בשעה", "14:30"];
    url_and_email: "see https://example.com/x, mail dana@example.co.il." => ["see", "https://example.com/x", ",", "mail", "dana@example.co.il", "."];
    alnum_word: "4G and 100MB" => ["4g", "and", "100mb"];
    accented_latin_nfc: "cafe\u{301} CAFÉ" => ["café", "café"];
    fullwidth_latin_nfkc: "ＯＫ" => ["ok"];
    other_script: "спасибо" => ["спасибо"];
    empty: "" => [];
    only_spaces: "  \t\n " => [];
}

#[test]
fn surfaces_are_original_text() {
    assert_eq!(surfaces("I don't"), ["I", "do", "n't"]);
    assert_eq!(surfaces("won’t"), ["wo", "n’t"]);
    assert_eq!(surfaces("המנכ״ל"), ["המנכ״ל"]);
    assert_eq!(surfaces("שָׁלוֹם"), ["שָׁלוֹם"]);
    assert_eq!(surfaces("\u{200F}שלום\u{200E}"), ["שלום"]);
    assert_eq!(surfaces("בי\u{200B}טול"), ["בי\u{200B}טול"]);
    assert_eq!(surfaces("👍🏽!"), ["👍🏽", "!"]);
}

#[test]
fn flags() {
    let cases: &[(&str, &str, &[&str])] = &[
        ("all caps", "TERRIBLE", &["all_caps"]),
        ("single capital", "I", &[]),
        ("elongated latin", "soooo", &["elongated"]),
        ("elongated hebrew", "טובבבב", &["elongated"]),
        ("negator clitic", "n't", &[]),
        ("laughter", "חחחח", &["laughter"]),
        ("acronym", "מנכ\"ל", &["acronym"]),
        ("abbreviation", "לק'", &["abbreviation"]),
        ("pointed", "שָׁלוֹם", &["pointed"]),
        ("emphatic emoticon", ":((((", &["elongated"]),
        ("emphatic punctuation", "!!!", &["elongated"]),
    ];
    for (name, text, want) in cases {
        let got = analyze(text);
        assert_eq!(got[0].flags, *want, "{name}");
    }
    let dont = analyze("don't");
    assert_eq!(dont[1].flags, ["negator", "clitic"]);
    let mixed = analyze("הwifi");
    assert_eq!(mixed[0].flags, ["prefix_only"]);
}

#[test]
fn kinds_and_scripts() {
    let text = "לקוח 054-1234567 dana@x.com 😡 :( 50₪ ok.";
    let analysis = ANALYZER.analyze(text);
    let got: Vec<(TokenKind, Script)> = analysis
        .tokens()
        .iter()
        .map(|t| (t.kind, t.script))
        .collect();
    assert_eq!(
        got,
        [
            (TokenKind::Word, Script::Hebrew),
            (TokenKind::Phone, Script::Digit),
            (TokenKind::Email, Script::Other),
            (TokenKind::Emoji, Script::Emoji),
            (TokenKind::Emoticon, Script::Emoji),
            (TokenKind::Money, Script::Digit),
            (TokenKind::Word, Script::Latin),
            (TokenKind::Punct, Script::Other),
        ]
    );
    assert!(TokenKind::Phone.is_pii() && TokenKind::Card.is_pii() && !TokenKind::Money.is_pii());
}

#[test]
fn elongated_words_offer_both_folded_candidates() {
    let analysis = Analyzer::new().analyze("goooood מעולללה");
    let got: Vec<(&str, Option<&str>)> = analysis.iter().map(|t| (t.key, t.alt)).collect();
    assert_eq!(got, [("good", Some("god")), ("מעולה", Some("מעוללה"))]);
}

#[test]
fn stems_for_latin_words_only() {
    let analysis = Analyzer::new().analyze("Cancelled subscriptions ביטולים");
    let got: Vec<&str> = analysis.iter().map(|t| t.stem).collect();
    assert_eq!(got, ["cancel", "subscript", "ביטולימ"]);
    let plain = Analyzer::builder()
        .stems(false)
        .build()
        .analyze("Cancelled");
    assert_eq!(plain.iter().next().map(|t| t.stem), Some("cancelled"));
}

#[test]
fn prefix_readings_through_tokens() {
    let analysis = Analyzer::new().analyze("והביטול הwifi חחח");
    let readings: Vec<Vec<&str>> = analysis
        .iter()
        .map(|t| t.prefix_readings().map(|r| r.rest).collect())
        .collect();
    assert_eq!(readings, [vec!["הביטול", "ביטול"], vec![], vec![], vec![]]);
}

#[test]
fn one_analysis_is_reused_without_leaking_tokens() {
    let analyzer = Analyzer::new();
    let mut analysis = Analysis::new();
    analyzer.analyze_into("אחד שניים שלושה ארבעה", &mut analysis);
    assert_eq!(analysis.len(), 4);
    analyzer.analyze_into("one", &mut analysis);
    let keys: Vec<&str> = analysis.iter().map(|t| t.key).collect();
    assert_eq!(keys, ["one"]);
}

/// Offsets are inside the text, on char boundaries, non-overlapping and increasing; surfaces are
/// never empty; keys are never empty.
fn check_invariants(text: &str) {
    let analysis = ANALYZER.analyze(text);
    let mut last_end = 0;
    for t in analysis.iter() {
        let tok = t.token;
        assert!(tok.start < tok.end, "empty token {tok:?} in {text:?}");
        assert!(
            tok.end <= text.len(),
            "token past the end {tok:?} in {text:?}"
        );
        assert!(
            text.is_char_boundary(tok.start) && text.is_char_boundary(tok.end),
            "{tok:?} in {text:?}"
        );
        assert!(tok.start >= last_end, "overlap {tok:?} in {text:?}");
        assert!(!t.key.is_empty(), "empty key {tok:?} in {text:?}");
        assert_eq!(tok.surface(text), &text[tok.start..tok.end]);
        last_end = tok.end;
    }
}

/// Text drawn from the characters the analyzer treats specially, so that random strings exercise
/// its branches rather than only plain letters.
fn tricky_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "ש",
        "ם",
        "ל",
        "ו",
        "ה",
        "ח",
        "ת",
        ".",
        "\"",
        "'",
        "״",
        "׳",
        "’",
        "`",
        "־",
        "-",
        "a",
        "B",
        "o",
        "n't",
        "'s",
        "1",
        "0",
        "5",
        "+",
        "$",
        "₪",
        "%",
        ":",
        "/",
        "@",
        "(",
        ")",
        "<3",
        " ",
        "\u{200F}",
        "\u{200B}",
        "\u{200D}",
        "\u{FE0F}",
        "\u{1F3FD}",
        "😀",
        "👩",
        "🇮",
        "\u{05B8}",
        "\u{0591}",
        "\u{301}",
        "\u{FB2A}",
        "é",
        "Ж",
        "!",
        "?",
        "\n",
        "www.",
        ".com",
        "\u{7}",
    ]);
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_strings_keep_the_invariants(text in any::<String>()) {
        check_invariants(&text);
    }

    #[test]
    fn tricky_strings_keep_the_invariants(text in tricky_text()) {
        check_invariants(&text);
    }

    #[test]
    fn arbitrary_bytes_decoded_lossily_keep_the_invariants(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        check_invariants(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn the_index_tokenizer_never_panics(text in tricky_text()) {
        use ::tantivy::tokenizer::{TokenStream as _, Tokenizer as _};
        let mut tokenizer = KashevTokenizer::new(ANALYZER.clone());
        let mut stream = tokenizer.token_stream(&text);
        while stream.advance() {
            let t = stream.token();
            prop_assert!(t.offset_from < t.offset_to && t.offset_to <= text.len());
        }
    }
}
