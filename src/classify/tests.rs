//! Classifier cases over the embedded lexicons: the rules that analysts rely on.

use std::sync::LazyLock;

use super::*;

static CLASSIFIER: LazyLock<Classifier> =
    LazyLock::new(|| Classifier::new(Lexicon::embedded().expect("the embedded lexicons load")));

fn classify(text: &str) -> Classification {
    CLASSIFIER.classify(text, None)
}

fn labels(text: &str) -> Vec<String> {
    classify(text).labels.into_iter().map(|l| l.label).collect()
}

fn has(text: &str, label: &str) -> bool {
    labels(text).iter().any(|l| l == label)
}

/// Asserts the sentiment label of each text.
fn assert_polarities(cases: &[(&str, Polarity)]) {
    for &(text, want) in cases {
        let c = classify(text);
        assert_eq!(c.sentiment.label, want, "{text}: {:?}", c.sentiment);
    }
}

/// Whether any of the complaint or churn evidence of `c` carries `m`.
fn label_marked(c: &Classification, m: Modifier) -> bool {
    c.labels
        .iter()
        .flat_map(|l| &l.evidence)
        .any(|e| e.modifiers.contains(&m))
}

/// Whether any of the sentiment evidence of `c` carries `m`.
fn sentiment_marked(c: &Classification, m: Modifier) -> bool {
    c.sentiment
        .evidence
        .iter()
        .any(|e| e.modifiers.contains(&m))
}

#[test]
fn declared_intent_is_a_churn_signal_in_both_languages() {
    for text in [
        "אני רוצה לבטל את המנוי",
        "לק' מבקש לבטל את המנוי",
        "I want to cancel my account",
        "cust wants to cancel",
    ] {
        assert!(
            has(text, "churn.cancel_intent"),
            "{text}: {:?}",
            labels(text)
        );
    }
}

#[test]
fn negated_intent_is_not_a_signal() {
    for text in [
        "אני לא רוצה לבטל את המנוי",
        "I don't want to cancel my account",
        "no need to cancel my account",
    ] {
        assert!(
            !has(text, "churn.cancel_intent"),
            "{text}: {:?}",
            labels(text)
        );
    }
}

#[test]
fn conditional_threats_are_signals() {
    let he = classify("אם לא תסדרו את זה עד מחר אני עוזב אתכם");
    assert!(he.has_group(Group::Churn), "{he:?}");
    let en = classify("if this isn't fixed by Friday I'm cancelling my account");
    let cancel = en
        .labels
        .iter()
        .find(|l| l.label == "churn.cancel_intent")
        .expect("cancel intent");
    assert!(
        cancel
            .evidence
            .iter()
            .any(|e| e.modifiers.contains(&Modifier::Conditional)),
        "{en:?}"
    );
}

#[test]
fn questions_are_weaker_and_marked() {
    let order = classify("how do I cancel an order?");
    assert!(!order.has_group(Group::Churn), "{order:?}");
    let account = CLASSIFIER.explain("how do I close my account?", None, &mut Scratch::new());
    let hit = account
        .hits
        .iter()
        .find(|h| h.group == Group::Churn)
        .expect("a churn hit");
    assert!(
        hit.evidence.modifiers.contains(&Modifier::Question),
        "{hit:?}"
    );
}

/// Whether any label evidence of `text` is marked as standing in a question.
fn label_in_question(text: &str) -> bool {
    label_marked(&classify(text), Modifier::Question)
}

#[test]
fn a_question_word_before_its_subject_opens_a_statement() {
    // Without a question mark, a wh-word asks only when a verb follows it ("how do I", "when
    // will"); followed by its subject it opens a statement, and the complaint counts in full.
    for text in [
        "When I called yesterday the agent was rude and hung up on me",
        "What I want is to cancel my account",
        "מה שקרה זה שהטכנאי לא הגיע בכלל",
        "מה שאני רוצה זה לבטל את המנוי",
        "איך שהתחלתי לדבר הנציג ניתק לי",
    ] {
        assert!(!labels(text).is_empty(), "{text}: no label");
        assert!(!label_in_question(text), "{text}: {:?}", classify(text));
    }
    for text in [
        "how do I cancel my account",
        "when will the technician come to fix the router that keeps dropping",
        "מה קרה לטכנאי שלא הגיע",
        "is the internet down again in my area?",
    ] {
        assert!(!labels(text).is_empty(), "{text}: no label");
        assert!(label_in_question(text), "{text}: {:?}", classify(text));
    }
}

#[test]
fn a_complaint_asked_as_why_is_not_damped() {
    for (why, plain) in [
        (
            "why was I charged twice this month?",
            "I was charged twice this month",
        ),
        ("למה חייבו אותי פעמיים החודש?", "חייבו אותי פעמיים החודש"),
        (
            "ולמה שאני אשלם על חודש שלא היה לי אינטרנט?",
            "אני משלם על חודש שלא היה לי אינטרנט",
        ),
    ] {
        let (w, p) = (classify(why), classify(plain));
        assert!(!w.labels.is_empty(), "{why}: no label");
        assert!(!label_in_question(why), "{why}: {w:?}");
        assert_eq!(
            w.labels.iter().map(|l| l.score).sum::<f64>(),
            p.labels.iter().map(|l| l.score).sum::<f64>(),
            "{why} / {plain}"
        );
    }
    // So is one whose entry opens with the question word.
    for text in ["למה אני משלם דמי כרטיס?", "why am I paying so much?"] {
        let c = classify(text);
        assert!(!c.labels.is_empty(), "{text}: no label");
        assert!(!label_in_question(text), "{text}: {c:?}");
        assert_eq!(c.sentiment.label, Polarity::Negative, "{text}: {c:?}");
    }
    // A question about leaving is still weaker than leaving.
    assert!(label_in_question(
        "why do I have to call to cancel my account?"
    ));
}

#[test]
fn a_word_spelled_out_letter_by_letter_is_read_and_emphasised() {
    let spaced = classify("ב ה צ ל ח ה");
    let plain = classify("בהצלחה");
    assert_eq!(spaced.sentiment.label, Polarity::Positive, "{spaced:?}");
    assert!(sentiment_marked(&spaced, Modifier::Emphasis), "{spaced:?}");
    assert!(
        spaced.sentiment.score > plain.sentiment.score,
        "{spaced:?} {plain:?}"
    );
}

#[test]
fn a_customer_who_stays_halves_the_churn_risk() {
    let retained = |c: &Classification| label_marked(c, Modifier::Retained);
    for (saved, intent) in [
        (
            "לק' ביקש לבטל את המנוי, הוצעה הטבה, לק' החליט להישאר",
            "לק' ביקש לבטל את המנוי, הוצעה הטבה",
        ),
        (
            "cust wanted to cancel, offered 20% off, decided to stay",
            "cust wanted to cancel, offered 20% off",
        ),
    ] {
        let (s, i) = (classify(saved), classify(intent));
        assert!(retained(&s), "{s:?}");
        assert_eq!(labels(saved), labels(intent), "the labels stand");
        assert!(s.churn_risk < 0.6 * i.churn_risk, "{s:?} / {i:?}");
        // The signal taken back says nothing of how the customer feels.
        assert!(s.sentiment.score > i.sentiment.score, "{s:?} / {i:?}");
        assert_ne!(s.sentiment.label, Polarity::Negative, "{s:?}");
    }
    // Renewing at the end of the term is staying, and the note's praise is sincere.
    for text in [
        "לק' לקראת סיום התחייבות, הועבר לשימור, קיבל הצעה משופרת ל-24 חודשים וחידש. מרוצה.",
        "contract ending, xfer to retention, offered 24 mo deal, renewed. happy.",
    ] {
        let c = classify(text);
        assert!(retained(&c), "{text}: {c:?}");
        assert_eq!(c.sentiment.label, Polarity::Positive, "{text}: {c:?}");
        assert!(!sentiment_marked(&c, Modifier::Ironic), "{text}: {c:?}");
    }
    // A save attempt is over wherever the note says so.
    for text in ["cust retained after save attempt", "לק' נשמר בשיחת שימור"] {
        let c = classify(text);
        assert!(retained(&c), "{text}: {c:?}");
    }
    // Staying before the signal, or a negated stay, changes nothing.
    for text in [
        "I decided to stay last year but now I want to cancel my account",
        "רציתי לבטל את המנוי ולא החלטתי להישאר",
    ] {
        let c = classify(text);
        assert!(!retained(&c), "{text}: {c:?}");
        assert!(c.churn_risk > 0.9, "{text}: {c:?}");
    }
}

#[test]
fn a_label_only_asked_about_does_not_make_the_text_negative() {
    for (asked, said) in [
        (
            "when does my contract end? want to know before I decide anything",
            "my contract ends next month and I'm done with you",
        ),
        (
            "מתי נגמרת לי ההתחייבות? רוצה לדעת לפני שאני מחליט",
            "ההתחייבות שלי נגמרת בחודש הבא ואני עוזב",
        ),
    ] {
        let (a, s) = (classify(asked), classify(said));
        assert!(!a.labels.is_empty(), "{asked}: no label");
        assert_eq!(a.sentiment.label, Polarity::Neutral, "{a:?}");
        assert_eq!(s.sentiment.label, Polarity::Negative, "{s:?}");
    }
}

#[test]
fn an_idiom_that_opens_with_a_negator_affirms_what_follows() {
    assert_polarities(&[
        ("Can't believe how bad this is", Polarity::Negative),
        ("I can't believe how helpful she was", Polarity::Positive),
        (
            "I've never been so disappointed in a company",
            Polarity::Negative,
        ),
        ("the engineer couldn't be more helpful", Polarity::Positive),
        ("לא האמנתי כמה גרוע השירות", Polarity::Negative),
        ("אף פעם לא הייתי כל כך מרוצה", Polarity::Positive),
        // A plain negator still negates, over an article too.
        ("it was not so good", Polarity::Negative),
        (
            "switching plans wouldn't be such a bad idea",
            Polarity::Positive,
        ),
        ("the agent wasn't helpful", Polarity::Negative),
    ]);
}

#[test]
fn praise_exclaimed_alone_in_a_complaint_is_sarcasm() {
    for text in [
        "Great, another outage.",
        "Wonderful, another price hike",
        "יופי, שוב אין קליטה",
        "שליח כתב שלא נמצא אדם בבית כשישבתי בבית כל היום. החבילה חזרה לשולח. יופי.",
        // A two-word formula, and "באמת" after the praise.
        "Good job, three hours on hold.",
        "כל הכבוד באמת, שלוש שעות המתנה",
        "יופי באמת, שוב אין קליטה",
        // An interjection may open it.
        "Oh great, another outage.",
        "וואו מעולה, שוב נפל האינטרנט",
        "נו יופי, שוב חיוב כפול",
    ] {
        let c = classify(text);
        assert_eq!(c.sentiment.label, Polarity::Negative, "{text}: {c:?}");
        assert!(sentiment_marked(&c, Modifier::Ironic), "{text}: {c:?}");
    }
    // Sincere: praise with a "but", praise inside a clause, praise in a text with no complaint.
    for text in [
        "Great service, but the technician never came",
        "the agent was great, the outage was fixed in an hour",
        "Perfect! The technician fixed it in ten minutes",
        // Another booster after the praise makes it plain praise.
        "יפה מאוד. כל פעם מעבירים אותי למחלקה אחרת, אבל הפעם הנציגה עזרה",
        "יפה מאוד. חויבתי פעמיים החודש",
        "Wow, amazing agent, she found the double charge and fixed it",
    ] {
        let c = classify(text);
        assert!(!sentiment_marked(&c, Modifier::Ironic), "{text}: {c:?}");
    }
}

#[test]
fn only_a_hebrew_booster_may_follow_the_word_it_scales() {
    assert!(sentiment_marked(
        &classify("השירות טוב מאוד"),
        Modifier::Boosted
    ));
    assert!(sentiment_marked(
        &classify("the agent was so rude"),
        Modifier::Boosted
    ));
    // "so" after the word is a conjunction, not "so rude".
    let c = classify("the agent was rude so I left");
    assert!(!sentiment_marked(&c, Modifier::Boosted), "{c:?}");
}

#[test]
fn substring_of_a_longer_word_is_not_a_hit() {
    // בטל must not be found inside בטלפון.
    let c = classify("דיברתי בטלפון עם הנציגה");
    assert!(!c.has_group(Group::Churn), "{c:?}");
}

#[test]
fn sentiment_polarity() {
    let cases = [
        ("שירות מעולה, תודה רבה!", Polarity::Positive),
        ("השירות מזעזע והנציג היה גס רוח", Polarity::Negative),
        (
            "the agent was amazing, thank you so much",
            Polarity::Positive,
        ),
        ("worst service ever", Polarity::Negative),
        ("not bad at all", Polarity::Positive),
        ("הלקוח ביקש לעדכן כתובת למשלוח חשבונית", Polarity::Neutral),
        ("please send me the invoice", Polarity::Neutral),
        ("תודה מראש", Polarity::Neutral),
        ("חייבו אותי פעמיים על אותו חודש", Polarity::Negative),
    ];
    assert_polarities(&cases);
}

#[test]
fn contrast_shifts_weight_to_the_clause_after_but() {
    let c = classify("the agent was nice but the service is terrible");
    assert_eq!(c.sentiment.label, Polarity::Negative, "{c:?}");
    let c = classify("הנציג היה נחמד אבל השירות גרוע");
    assert_eq!(c.sentiment.label, Polarity::Negative, "{c:?}");
}

#[test]
fn evidence_points_into_the_original_text() {
    let text = "לק' טוען לחיוב כפול, מבקש לנתק את הקו";
    let c = classify(text);
    assert!(!c.labels.is_empty(), "{c:?}");
    for label in &c.labels {
        for e in &label.evidence {
            assert_eq!(&text[e.start..e.end], e.text);
            assert!(e.entry.to_string().contains(".txt:"), "{}", e.entry);
        }
    }
}

#[test]
fn churn_risk_is_bounded_and_ordered() {
    let calm = classify("תודה, הכל עובד מצוין");
    let angry = classify("זו הפעם השלישית שאני מתקשר, חייבו אותי פעמיים ואני עובר לחברה אחרת");
    assert!((0.0..=1.0).contains(&calm.churn_risk) && (0.0..=1.0).contains(&angry.churn_risk));
    assert!(
        angry.churn_risk > 0.7 && calm.churn_risk < 0.2,
        "{} {}",
        angry.churn_risk,
        calm.churn_risk
    );
}

#[test]
fn cancelling_a_transaction_is_not_leaving() {
    for text in [
        "I need to cancel my order",
        "please unsubscribe me and cancel the newsletter",
        "אני רוצה לבטל את ההזמנה",
    ] {
        let c = classify(text);
        assert!(!c.has_group(Group::Churn), "{text}: {:?}", c.labels);
    }
    assert!(has(
        "I want to cancel my subscription",
        "churn.cancel_intent"
    ));
    // A transaction named across a conjunction is the reason, or cancelled besides: not what
    // the intent is about.
    for text in [
        "cust wants to cancel as tech appointment missed twice",
        "cx wants to cancel cause the order never came",
        // Nor is one cancelled before "and" the object of what follows.
        "I am cancelling my direct debit and closing my account",
    ] {
        assert!(
            has(text, "churn.cancel_intent"),
            "{text}: {:?}",
            labels(text)
        );
    }
}

#[test]
fn a_question_mark_asks_only_its_own_clause() {
    // A statement before the question stands.
    for text in [
        "I've had no internet for 3 days, when will it be fixed?",
        "אני מנותקת כבר שעתיים, מתי זה יחזור?",
    ] {
        let c = classify(text);
        assert!(!label_marked(&c, Modifier::Question), "{text}: {c:?}");
        assert_eq!(c.sentiment.label, Polarity::Negative, "{text}: {c:?}");
    }
    // A tag question, or a question that opens with a condition, asks the whole sentence.
    for text in [
        "My contract ends next month, right?",
        "ההתחייבות שלי נגמרת בעוד חודש, נכון?",
        "אם אני מנייד את המספר לחברה אחרת, מה קורה עם היתרה?",
    ] {
        let c = classify(text);
        assert!(label_marked(&c, Modifier::Question), "{text}: {c:?}");
        assert_eq!(c.sentiment.label, Polarity::Neutral, "{text}: {c:?}");
    }
}

#[test]
fn an_indignant_question_without_sentiment_words_is_negative() {
    assert_eq!(
        classify("מה זה החיוב הזה?!").sentiment.label,
        Polarity::Negative
    );
    assert_eq!(classify("seriously??").sentiment.label, Polarity::Negative);
    assert_eq!(
        classify("when does the technician arrive?").sentiment.label,
        Polarity::Neutral
    );
}

#[test]
fn a_negator_in_the_main_clause_still_negates_after_a_condition() {
    assert!(!has(
        "אם אפשר, אני לא רוצה לבטל את המנוי",
        "churn.cancel_intent"
    ));
    assert!(has(
        "if this isn't fixed by Friday I'm cancelling my account",
        "churn.cancel_intent"
    ));
}

#[test]
fn laughter_follows_the_rest_of_the_text() {
    // Alone, or beside praise, laughter is positive.
    for text in ["חחח", "חחחח תודה רבה!", "haha thanks so much", "😂😂"] {
        let c = classify(text);
        assert_eq!(c.sentiment.label, Polarity::Positive, "{text}: {c:?}");
        assert!(!sentiment_marked(&c, Modifier::Ironic), "{text}: {c:?}");
    }
    // Beside negative words it is mockery: negative, and marked so.
    for text in [
        "חחחח איזה שירות מחפיר",
        "lol worst app ever",
        "😂😂 you people are a joke, terrible service",
    ] {
        let c = classify(text);
        assert_eq!(c.sentiment.label, Polarity::Negative, "{text}: {c:?}");
        let laugh = c
            .sentiment
            .evidence
            .iter()
            .find(|e| e.modifiers.contains(&Modifier::Ironic))
            .unwrap_or_else(|| panic!("{text}: no ironic laughter in {c:?}"));
        assert!(
            matches!(laugh.text.as_str(), "חחחח" | "lol" | "😂"),
            "{laugh:?}"
        );
        // The evidence stays in text order.
        let starts: Vec<usize> = c.sentiment.evidence.iter().map(|e| e.start).collect();
        assert!(starts.is_sorted(), "{starts:?}");
    }
}

#[test]
fn a_brand_named_again_and_again_is_still_a_weak_hint() {
    for text in [
        "Telstra lodged a fault and now I wait for Telstra again",
        "I love the new Comcast (Xfinity tv) app",
    ] {
        assert!(
            !has(text, "churn.switch_competitor"),
            "{text}: {:?}",
            labels(text)
        );
    }
    // Beside a switch phrase a brand is a strong signal.
    let text = "I'm moving to Telstra, Telstra offered me a better deal";
    assert!(
        has(text, "churn.switch_competitor"),
        "{text}: {:?}",
        labels(text)
    );
}

#[test]
fn a_word_with_a_one_or_two_letter_stem_matches_exactly() {
    // `suing` stems to `su`: the abbreviation SU is no legal threat, suing still is.
    let text = "persuaded anxious SU to register at the new doctor";
    assert!(!has(text, "churn.legal_threat"), "{:?}", labels(text));
    let text = "I am suing you for this";
    assert!(has(text, "churn.legal_threat"), "{:?}", labels(text));
}

#[test]
fn a_politeness_formula_inside_a_longer_sentiment_phrase_is_not_one() {
    // "cheers" is a closing formula, but "cheers for nothing" is what the writer thinks.
    let c = classify("cheers for nothing");
    assert_eq!(c.sentiment.label, Polarity::Negative, "{c:?}");
    // A sentiment word inside the formula is still not counted.
    let closing = classify("the router is fixed now, have a nice day");
    assert!(
        !closing.sentiment.evidence.iter().any(|e| e.text == "nice"),
        "{closing:?}"
    );
}

#[test]
fn a_negated_politeness_formula_is_not_one() {
    // "good day" closes a message politely and says nothing of how the writer feels...
    let c = classify("Please check my bill. Good day");
    assert_eq!(c.sentiment.label, Polarity::Neutral, "{c:?}");
    // ...but "not a good day" does.
    let c = classify("Not a good day at all");
    assert_eq!(c.sentiment.label, Polarity::Negative, "{c:?}");
}

#[test]
fn a_greeting_after_a_describing_word_is_a_description() {
    // A formula says nothing of how the writer feels...
    assert_polarities(&[
        ("Have a great day!", Polarity::Neutral),
        ("שלום, יום טוב", Polarity::Neutral),
    ]);
    // ...but the same words after an article, a copula or "what" describe the day.
    assert_polarities(&[
        ("It really has been a good day", Polarity::Positive),
        ("Today is a good day", Polarity::Positive),
        ("היה יום טוב", Polarity::Positive),
        ("איזה ערב נעים", Polarity::Positive),
        ("pretty good day overall", Polarity::Positive),
        ("די ערב נעים היה", Polarity::Positive),
    ]);
}

#[test]
fn a_booster_that_is_also_a_sentiment_word_counts_once() {
    // Alone, the word says how the writer feels...
    for (text, label) in [
        ("היה אדיר", Polarity::Positive),
        ("היה נורא", Polarity::Negative),
        ("damn.", Polarity::Negative),
    ] {
        let c = classify(text);
        assert_eq!(c.sentiment.label, label, "{text}: {c:?}");
    }
    // ...beside another sentiment word it only intensifies it.
    for (text, label) in [
        ("זה בזבוז אדיר של זמן", Polarity::Negative),
        ("השירות נורא טוב", Polarity::Positive),
        ("that was damn good", Polarity::Positive),
    ] {
        let c = classify(text);
        assert_eq!(c.sentiment.label, label, "{text}: {c:?}");
        assert!(sentiment_marked(&c, Modifier::Boosted), "{text}: {c:?}");
        assert!(
            !sentiment_marked(&c, Modifier::Intensifier),
            "an intensifier counts nothing and is no evidence: {text}: {c:?}"
        );
    }
}

#[test]
fn the_hebrew_prohibitive_negates() {
    // אל + a second-person future verb is "don't": a customer asking not to be cut off is staying.
    for text in ["אל תבטלו לי את המנוי, אני נשאר", "אל תנתקו אותי בבקשה"]
    {
        assert!(
            !has(text, "churn.cancel_intent"),
            "{text}: {:?}",
            labels(text)
        );
    }
    assert!(has("תבטלו לי את המנוי", "churn.cancel_intent"));
    // As a preposition אל is no negator.
    assert!(
        has(
            "פניתי אל המוקד וביקשתי לבטל את המנוי",
            "churn.cancel_intent"
        ),
        "{:?}",
        labels("פניתי אל המוקד וביקשתי לבטל את המנוי")
    );
}

#[test]
fn the_hebrew_prohibitive_reaches_only_its_verb() {
    let c = classify("אל תדאג אוהבים אותך");
    assert_eq!(c.sentiment.label, Polarity::Positive, "{c:?}");
}

#[test]
fn negation_does_not_reach_past_and_after_a_hit() {
    for (text, second) in [
        ("אני לא מרוצה ומאוכזב מאוד", "ומאוכזב"),
        ("I'm not satisfied and very disappointed", "disappointed"),
    ] {
        let c = classify(text);
        assert!(c.sentiment.score < -0.5, "{text}: {c:?}");
        let second = c
            .sentiment
            .evidence
            .iter()
            .find(|e| e.text == second)
            .unwrap_or_else(|| panic!("{text}: no {second} in {c:?}"));
        assert!(
            !second.modifiers.contains(&Modifier::Negated),
            "{text}: {second:?}"
        );
    }
    // Words of the same polarity share the negator: "not fast and reliable" is neither.
    for text in [
        "the service is not fast and reliable",
        "השירות לא מהיר ואמין",
    ] {
        let c = classify(text);
        assert_eq!(c.sentiment.label, Polarity::Negative, "{text}: {c:?}");
    }
}

#[test]
fn negation_ends_where_its_subject_is_said_again() {
    // No punctuation, but a new clause: what it says of its subject is not negated.
    for text in [
        "זה לא שירות זה עינוי",
        "הוא לא נציג הוא רובוט גרוע",
        "it's not a service it's torture",
        "this is not support this is a joke, terrible",
    ] {
        let c = classify(text);
        assert_eq!(c.sentiment.label, Polarity::Negative, "{text}: {c:?}");
        assert!(!sentiment_marked(&c, Modifier::Negated), "{text}: {c:?}");
    }
    // The subject said once, or "I" said again: the negation stands.
    for text in ["זה לא טוב", "it is not reliable", "הוא לא נחמד בכלל"] {
        let c = classify(text);
        assert!(sentiment_marked(&c, Modifier::Negated), "{text}: {c:?}");
    }
}

#[test]
fn praise_of_a_state_that_is_over_counts_as_its_opposite() {
    for text in [
        "The internet worked well until yesterday",
        "it was great, until last week",
        "The fix worked for a day then dropped again",
        "you used to be the best provider",
        "הכל עבד מצוין עד אתמול",
        "התיקון עבד טוב ליומיים",
        "פעם היה פה שירות מעולה",
        "בעבר הייתי מרוצה מאוד",
    ] {
        let c = classify(text);
        assert_eq!(c.sentiment.label, Polarity::Negative, "{text}: {c:?}");
        assert!(sentiment_marked(&c, Modifier::Ended), "{text}: {c:?}");
    }
    // A future "until", a marker on the wrong side, or praise in another clause: unchanged.
    for text in [
        "I'm happy to wait until tomorrow",
        "lol I used to watch that show",
        "great job. until yesterday it was down, now it works",
        "אשמח לחכות עד מחר, תודה רבה",
    ] {
        let c = classify(text);
        assert!(!sentiment_marked(&c, Modifier::Ended), "{text}: {c:?}");
    }
}

#[test]
fn a_discourse_marker_opening_a_sentence_is_no_opinion() {
    for text in [
        "טוב, נחכה ונראה מה יהיה",
        "Fine, cancel it then.",
        "בסדר, אז תחזרו אליי מחר",
    ] {
        let c = classify(text);
        assert_eq!(c.sentiment.label, Polarity::Neutral, "{text}: {c:?}");
    }
    // Said of something, or as the whole answer, it is an opinion.
    for text in [
        "היה טוב, תודה רבה",
        "טוב, תודה",
        "the service was fine, the technician too",
    ] {
        let c = classify(text);
        assert_eq!(c.sentiment.label, Polarity::Positive, "{text}: {c:?}");
    }
}

#[test]
fn ein_after_an_english_verb_in_hebrew_letters_is_in() {
    for text in [
        "צ'ק אין היה מהיר ונעים",
        "עשיתי לוג אין והאפליקציה עובדת מצוין",
    ] {
        let c = classify(text);
        assert_eq!(c.sentiment.label, Polarity::Positive, "{text}: {c:?}");
        assert!(!sentiment_marked(&c, Modifier::Negated), "{text}: {c:?}");
    }
    assert_eq!(
        classify("אין שירות טוב").sentiment.label,
        Polarity::Negative
    );
}

#[test]
fn what_the_customer_did_to_the_agent_is_no_complaint_about_the_agent() {
    for text in [
        "לק' ניתק את השיחה",
        "לק' היה ממש גס רוח וצעק",
        "cust was very rude and abusive",
        "customer yelled at me",
        "cust didn't show up for the appointment",
        "לק' לא חזר אליי",
        "cust never called back, closing ticket",
    ] {
        let c = classify(text);
        assert!(!c.has_group(Group::Complaint), "{text}: {:?}", c.labels);
    }
    // A call the company never returned, or a promise named, is the company's.
    for text in [
        "no one called me back",
        "cust says no one called back",
        "לקוח הבטיחו לחזור אליו ולא חזרו",
        "cust promised fix by previous agent",
    ] {
        assert!(
            has(text, "complaint.broken_promise"),
            "{text}: {:?}",
            labels(text)
        );
    }
    assert!(has(
        "the technician didn't show up",
        "complaint.delivery_installation"
    ));
    // The customer reporting what the agent did is the complaint.
    for text in [
        "cust complaining about unprofessional agent",
        "cust says the agent was rude",
        "לק' טוען שהנציג היה גס רוח",
        "לק' מתלוננת על יחס מזלזל של נציג",
    ] {
        assert!(
            has(text, "complaint.agent_behavior"),
            "{text}: {:?}",
            labels(text)
        );
    }
}

#[test]
fn nothing_owed_is_no_broken_promise() {
    for text in [
        "No f/u needed",
        "no callback required",
        "checked history | no f/u needed",
    ] {
        assert!(labels(text).is_empty(), "{text}: {:?}", labels(text));
    }
    assert!(has(
        "no f/u from agent, cust still waiting",
        "complaint.broken_promise"
    ));
    // In notes a bar separates facts: a negator does not reach across it.
    assert!(has(
        "router firmware updated, no change | Xfer to retention after cancel req",
        "churn.retention_transfer"
    ));
}

#[test]
fn expletives_are_not_negated() {
    for text in [
        "I can't find the damn bill anywhere",
        "still not working ugh",
        "זה לא עובד לי אוף",
    ] {
        let c = classify(text);
        assert_eq!(c.sentiment.label, Polarity::Negative, "{text}: {c:?}");
        assert!(!sentiment_marked(&c, Modifier::Negated), "{text}: {c:?}");
    }
    // A word without the flag is still negated: "not bad" is mildly positive.
    assert_eq!(classify("not bad").sentiment.label, Polarity::Positive);
}

#[test]
fn negation_does_not_reach_into_a_phrase_that_opens_with_a_contrast_word() {
    for (text, label) in [
        ("נ\"ש לא חזר ללק' למרות שהובטח", "complaint.broken_promise"),
        (
            "no change - cust still hasn't received refund",
            "complaint.refund",
        ),
    ] {
        assert!(has(text, label), "{text}: {:?}", labels(text));
    }
}

#[test]
fn a_negator_in_the_gap_of_a_phrase_negates_it() {
    assert!(has("the agent was rude to me", "complaint.agent_behavior"));
    assert!(has(
        "the agent was really rude to me",
        "complaint.agent_behavior"
    ));
    let text = "the agent was not rude, just slow";
    assert!(
        !has(text, "complaint.agent_behavior"),
        "{text}: {:?}",
        labels(text)
    );
    // A negator that is one of the entry's own words is not in its gap.
    let text = "there are charges that aren't mine on my bill";
    assert!(has(text, "complaint.billing"), "{text}: {:?}", labels(text));
}

#[test]
fn an_entry_that_opens_with_a_negator_is_not_negated_again() {
    // Unpunctuated chat: the earlier negator belongs to its own words, not to the entry after it.
    for (text, entry) in [
        (
            "זה כבר לא הפעם הראשונה לא ייתכן שכל פעם אני צריך לרדוף אחריכם",
            "לא ייתכן",
        ),
        (
            "אין שירות כבר שבוע אני כבר לא יודע מה לעשות",
            "כבר לא יודע מה לעשות",
        ),
    ] {
        let c = classify(text);
        let hit = c
            .sentiment
            .evidence
            .iter()
            .find(|e| e.text == entry)
            .unwrap_or_else(|| panic!("{text}: no {entry} in {c:?}"));
        assert!(!hit.modifiers.contains(&Modifier::Negated), "{text}: {c:?}");
        assert_eq!(c.sentiment.label, Polarity::Negative, "{text}: {c:?}");
    }
    // The same for a churn entry: the threat stands.
    let text = "השירות לא עובד לא אמשיך איתכם";
    assert!(
        has(text, "churn.cancel_intent"),
        "{text}: {:?}",
        labels(text)
    );
    // A negator that opens no entry still negates what follows it.
    assert!(!has("אני לא רוצה לבטל את המנוי", "churn.cancel_intent"));
}

#[test]
fn praise_beside_a_complaint_with_an_irony_marker_is_sarcasm() {
    for text in [
        "יפה מאוד, עוד התייקרות השנה. ממש מעריכים את הלקוחות 👏",
        "wow amazing service, 4 days to wait for a technician 🙃",
    ] {
        let c = classify(text);
        assert!(!c.labels.is_empty(), "{text}: {c:?}");
        assert_eq!(c.sentiment.label, Polarity::Negative, "{text}: {c:?}");
        assert!(sentiment_marked(&c, Modifier::Ironic), "{text}: {c:?}");
    }
    // Clapping for good service is praise.
    let c = classify("סוף סוף חברה שעונה בצ'אט תוך דקה. כל הכבוד 👏");
    assert_eq!(c.sentiment.label, Polarity::Positive, "{c:?}");
    // Rolled eyes make praise ironic even where no complaint is named.
    for text in ["כל הכבוד... ממש עזרתם 🙄", "great job guys 😒"] {
        let c = classify(text);
        assert_eq!(c.sentiment.label, Polarity::Negative, "{text}: {c:?}");
        assert!(sentiment_marked(&c, Modifier::Ironic), "{text}: {c:?}");
    }
}

#[test]
fn scare_quoted_praise_in_a_complaint_is_sarcasm() {
    for text in [
        "השירות היה 'מעולה' כרגיל, שלוש שעות המתנה",
        "thanks for the 'excellent' service, three hours on hold",
        "their \"fast\" internet has been down all week",
    ] {
        let c = classify(text);
        assert!(!c.labels.is_empty(), "{text}: {c:?}");
        assert_eq!(c.sentiment.label, Polarity::Negative, "{text}: {c:?}");
        assert!(sentiment_marked(&c, Modifier::Ironic), "{text}: {c:?}");
    }
    // Quoted praise with no complaint is reported, not ironic; so is a quoted sentence.
    for text in [
        "my son said 'this is the best gift ever'",
        "כתבו לי 'שירות מעולה' בהודעה",
        "I waited 3 hours. The agent said 'I am so sorry, we will fix it today' and it was fixed",
    ] {
        let c = classify(text);
        assert!(!sentiment_marked(&c, Modifier::Ironic), "{text}: {c:?}");
    }
}

#[test]
fn a_negator_opening_a_rhetorical_question_does_not_flip() {
    for (text, want) in [
        ("זה לא מגוחך?", Polarity::Negative),
        ("אתם לא חיים בסרט?", Polarity::Negative),
        ("לא חבל?", Polarity::Negative),
        ("isn't it ridiculous?", Polarity::Negative),
        ("aren't you ashamed?", Polarity::Negative),
        ("isn't that great?", Polarity::Positive),
        ("זה לא נפלא?", Polarity::Positive),
    ] {
        let c = classify(text);
        assert_eq!(c.sentiment.label, want, "{text}: {c:?}");
        assert!(!sentiment_marked(&c, Modifier::Negated), "{text}: {c:?}");
    }
    // A negation inside the question, or a statement, still negates.
    for text in [
        "the agent was not courteous?",
        "is the app not amazing?",
        "השירות לא נפלא?",
        "זה לא מגוחך.",
    ] {
        let c = classify(text);
        assert!(sentiment_marked(&c, Modifier::Negated), "{text}: {c:?}");
    }
}

#[test]
fn a_bad_feeling_forbidden_is_an_instruction() {
    for text in [
        "אל תתביישו לשאול אותנו",
        "אל תהיו עצובים",
        "don't worry, we'll sort it",
        "don't be afraid to ask",
    ] {
        let c = classify(text);
        assert_eq!(c.sentiment.label, Polarity::Neutral, "{text}: {c:?}");
    }
    // A negation that describes still flips, and a forbidden act keeps its own entry.
    assert_polarities(&[
        ("I don't worry about it", Polarity::Positive),
        ("don't buy this, it's terrible", Polarity::Negative),
    ]);
}

#[test]
fn love_framing_a_complaint_is_sarcasm() {
    for text in [
        "love how nobody bothers to call back",
        "I love how you charge me twice every month",
        "Gotta love waiting 3 hours on hold",
        "Love how my bank charges me £8 for being £1 overdrawn.",
        "אני אוהבת איך שאתם מחייבים אותי פעמיים",
    ] {
        let c = classify(text);
        assert_eq!(c.sentiment.label, Polarity::Negative, "{text}: {c:?}");
        assert!(sentiment_marked(&c, Modifier::Ironic), "{text}: {c:?}");
    }
    // What the frame introduces decides: praise, or a complaint named further on.
    for text in [
        "I love how easy the app is",
        "I love the way the agent handled my billing issue",
    ] {
        let c = classify(text);
        assert_eq!(c.sentiment.label, Polarity::Positive, "{text}: {c:?}");
    }
}

#[test]
fn still_going_on_is_no_contrast_and_praise_may_address_the_reader() {
    // "still no fix" goes on; "Still, …" concedes.
    let c = classify("wow, six weeks and still no fix. great job guys");
    assert_eq!(c.sentiment.label, Polarity::Negative, "{c:?}");
    assert!(sentiment_marked(&c, Modifier::Ironic), "{c:?}");
    assert!(!sentiment_marked(&c, Modifier::BeforeContrast), "{c:?}");
    let c = classify("It's pricey. Still, I like it a lot");
    assert!(sentiment_marked(&c, Modifier::AfterContrast), "{c:?}");
    assert_polarities(&[
        ("שבוע בלי אינטרנט. כל הכבוד חבר'ה", Polarity::Negative),
        (
            "Great job guys, the new app is fantastic",
            Polarity::Positive,
        ),
    ]);
}

#[test]
fn a_sentence_opening_no_before_a_subject_is_an_answer() {
    assert_polarities(&[
        ("no that's rubbish", Polarity::Negative),
        ("no it's terrible", Polarity::Negative),
        ("no this is great", Polarity::Positive),
        // Before a noun it negates.
        ("no problem at all", Polarity::Positive),
    ]);
    assert!(has("no signal for 3 days", "complaint.technical_fault"));
}

#[test]
fn no_idea_how_intensifies_what_follows() {
    assert_polarities(&[
        (
            "you have no idea how frustrating this is",
            Polarity::Negative,
        ),
        ("אין לכם מושג כמה זה מתסכל", Polarity::Negative),
        (
            "you have no idea how much you helped me",
            Polarity::Positive,
        ),
        ("אין לכם מושג כמה עזרתם", Polarity::Positive),
        // Alone, it still says they know nothing.
        ("אין לכם מושג", Polarity::Negative),
    ]);
}

#[test]
fn an_account_the_company_closed_is_no_intent_to_leave() {
    for text in [
        "They closed my account last night",
        "you cancelled my subscription yesterday",
        "the bank closed my account",
    ] {
        assert!(
            !has(text, "churn.cancel_intent"),
            "{text}: {:?}",
            labels(text)
        );
        // The trace says why.
        let explained = CLASSIFIER.explain(text, None, &mut Scratch::new());
        let hit = explained
            .hits
            .iter()
            .find(|h| h.label == "churn.cancel_intent")
            .expect("a cancel hit");
        assert!(
            hit.evidence.modifiers.contains(&Modifier::ByCompany),
            "{text}: {hit:?}"
        );
    }
    // Done without notice, it is a complaint about the terms; done by the customer, it is not.
    assert!(has(
        "They closed my account without notice",
        "complaint.contract_terms"
    ));
    assert!(has(
        "ניתקתם לי את הקו בלי הודעה",
        "complaint.contract_terms"
    ));
    assert!(!has(
        "I closed my account without any problem",
        "complaint.contract_terms"
    ));
    for text in [
        "I closed my account last week",
        "can you cancel my account?",
        "Have you cancelled my account yet? I asked last week",
    ] {
        assert!(
            has(text, "churn.cancel_intent"),
            "{text}: {:?}",
            labels(text)
        );
    }
}

#[test]
fn switching_or_porting_to_the_company_is_joining() {
    for text in [
        "רוצה לנייד את המספר שלי אליכם",
        "I want to port my number to you from Three",
        "thinking of switching to you guys from Verizon",
    ] {
        let c = classify(text);
        assert!(!c.has_group(Group::Churn), "{text}: {c:?}");
    }
    for (text, label) in [
        ("רוצה לנייד את המספר שלי לפרטנר", "churn.number_porting"),
        ("I'm switching to Verizon", "churn.switch_competitor"),
        (
            "I'm porting my number away from you",
            "churn.number_porting",
        ),
    ] {
        assert!(has(text, label), "{text}: {:?}", labels(text));
    }
}

#[test]
fn a_weak_entry_repeated_is_one_hint() {
    // יקר is "expensive" and "dear": alone and repeated it stays a hint.
    let text = "איש יקר, חבר יקר שלנו";
    assert!(!has(text, "complaint.pricing"), "{:?}", labels(text));
    assert!(has("המחיר יקר מדי", "complaint.pricing"));
    // In a text that complains, a repeated weak word says what about.
    let text = "פנייה שלישית בנושא ההחזר. כתבתי על ההחזר גם במייל";
    assert!(has(text, "complaint.refund"), "{:?}", labels(text));
    let text = "כתבתי לכם על ההחזר. ההחזר של ההזמנה";
    assert!(!has(text, "complaint.refund"), "{:?}", labels(text));
}

#[test]
fn a_written_score_is_read_from_its_place_on_its_scale() {
    use Polarity::*;
    // (text, polarity, whether the rating rule reads it: entries like "1 star" read the rest)
    for (text, want) in [
        ("rated 9/10", Positive),
        ("I'd rate the service 4/10", Negative),
        ("3 out of 5", Negative),
        ("4/5 stars", Positive),
        ("gave it 3 stars", Negative),
        ("NPS 2, cust unhappy", Negative),
        ("csat 5", Positive),
        ("ציון 3 מתוך 10", Negative),
        ("נותן להם 2/10", Negative),
        ("נותן להם ציון 9", Positive),
        ("הציון שלי: 95", Positive),
        ("4 כוכבים", Positive),
        ("לק' נתן NPS 2", Negative),
        ("rated at 9/10", Positive),
    ] {
        let c = classify(text);
        assert_eq!(c.sentiment.label, want, "{text}: {c:?}");
        assert!(sentiment_marked(&c, Modifier::Rating), "{text}: {c:?}");
    }
    // A passive 7 of 10 is read and says nothing; praise taken back is negative.
    let c = classify("7 out of 10");
    assert_eq!(c.sentiment.label, Neutral, "{c:?}");
    let c = classify("wouldn't give them 10/10");
    assert_eq!(c.sentiment.label, Negative, "{c:?}");
    assert!(sentiment_marked(&c, Modifier::Negated), "{c:?}");
    // Dates, counts and numbers without a scale are no scores.
    for text in [
        "called on 1/5 about the bill",
        "3 out of 5 calls dropped",
        "3 מתוך 5 שיחות נותקו",
        "rated 4",
        "gave me until 10/10 to pay",
        "ציון דרך 5",
    ] {
        let c = classify(text);
        assert!(!sentiment_marked(&c, Modifier::Rating), "{text}: {c:?}");
    }
    // A low score is no better for "not even".
    assert_polarities(&[("not even 0/10", Negative), ("not even 1 star", Negative)]);
}

#[test]
fn a_complaint_put_right_stands_but_weighs_nothing_on_sentiment() {
    for text in [
        "cx queried $18 intl call charge. applied in error, credited on next bill",
        "חיוב כפול, זוכה במלואו",
        "כתובת ההתקנה במערכת לא תואמת את הכתובת בפועל. תוקן לפני יציאת הטכנאי.",
    ] {
        let c = classify(text);
        assert!(c.has_group(Group::Complaint), "{text}: {c:?}");
        assert!(label_marked(&c, Modifier::Resolved), "{text}: {c:?}");
        assert_eq!(c.sentiment.label, Polarity::Neutral, "{text}: {c:?}");
    }
    let c = classify("no internet for 3 days, they finally managed to get it fixed");
    assert!(label_marked(&c, Modifier::Resolved), "{c:?}");
    // A wait or a runaround is not undone by the fix that ends it.
    let c = classify("took three calls to get it sorted");
    assert!(has(
        "took three calls to get it sorted",
        "complaint.repeat_contact"
    ));
    assert!(!label_marked(&c, Modifier::Resolved), "{c:?}");
    // Thanks after the fix are sincere, not sarcasm.
    let c = classify(
        "cust reported dropouts, faulty jumper found in street cabinet, replaced. cust tested OK. very grateful",
    );
    assert_eq!(c.sentiment.label, Polarity::Positive, "{c:?}");
    assert!(!sentiment_marked(&c, Modifier::Ironic), "{c:?}");
    // Not put right: negated, awaited, asked for, partial, or a "fixed line".
    for text in [
        "charged twice, still not refunded",
        "charged twice, should be refunded by Friday",
        "I have been charged twice this month and would like the duplicate payment refunded",
        "charged twice, please have it refunded",
        "חיוב כפול, עדיין לא זוכה",
        "no internet since Monday. partially fixed",
        "no dial tone on fixed line",
    ] {
        let c = classify(text);
        assert!(!label_marked(&c, Modifier::Resolved), "{text}: {c:?}");
        assert_eq!(c.sentiment.label, Polarity::Negative, "{text}: {c:?}");
    }
}

#[test]
fn a_fix_named_before_what_it_fixed_puts_it_right() {
    for text in [
        "they refunded the double charge right away",
        "זיכו אותי על החיוב הכפול מיד",
        "credited $54.99 for the double charge",
    ] {
        let c = classify(text);
        assert!(c.has_group(Group::Complaint), "{text}: {c:?}");
        assert!(label_marked(&c, Modifier::Resolved), "{text}: {c:?}");
        assert_ne!(c.sentiment.label, Polarity::Negative, "{text}: {c:?}");
    }
    // A fix denied leaves the complaint standing: the negator denies the fix, not the fault.
    for text in [
        "they haven't fixed the outage",
        "the outage wasn't fixed",
        "לא זיכו אותי על החיוב הכפול",
    ] {
        let c = classify(text);
        assert!(c.has_group(Group::Complaint), "{text}: {c:?}");
        assert!(!label_marked(&c, Modifier::Resolved), "{text}: {c:?}");
        assert_eq!(c.sentiment.label, Polarity::Negative, "{text}: {c:?}");
    }
    // A fix asked for ("להחליף", to replace) is none, nor one before another act.
    for text in [
        "הוסבר שמחיר המבצע הסתיים. בקשה: להחליף את הראוטר",
        "my salary got credited but bank deducted it for some penalty",
    ] {
        let c = classify(text);
        assert!(!label_marked(&c, Modifier::Resolved), "{text}: {c:?}");
    }
}

#[test]
fn a_contract_end_or_a_retention_transfer_is_no_feeling() {
    for text in [
        "cust wants reminder 30 days before contract end to compare deals. reminder set",
        "לק' שאל מתי מסתיימת ההתחייבות על המכשיר, הוסבר - נשארו 4 תשלומים.",
        "לק' הועבר לשימור לבקשתו לבדוק הצעות לקראת חידוש. ללא תלונה מיוחדת.",
    ] {
        let c = classify(text);
        assert!(c.has_group(Group::Churn), "{text}: {c:?}");
        assert_eq!(c.sentiment.label, Polarity::Neutral, "{text}: {c:?}");
    }
    // Leaving at the contract's end is still felt.
    let c = classify("my contract ends next month and I'm cancelling, fed up");
    assert_eq!(c.sentiment.label, Polarity::Negative, "{c:?}");
}

#[test]
fn thanks_signing_off_a_question_are_politeness() {
    assert_polarities(&[
        (
            "Hi, could you tell me when my minimum term ends? Thanks, Amit",
            Polarity::Neutral,
        ),
        ("שלום, מה תהיה עלות הפרמיה? תודה, דליה", Polarity::Neutral),
        // Thanks after telling, or with praise, are sincere.
        ("Very useful. Thanks!", Polarity::Positive),
        (
            "נציגה סבלנית שהסבירה לאבא שלי הכל לאט. תודה!",
            Polarity::Positive,
        ),
        (
            "So the refund is already in? You're quick, thanks.",
            Polarity::Positive,
        ),
    ]);
}

#[test]
fn a_negator_ending_inside_a_phrase_negates_it_unless_its_last_word_negates_alone() {
    // The negator "לא הכי" overlaps "הכי מתאים", "לא ממש" overlaps "ממש בסדר": both negate.
    for text in ["המסלול לא הכי מתאים לי", "זה לא ממש בסדר מצידכם"]
    {
        let c = classify(text);
        assert!(sentiment_marked(&c, Modifier::Negated), "{text}: {c:?}");
        assert_eq!(c.sentiment.label, Polarity::Negative, "{text}: {c:?}");
    }
    // "לא" ends "שאף פעם לא" and opens "לא ביקשתי": the phrase carries its own negation.
    assert!(has(
        "מצאתי חיוב על תמיכה טכנית שאף פעם לא ביקשתי",
        "complaint.billing"
    ));
}

#[test]
fn a_weak_switch_word_raises_a_brand_only_in_its_own_sentence() {
    // "עברתי" alone is weak: beside the brand it is a switch, a sentence away it is a move.
    assert!(has("עברתי לפרטנר", "churn.switch_competitor"));
    assert!(!has(
        "עברתי דירה. אני לקוח של פרטנר כבר שנים",
        "churn.switch_competitor"
    ));
    // A strong phrase reaches the brand in the next sentence.
    assert!(has("אני עוזב. עובר לפרטנר", "churn.switch_competitor"));
    assert!(has(
        "I'm cancelling. Going with Verizon.",
        "churn.switch_competitor"
    ));
}

#[test]
fn yet_before_to_is_not_a_contrast() {
    let c = classify("I was charged twice and I have yet to receive a refund");
    assert!(!sentiment_marked(&c, Modifier::BeforeContrast), "{c:?}");
    assert!(!sentiment_marked(&c, Modifier::AfterContrast), "{c:?}");
    // "yet" as "but" still is one.
    let c = classify("the agent was polite, yet nothing was solved and it was useless");
    assert!(sentiment_marked(&c, Modifier::BeforeContrast), "{c:?}");
}

#[test]
fn the_words_of_a_resolution_are_no_complaint() {
    // "הכסף בחזרה" (money back) is a refund complaint alone, and the resolution's own words here.
    let c = classify("חיוב כפול, קיבלתי את הכסף בחזרה");
    assert!(
        !has("חיוב כפול, קיבלתי את הכסף בחזרה", "complaint.refund"),
        "{c:?}"
    );
    assert!(label_marked(&c, Modifier::Resolved), "{c:?}");
    assert_ne!(c.sentiment.label, Polarity::Negative, "{c:?}");
    assert!(has("אני רוצה את הכסף בחזרה", "complaint.refund"));
    // What came back puts an outage right.
    for text in [
        "no internet since Monday, internet is back now, thanks",
        "שלושה ימים בלי אינטרנט, היום חזר לי האינטרנט",
    ] {
        let c = classify(text);
        assert!(label_marked(&c, Modifier::Resolved), "{text}: {c:?}");
    }
}
