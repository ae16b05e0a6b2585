//! Lexicon cases: matching in Hebrew and English, conflicts between hits, and every validation
//! problem with its `file:line`.

use std::path::Path;

use super::*;

const TAXONOMY: &str = "\
sentiment | sentiment | רגש | feeling
complaint.billing | complaint | חיוב | billing
complaint.refund | complaint | החזר | refund
complaint.pricing | complaint | מחיר | pricing
complaint.technical_fault | complaint | תקלה | fault
complaint.agent_behavior | complaint | נציג | agent
complaint.delivery_installation | complaint | טכנאי | technician
churn.cancel_intent | churn | ביטול | cancel
churn.switch_competitor | churn | מעבר | switch
churn.escalation | churn | מנהל | escalation
";

/// A lexicon of the test taxonomy and the given files.
fn lexicon(files: &[(&str, &str)]) -> Lexicon {
    let mut builder = LexiconBuilder::new();
    builder.file("taxonomy.txt", TAXONOMY);
    for (name, text) in files {
        builder.file(name, *text);
    }
    builder
        .build()
        .unwrap_or_else(|e| panic!("the test lexicon does not load:\n{e}"))
}

/// The hits in `text` as `label=surface`, with `[readings]` when a word was not read plainly.
fn hits(lexicon: &Lexicon, text: &str) -> Vec<String> {
    let analysis = lexicon.analyzer().analyze(text);
    let matches = lexicon.find(&analysis);
    matches
        .hits()
        .iter()
        .map(|h| {
            let entry = lexicon.entry(h.entry);
            let mut s = format!("{}={}", entry.label(), &text[h.start..h.end]);
            let readings: Vec<String> = matches
                .words(h)
                .iter()
                .filter(|w| !w.reading.is_plain())
                .map(|w| {
                    let t = &analysis.tokens()[w.token];
                    let mut r = Vec::new();
                    if let Some(p) = w.reading.prefix(&analysis, t) {
                        r.push(format!("prefix {p}"));
                    }
                    if w.reading.alt {
                        r.push("alt".to_string());
                    }
                    if w.reading.wildcard {
                        r.push("wildcard".to_string());
                    }
                    r.join(" ")
                })
                .collect();
            if !readings.is_empty() {
                s.push_str(&format!(" [{}]", readings.join(", ")));
            }
            s
        })
        .collect()
}

/// Runs named cases: (name, text, expected hits).
fn check_cases(lexicon: &Lexicon, cases: &[(&str, &str, &[&str])]) {
    for (name, text, want) in cases {
        let got = hits(lexicon, text);
        assert_eq!(got, *want, "case {name:?}: {text:?}");
    }
}

#[test]
fn hebrew_prefix_readings_only_when_the_rest_is_known() {
    let lex = lexicon(&[(
        "he/complaint.txt",
        "ביטול | churn.cancel_intent | 1\nמחיר | complaint.pricing | 0.5\nאש | complaint.technical_fault | 0.5 | noprefix\n",
    )]);
    check_cases(
        &lex,
        &[
            ("plain", "ביטול", &["churn.cancel_intent=ביטול"]),
            (
                "ו and ה",
                "והביטול בוצע",
                &["churn.cancel_intent=והביטול [prefix וה]"],
            ),
            ("ש", "שביטול", &["churn.cancel_intent=שביטול [prefix ש]"]),
            ("מחיר keeps its מ", "מחיר גבוה", &["complaint.pricing=מחיר"]),
            (
                "prefixed מחיר",
                "המחיר עלה",
                &["complaint.pricing=המחיר [prefix ה]"],
            ),
            ("unknown rest stays whole", "מביטולים", &[]),
            (
                "noprefix: plain",
                "יש אש",
                &["complaint.technical_fault=אש"],
            ),
            ("noprefix: never through a prefix", "באש ובאש", &[]),
            ("illegal prefix", "בוביטול", &[]),
        ],
    );
    // The token forms say which reading was taken.
    let analysis = lex.analyzer().analyze("והביטול מחיר חיר");
    let matches = lex.find(&analysis);
    let forms = matches.token_forms();
    match forms[0] {
        TokenForm::Known { word, reading } => {
            assert_eq!(lex.word(word), "ביטול");
            assert_eq!(reading.prefix(&analysis, &analysis.tokens()[0]), Some("וה"));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(forms[1], TokenForm::Known { reading, .. } if reading.is_plain()));
    assert_eq!(forms[2], TokenForm::Unknown);
}

#[test]
fn noprefix_entry_does_not_match_through_a_prefix_another_entry_allows() {
    let lex = lexicon(&[(
        "he/complaint.txt",
        "אש | sentiment | -1 | noprefix\nאש בוערת | complaint.agent_behavior | 0.5\n",
    )]);
    check_cases(
        &lex,
        &[
            (
                "prefixed: only the entry that allows it",
                "ובאש בוערת",
                &["complaint.agent_behavior=ובאש בוערת [prefix וב]"],
            ),
            ("prefixed alone", "באש", &[]),
            (
                "plain: both",
                "אש בוערת",
                &["complaint.agent_behavior=אש בוערת", "sentiment=אש"],
            ),
        ],
    );
}

#[test]
fn no_substring_matches() {
    let only_short = lexicon(&[("he/churn.txt", "בטל | churn.cancel_intent | 0.5\n")]);
    check_cases(
        &only_short,
        &[
            ("בטל inside בטלפון", "דיברתי בטלפון עם נציג", &[]),
            ("בטל inside תבטלו", "תבטלו", &[]),
            (
                "cancel word alone",
                "בטל את זה",
                &["churn.cancel_intent=בטל"],
            ),
        ],
    );
    let both = lexicon(&[
        ("he/churn.txt", "בטל | churn.cancel_intent | 0.5\n"),
        (
            "he/complaint.txt",
            "טלפון | complaint.technical_fault | 0.5\n",
        ),
    ]);
    check_cases(
        &both,
        &[(
            "בטלפון is ב + טלפון",
            "בטלפון",
            &["complaint.technical_fault=בטלפון [prefix ב]"],
        )],
    );
    let english = lexicon(&[("en/churn.txt", "port | churn.cancel_intent | 0.5\n")]);
    check_cases(
        &english,
        &[
            (
                "no English substring",
                "my passport report is portable",
                &[],
            ),
            (
                "the word and its stems",
                "port ported porting",
                &[
                    "churn.cancel_intent=port",
                    "churn.cancel_intent=ported",
                    "churn.cancel_intent=porting",
                ],
            ),
        ],
    );
}

#[test]
fn phrases_gaps_and_punctuation() {
    let lex = lexicon(&[
        (
            "he/churn.txt",
            "לבטל את המנוי | churn.cancel_intent | 1 | gap=2\nחיוב כפול | complaint.billing | 1\n",
        ),
        (
            "en/churn.txt",
            "cancel my account | churn.cancel_intent | 1 | gap=2\nno-show | complaint.delivery_installation | 0.8\n",
        ),
    ]);
    check_cases(
        &lex,
        &[
            (
                "multi-word",
                "יש לי חיוב כפול בחשבון",
                &["complaint.billing=חיוב כפול"],
            ),
            (
                "multi-word prefixed",
                "והחיוב כפול",
                &["complaint.billing=והחיוב כפול [prefix וה]"],
            ),
            ("not across a comma", "חיוב, כפול", &[]),
            (
                "gap 0",
                "אני רוצה לבטל את המנוי",
                &["churn.cancel_intent=לבטל את המנוי"],
            ),
            (
                "gap 1",
                "לבטל לי את המנוי",
                &["churn.cancel_intent=לבטל לי את המנוי"],
            ),
            (
                "gap 2",
                "לבטל לי כבר את המנוי",
                &["churn.cancel_intent=לבטל לי כבר את המנוי"],
            ),
            ("gap 3 is too many", "לבטל לי כבר היום את המנוי", &[]),
            ("gap not across a comma", "לבטל, את המנוי", &[]),
            (
                "prefixes on later words too",
                "לבטל ואת המנוי",
                &["churn.cancel_intent=לבטל ואת המנוי [prefix ו]"],
            ),
            (
                "English gap",
                "cancel my internet account",
                &["churn.cancel_intent=cancel my internet account"],
            ),
            (
                "English gap 2",
                "please cancel my home internet account now",
                &["churn.cancel_intent=cancel my home internet account"],
            ),
            (
                "English gap stems",
                "cancelled my internet accounts",
                &["churn.cancel_intent=cancelled my internet accounts"],
            ),
            ("English gap not across a comma", "cancel my, account", &[]),
            (
                "English gap not across a full stop",
                "cancel my phone. account",
                &[],
            ),
            (
                "punctuation in the phrase",
                "tech was a no-show again",
                &["complaint.delivery_installation=no-show"],
            ),
            (
                "punctuation in the phrase is required",
                "tech was a no show",
                &[],
            ),
        ],
    );
}

#[test]
fn wildcards_in_both_languages() {
    let lex = lexicon(&[
        ("he/sentiment.txt", "מתסכל* | sentiment | -2\n"),
        (
            "en/sentiment.txt",
            "frustrat* | sentiment | -2\nfrustration level | sentiment | -3\n",
        ),
    ]);
    check_cases(
        &lex,
        &[
            (
                "Hebrew stem itself",
                "מתסכל",
                &["sentiment=מתסכל [wildcard]"],
            ),
            (
                "Hebrew inflection",
                "ממש מתסכלת",
                &["sentiment=מתסכלת [wildcard]"],
            ),
            (
                "Hebrew prefix and wildcard",
                "והמתסכלים",
                &["sentiment=והמתסכלים [prefix וה wildcard]"],
            ),
            ("Hebrew too short", "מתסכ", &[]),
            (
                "English",
                "so frustrating",
                &["sentiment=frustrating [wildcard]"],
            ),
            (
                "English capitals",
                "FRUSTRATED!!",
                &["sentiment=FRUSTRATED [wildcard]"],
            ),
            // `frustration` resolves to the lexicon word `frustrat` (from `frustration level`); the
            // wildcard still covers it.
            (
                "English word the lexicon also knows",
                "the frustration",
                &["sentiment=frustration [wildcard]"],
            ),
            (
                "longest in the group wins",
                "frustration level",
                &["sentiment=frustration level"],
            ),
            ("English too short", "frust", &[]),
        ],
    );
}

#[test]
fn stems_exact_elongation_emoji_and_quotes() {
    let lex = lexicon(&[
        (
            "en/sentiment.txt",
            "fine | sentiment | 1 | exact\ngood | sentiment | 2\n👍 | sentiment | 2\n",
        ),
        ("en/churn.txt", "cancel | churn.cancel_intent | 0.5\n"),
        ("he/sentiment.txt", "מעולה | sentiment | 3\n"),
        ("he/churn.txt", "מנכ\"ל | churn.escalation | 0.7\n"),
    ]);
    check_cases(
        &lex,
        &[
            (
                "stem",
                "they cancelled it",
                &["churn.cancel_intent=cancelled"],
            ),
            (
                "stem, capitals",
                "CANCELLING",
                &["churn.cancel_intent=CANCELLING"],
            ),
            ("exact", "it is fine", &["sentiment=fine"]),
            ("exact refuses another form", "I was fined", &[]),
            ("English elongation", "goooood", &["sentiment=goooood"]),
            ("Hebrew elongation", "מעולללה", &["sentiment=מעולללה"]),
            (
                "Hebrew elongation with a prefix",
                "והמעולללה",
                &["sentiment=והמעולללה [prefix וה]"],
            ),
            ("emoji", "👍", &["sentiment=👍"]),
            ("emoji with a skin tone", "thanks 👍🏽", &["sentiment=👍🏽"]),
            (
                "gershayim",
                "אדבר עם המנכ״ל",
                &["churn.escalation=המנכ״ל [prefix ה]"],
            ),
            ("ASCII quote", "מנכ\"ל", &["churn.escalation=מנכ\"ל"]),
            ("curly quote", "מנכ”ל", &["churn.escalation=מנכ”ל"]),
        ],
    );
}

#[test]
fn leftmost_longest_within_a_group_and_overlap_across_groups() {
    let lex = lexicon(&[
        (
            "he/sentiment.txt",
            "גרוע | sentiment | -2\nשירות גרוע | sentiment | -3\nלא מקצועי | sentiment | -2\nגרוע מאוד | sentiment | -3\n",
        ),
        (
            "he/complaint.txt",
            "נציג לא מקצועי | complaint.agent_behavior | 1\nחיוב כפול | complaint.billing | 1\nחיוב כפול | complaint.refund | 0.5\nכפול | complaint.billing | 0.3\n",
        ),
        (
            "he/modifiers.txt",
            "לא | negator | 1\nמאוד | booster | 0.5\nאם | conditional | 1\nהאם | question | 1\n",
        ),
    ]);
    check_cases(
        &lex,
        &[
            ("longest wins", "שירות גרוע", &["sentiment=שירות גרוע"]),
            // Leftmost first: `שירות גרוע` is taken, so `גרוע מאוד` cannot start inside it.
            (
                "leftmost wins over longer later",
                "שירות גרוע מאוד",
                &["sentiment=שירות גרוע", "booster=מאוד"],
            ),
            (
                "groups overlap",
                "נציג לא מקצועי",
                &[
                    "complaint.agent_behavior=נציג לא מקצועי",
                    "sentiment=לא מקצועי",
                    "negator=לא",
                ],
            ),
            (
                "two labels, one span",
                "חיוב כפול",
                &["complaint.billing=חיוב כפול", "complaint.refund=חיוב כפול"],
            ),
            (
                "plain reading beats a prefix reading",
                "האם זה נכון",
                &["question=האם"],
            ),
            (
                "a prefix reading when nothing plainer exists",
                "ואם",
                &["conditional=ואם [prefix ו]"],
            ),
        ],
    );
    let analysis = lex.analyzer().analyze("לא מקצועי");
    let matches = lex.find(&analysis);
    let negator = matches
        .hits()
        .iter()
        .find(|h| h.group == Group::Modifier)
        .expect("a modifier hit");
    assert_eq!(
        lex.entry(negator.entry).modifier(),
        Some(ModifierKind::Negator)
    );
    assert_eq!(negator.tokens, 0..1);
}

#[test]
fn a_loose_hit_inside_a_phrase_of_the_other_label_group_yields_to_it() {
    let lex = lexicon(&[
        (
            "he/complaint.txt",
            "ניתוקים | complaint.technical_fault | 0.7\nקנס על ביטול | complaint.pricing | 1\n",
        ),
        (
            "he/churn.txt",
            "מחלקת ניתוקים | churn.escalation | 1\nביטול | churn.cancel_intent | 0.3\n",
        ),
        (
            "en/complaint.txt",
            "complaint | complaint.pricing | 0.5\nhalf the price | complaint.pricing | 0.6\n\
             down days | complaint.technical_fault | 0.9 | gap=1\n",
        ),
        (
            "en/churn.txt",
            "fcc complaint | churn.escalation | 1\nfor half the price | churn.switch_competitor | 0.6\n\
             counting down the days | churn.cancel_intent | 0.4\n",
        ),
    ]);
    check_cases(
        &lex,
        &[
            (
                "the desk, not the drops",
                "תעבירו אותי למחלקת ניתוקים",
                &["churn.escalation=למחלקת ניתוקים [prefix ל]"],
            ),
            (
                "alone, the word keeps its own sense",
                "ניתוקים כל הלילה",
                &["complaint.technical_fault=ניתוקים"],
            ),
            (
                "the other way round",
                "למה יש קנס על ביטול",
                &["complaint.pricing=קנס על ביטול"],
            ),
            (
                "an English threat",
                "I'm filing an FCC complaint",
                &["churn.escalation=FCC complaint"],
            ),
            (
                "a gapped match yields too",
                "counting down the days",
                &["churn.cancel_intent=counting down the days"],
            ),
            (
                "and stands alone",
                "the line has been down 3 days",
                &["complaint.technical_fault=down 3 days"],
            ),
            (
                "a nested phrase has its own meaning",
                "they offer it for half the price",
                &[
                    "churn.switch_competitor=for half the price",
                    "complaint.pricing=half the price",
                ],
            ),
        ],
    );
}

#[test]
fn prefix_letters_glued_to_latin_words_are_passed_over() {
    let lex = lexicon(&[(
        "he/complaint.txt",
        "ראוטר wifi | complaint.technical_fault | 1\n",
    )]);
    check_cases(
        &lex,
        &[(
            "ה of הwifi",
            "הראוטר הwifi לא עובד",
            &["complaint.technical_fault=הראוטר הwifi [prefix ה]"],
        )],
    );
}

#[test]
fn hits_carry_entry_tokens_spans_and_source() {
    let lex = lexicon(&[(
        "he/churn.txt",
        "# a comment\n\nלבטל את המנוי | churn.cancel_intent | 1 | gap=2\n",
    )]);
    let text = "שלום, אני רוצה לבטל לי את המנוי";
    let analysis = lex.analyzer().analyze(text);
    let matches = lex.find(&analysis);
    let [hit] = matches.hits() else {
        panic!("{:?}", matches.hits())
    };
    let entry = lex.entry(hit.entry);
    assert_eq!(entry.source().to_string(), "he/churn.txt:3");
    assert_eq!(entry.phrase(), "לבטל את המנוי");
    assert_eq!(entry.weight(), 1.0);
    assert_eq!(entry.flags().gap, 2);
    assert_eq!(entry.lang(), Lang::He);
    assert_eq!(&text[hit.start..hit.end], "לבטל לי את המנוי");
    assert_eq!(hit.tokens, 4..8);
    let tokens: Vec<usize> = matches.words(hit).iter().map(|w| w.token).collect();
    assert_eq!(tokens, [4, 6, 7]);
}

#[test]
fn one_matches_serves_many_texts_and_lexicons() {
    let a = lexicon(&[("he/churn.txt", "ביטול | churn.cancel_intent | 1\n")]);
    let b = lexicon(&[("he/churn.txt", "מנוי | churn.cancel_intent | 1\n")]);
    let mut analysis = Analysis::new();
    let mut matches = Matches::new();
    for (lex, text, want) in [
        (&a, "והביטול", 1),
        (&b, "והביטול", 0),
        (&b, "המנוי", 1),
        (&a, "המנוי", 0),
    ] {
        lex.analyzer().analyze_into(text, &mut analysis);
        lex.find_into(&analysis, &mut matches);
        assert_eq!(matches.len(), want, "{text}");
    }
}

#[test]
fn the_lexicon_is_send_sync_and_cheap_to_clone() {
    fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<Lexicon>();
    fn assert_send<T: Send>() {}
    assert_send::<Matches>();
}

#[test]
fn fingerprint_ignores_comments_and_order_but_not_content() {
    let fp = |text: &str| lexicon(&[("he/churn.txt", text)]).fingerprint();
    let base = fp("ביטול | churn.cancel_intent | 1\nמנוי | churn.cancel_intent | 0.5\n");
    assert_eq!(
        base,
        fp("# note\nמנוי   | churn.cancel_intent | 0.5   # x\n\nביטול | churn.cancel_intent | 1\n")
    );
    assert_ne!(
        base,
        fp("ביטול | churn.cancel_intent | 0.9\nמנוי | churn.cancel_intent | 0.5\n")
    );
    assert_ne!(
        base,
        fp("ביטול | churn.cancel_intent | 1 | noprefix\nמנוי | churn.cancel_intent | 0.5\n")
    );
    assert_eq!(base.to_string().len(), 16);
}

#[test]
fn stats_count_entries_per_label_and_language() {
    let lex = lexicon(&[
        (
            "he/churn.txt",
            "ביטול | churn.cancel_intent | 1\nלבטל את המנוי | churn.cancel_intent | 1 | gap=2\n",
        ),
        ("en/churn.txt", "cancel | churn.cancel_intent | 1\n"),
        (
            "competitors.txt",
            "סלקום | churn.switch_competitor | 0.3 | brand, sector=telecom\ncellcom | churn.switch_competitor | 0.3 | brand\n",
        ),
    ]);
    let s = lex.stats();
    assert_eq!(s.entries, 5);
    let cancel = s
        .labels
        .iter()
        .find(|l| l.label == "churn.cancel_intent")
        .unwrap();
    assert_eq!((cancel.he, cancel.en), (2, 1));
    let switch = s
        .labels
        .iter()
        .find(|l| l.label == "churn.switch_competitor")
        .unwrap();
    assert_eq!((switch.he, switch.en), (1, 1));
    assert_eq!(
        s.files
            .iter()
            .find(|f| f.file == "competitors.txt")
            .unwrap()
            .entries,
        2
    );
    assert_eq!(s.gap_entries, 1);
    assert_eq!(s.anchored_entries, 1);
    assert!(s.vocabulary >= 6, "{}", s.vocabulary);
    assert!(
        lex.is_known_word("ביטול") && lex.is_known_word("cancel") && !lex.is_known_word("והביטול")
    );
}

// ---------------------------------------------------------------------------------------------
// Validation, through directories on disk

/// Writes a lexicon directory: the test taxonomy (unless given) and every file of [`FILES`],
/// empty unless given.
fn write_dir(dir: &Path, files: &[(&str, &str)]) {
    std::fs::create_dir_all(dir.join("he")).unwrap();
    std::fs::create_dir_all(dir.join("en")).unwrap();
    for name in FILES {
        let text = files.iter().find(|(n, _)| *n == name).map_or(
            if name == "taxonomy.txt" { TAXONOMY } else { "" },
            |(_, t)| *t,
        );
        std::fs::write(dir.join(name), text).unwrap();
    }
}

fn check_dir(files: &[(&str, &str)]) -> (tempfile::TempDir, Checked) {
    let dir = tempfile::tempdir().unwrap();
    write_dir(dir.path(), files);
    let checked = LexiconBuilder::new().dir(dir.path()).check();
    (dir, checked)
}

#[test]
fn every_validation_problem_with_its_file_and_line() {
    // (name, file, text, line, expected message fragment, is an error)
    let cases: &[(&str, &str, &str, usize, &str, bool)] = &[
        (
            "unknown label",
            "he/churn.txt",
            "רוצה לבטל | churn.cancle_intent | 1",
            1,
            "unknown label `churn.cancle_intent` (not in taxonomy.txt; did you mean `churn.cancel_intent`?)",
            true,
        ),
        (
            "missing label",
            "he/churn.txt",
            "רוצה לבטל |  | 1",
            1,
            "missing label",
            true,
        ),
        (
            "modifier file needs a kind",
            "he/modifiers.txt",
            "לא | sentiment | 1",
            1,
            "unknown modifier kind `sentiment`",
            true,
        ),
        (
            "modifier kind outside modifiers",
            "en/sentiment.txt",
            "not | negator | 1",
            1,
            "`negator` is a modifier kind: modifiers belong in modifiers.txt",
            true,
        ),
        (
            "weight not a number",
            "he/churn.txt",
            "\nביטול | churn.cancel_intent | high",
            2,
            "bad weight `high`: not a number",
            true,
        ),
        (
            "sentiment zero",
            "en/sentiment.txt",
            "meh | sentiment | 0",
            1,
            "bad weight `0`: sentiment weights lie in -4..4 and are not 0",
            true,
        ),
        (
            "sentiment too large",
            "en/sentiment.txt",
            "wow | sentiment | 5",
            1,
            "sentiment weights lie in -4..4",
            true,
        ),
        (
            "complaint above 1",
            "en/complaint.txt",
            "double charged | complaint.billing | 1.5",
            1,
            "complaint weights lie in (0, 1]",
            true,
        ),
        (
            "churn zero",
            "en/churn.txt",
            "cancel | churn.cancel_intent | 0",
            1,
            "churn weights lie in (0, 1]",
            true,
        ),
        (
            "negator not 1",
            "en/modifiers.txt",
            "not | negator | 0.5",
            1,
            "a negator's weight is always 1",
            true,
        ),
        (
            "booster above 1",
            "en/modifiers.txt",
            "very | booster | 2",
            1,
            "a booster's weight lies in 0.1..1",
            true,
        ),
        (
            "contrast below 0.5",
            "en/modifiers.txt",
            "but | contrast | 0.3",
            1,
            "a contrast's weight lies in 0.5..1",
            true,
        ),
        (
            "empty phrase",
            "en/sentiment.txt",
            " | sentiment | 1",
            1,
            "empty phrase",
            true,
        ),
        (
            "too few fields",
            "en/sentiment.txt",
            "good | sentiment",
            1,
            "found 2 fields",
            true,
        ),
        (
            "too many fields",
            "en/sentiment.txt",
            "good | sentiment | 1 | exact | x",
            1,
            "found 5 fields (a phrase cannot contain `|`)",
            true,
        ),
        (
            "conflicting weight",
            "en/sentiment.txt",
            "good | sentiment | 2\ngood | sentiment | 3",
            2,
            "duplicate entry with conflicting weight: `good` as `sentiment`, weight 3 here and 2 at en/sentiment.txt:1",
            true,
        ),
        (
            "conflicting weight through stems",
            "en/sentiment.txt",
            "disappoint | sentiment | -2\ndisappointed | sentiment | -3",
            2,
            "`disappointed` reads the same as `disappoint`",
            true,
        ),
        (
            "conflicting flags",
            "en/churn.txt",
            "cancel account | churn.cancel_intent | 1\ncancel account | churn.cancel_intent | 1 | gap=2",
            2,
            "duplicate entry with conflicting flags",
            true,
        ),
        (
            "exact duplicate",
            "en/sentiment.txt",
            "good | sentiment | 2\n# again\ngood   | sentiment | 2",
            3,
            "duplicate entry: `good` as `sentiment` is already at en/sentiment.txt:1; ignored",
            false,
        ),
        (
            "unknown flag",
            "en/sentiment.txt",
            "good | sentiment | 2 | fuzzy",
            1,
            "malformed flag: unknown flag `fuzzy`",
            true,
        ),
        (
            "gap out of range",
            "en/churn.txt",
            "cancel account | churn.cancel_intent | 1 | gap=5",
            1,
            "malformed flag: `gap=5`: the gap must be 1, 2 or 3",
            true,
        ),
        (
            "exact on Hebrew",
            "he/sentiment.txt",
            "מעולה | sentiment | 3 | exact",
            1,
            "malformed flag: `exact` applies to English words",
            true,
        ),
        (
            "noprefix on English",
            "en/sentiment.txt",
            "good | sentiment | 2 | noprefix",
            1,
            "malformed flag: `noprefix` applies to Hebrew words",
            true,
        ),
        (
            "nonegate on a churn entry",
            "en/churn.txt",
            "cancel account | churn.cancel_intent | 1 | nonegate",
            1,
            "malformed flag: `nonegate` applies to sentiment entries",
            true,
        ),
        (
            "brand outside competitors",
            "en/churn.txt",
            "cellcom | churn.switch_competitor | 0.3 | brand",
            1,
            "malformed flag: `brand` is only allowed in competitors.txt",
            true,
        ),
        (
            "sector outside competitors",
            "he/churn.txt",
            "סלקום | churn.switch_competitor | 0.3 | sector=telecom",
            1,
            "malformed flag: `sector=telecom` is only allowed in competitors.txt",
            true,
        ),
        (
            "wildcard too short",
            "en/sentiment.txt",
            "a* | sentiment | 1",
            1,
            "`a*`: a wildcard needs at least two letters before the `*`",
            true,
        ),
        (
            "lone star",
            "en/sentiment.txt",
            "so * good | sentiment | 1",
            1,
            "`*` must follow a word directly",
            true,
        ),
        (
            "star inside a word",
            "en/sentiment.txt",
            "fr*st | sentiment | 1",
            1,
            "`*` must end a word",
            true,
        ),
        (
            "two stars",
            "en/sentiment.txt",
            "frust** | sentiment | 1",
            1,
            "a wildcard is one `*`",
            true,
        ),
        (
            "star on an emoji",
            "en/sentiment.txt",
            "👍* | sentiment | 1",
            1,
            "only Hebrew and English words take a `*`",
            true,
        ),
        (
            "no words",
            "en/sentiment.txt",
            "!!! | sentiment | 1",
            1,
            "the phrase has no words: the analyzer reads it as punctuation only",
            true,
        ),
        (
            "gap on one word",
            "en/churn.txt",
            "cancel | churn.cancel_intent | 1 | gap=2",
            1,
            "`gap=2` on a one-word phrase has no effect",
            false,
        ),
        (
            "label of another group",
            "en/sentiment.txt",
            "double charge | complaint.billing | 1",
            1,
            "label `complaint.billing` (group complaint) in a sentiment file",
            false,
        ),
        (
            "taxonomy: unknown group",
            "taxonomy.txt",
            &format!("{TAXONOMY}churn.x | churm | א | x\n"),
            11,
            "unknown group `churm`",
            true,
        ),
        (
            "taxonomy: duplicate label",
            "taxonomy.txt",
            &format!("{TAXONOMY}sentiment | sentiment | א | x\n"),
            11,
            "duplicate label `sentiment` (first at line 1)",
            true,
        ),
        (
            "taxonomy: missing description",
            "taxonomy.txt",
            &format!("{TAXONOMY}churn.x | churn | א |\n"),
            11,
            "missing English description",
            true,
        ),
        (
            "taxonomy: unused label",
            "taxonomy.txt",
            TAXONOMY,
            2,
            "label `complaint.billing` has no entries",
            false,
        ),
    ];
    for &(name, file, text, line, want, error) in cases {
        let (dir, checked) = check_dir(&[(file, text)]);
        let prefix = format!("{}:{line}: ", dir.path().join(file).display());
        let list = if error {
            &checked.errors
        } else {
            &checked.warnings
        };
        assert!(
            list.iter().any(|p| {
                let s = p.to_string();
                s.starts_with(&prefix) && s.contains(want)
            }),
            "case {name:?}: no {} `{prefix}…{want}` in\nerrors: {:#?}\nwarnings: {:#?}",
            if error { "error" } else { "warning" },
            checked.errors,
            checked.warnings
        );
        assert_eq!(
            checked.lexicon.is_some(),
            checked.errors.is_empty(),
            "case {name:?}"
        );
        if !error {
            assert!(
                checked.errors.is_empty(),
                "case {name:?}: {:#?}",
                checked.errors
            );
        }
    }
}

#[test]
fn errors_are_all_collected_and_become_a_config_error() {
    let (dir, checked) = check_dir(&[
        (
            "he/churn.txt",
            "ביטול | churn.nope | 1\nביטול | churn.cancel_intent | x\n",
        ),
        ("en/churn.txt", "cancel | churn.cancel_intent | 2\n"),
    ]);
    assert_eq!(checked.errors.len(), 3, "{:#?}", checked.errors);
    let Err(Error::Config { problems }) = checked.into_result() else {
        panic!("expected a config error")
    };
    let he = dir.path().join("he/churn.txt").display().to_string();
    let en = dir.path().join("en/churn.txt").display().to_string();
    assert!(
        problems[0].starts_with(&format!("{he}:1: unknown label")),
        "{problems:?}"
    );
    assert!(
        problems[1].starts_with(&format!("{he}:2: bad weight")),
        "{problems:?}"
    );
    assert!(
        problems[2].starts_with(&format!("{en}:1: bad weight")),
        "{problems:?}"
    );
    assert!(Error::Config { problems }.is_usage());
}

#[test]
fn a_directory_needs_every_file() {
    let dir = tempfile::tempdir().unwrap();
    write_dir(dir.path(), &[]);
    std::fs::remove_file(dir.path().join("en/modifiers.txt")).unwrap();
    std::fs::write(dir.path().join("he/slang.txt"), "").unwrap();
    std::fs::write(dir.path().join("he/bad.txt"), "").unwrap();
    let checked = LexiconBuilder::new().dir(dir.path()).check();
    let missing = format!("{}: missing", dir.path().join("en/modifiers.txt").display());
    assert!(
        checked
            .errors
            .iter()
            .any(|p| p.to_string().starts_with(&missing)),
        "{:#?}",
        checked.errors
    );
    let ignored = format!(
        "{}: not a lexicon file; ignored",
        dir.path().join("he/slang.txt").display()
    );
    assert!(
        checked.warnings.iter().any(|p| p.to_string() == ignored),
        "{:#?}",
        checked.warnings
    );
    assert!(Lexicon::load_dir(dir.path().join("nowhere")).is_err());
    let bad_utf8 = tempfile::tempdir().unwrap();
    write_dir(bad_utf8.path(), &[]);
    std::fs::write(bad_utf8.path().join("he/churn.txt"), b"\xff\xfe junk").unwrap();
    let checked = LexiconBuilder::new().dir(bad_utf8.path()).check();
    assert!(
        checked
            .errors
            .iter()
            .any(|p| p.message.contains("not valid UTF-8")),
        "{:#?}",
        checked.errors
    );
}

#[test]
fn a_complete_directory_loads() {
    let dir = tempfile::tempdir().unwrap();
    write_dir(
        dir.path(),
        &[("he/churn.txt", "ביטול | churn.cancel_intent | 1\n")],
    );
    let lex = Lexicon::load_dir(dir.path()).unwrap();
    assert_eq!(lex.entries().len(), 1);
    assert_eq!(lex.origin(), dir.path().display().to_string());
}

#[test]
fn the_embedded_defaults_load_without_errors() {
    let checked = LexiconBuilder::new().check();
    let errors: Vec<String> = checked.errors.iter().map(Problem::to_string).collect();
    assert!(
        errors.is_empty(),
        "the embedded lexicon has {} errors:\n{}",
        errors.len(),
        errors.join("\n")
    );
    let lex = checked.lexicon.expect("a lexicon");
    assert!(lex.entries().len() > 5_000, "{}", lex.entries().len());
}

#[test]
fn a_mention_is_a_word_inside_a_phrase() {
    let lex = lexicon(&[(
        "en/churn.txt",
        "cancel my account | churn.cancel_intent | 1 | gap=2\nclose account | churn.cancel_intent | 1\n",
    )]);
    check_cases(
        &lex,
        &[
            (
                "mention in the gap",
                "I want to cancel my @comcast account",
                &["churn.cancel_intent=cancel my @comcast account"],
            ),
            // A lone "@" is punctuation, and a phrase does not span it.
            ("lone at sign", "close @ account", &[]),
        ],
    );
}
