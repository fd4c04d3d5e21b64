"""One small text per pattern the quote extractor must handle."""

from __future__ import annotations

import pytest

from newsclaims.quotes.extract import extract_quotes
from newsclaims.records import Quote
from newsclaims.speakers.mentions import parse_mention
from newsclaims.speakers.registry import PersonRegistry, Position, roles_match


def quotes_of(*paragraphs: str, headline: str | None = None) -> list[Quote]:
    """Extract, and check every offset on the way (offsets are part of every contract)."""
    found = extract_quotes(list(paragraphs), headline)
    for quote in found:
        source = headline if quote.paragraph == -1 else paragraphs[quote.paragraph]
        assert source is not None
        assert source[quote.start : quote.end] == quote.quote
    return found


def statements(*paragraphs: str) -> list[tuple[str, str | None, str]]:
    """(quote, speaker, kind) of every body quote that counts as a statement."""
    return [
        (q.quote, q.speaker, q.kind)
        for q in quotes_of(*paragraphs)
        if q.paragraph >= 0 and q.kind != "optional"
    ]


INTRO = "U.S. Secretary of State John Kerry spoke in Brussels on Wednesday."


# --- quote marks ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "inner"),
    [
        ('"We will win," Kerry said.', "We will win,"),
        ("“We will win,” Kerry said.", "We will win,"),
        ("« We will win », Kerry said.", "We will win"),
        ("„We will win“, Kerry said.", "We will win"),
        ("‘We will win,’ Kerry said.", "We will win,"),
        ("»We will win«, Kerry said.", "We will win"),
    ],
)
def test_every_kind_of_mark(text: str, inner: str) -> None:
    assert statements(INTRO, text) == [(inner, "John Kerry", "direct")]


def test_single_quotes_nested_in_double_belong_to_the_outer_quote() -> None:
    found = quotes_of(INTRO, "\"My mother told me, 'Never give up,' and I didn't,\" Kerry said.")
    assert [q.quote for q in found] == ["My mother told me, 'Never give up,' and I didn't,"]


def test_curly_quotes_nested_in_guillemets() -> None:
    text = "« The word “compromise” must work both ways », Kerry said."
    assert statements(INTRO, text) == [
        ("The word “compromise” must work both ways", "John Kerry", "direct")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "\"Daesh's leaders don't sleep and the '90s are over,\" Kerry said.",
        "“Daesh’s leaders don’t sleep and the ’90s are over,” Kerry said.",
        "\"It's rock 'n' roll and the citizens' choice,\" Kerry said.",
    ],
)
def test_apostrophes_do_not_end_or_start_quotes(text: str) -> None:
    found = statements(INTRO, text)
    assert len(found) == 1
    assert found[0][0].startswith(("Daesh", "It's"))
    assert found[0][1] == "John Kerry"


def test_apostrophes_outside_quotes_make_no_quotes() -> None:
    assert quotes_of("Daesh's fighters and the club's fans don't remember the '90s.") == []


def test_offsets_point_at_the_text_inside_the_marks() -> None:
    text = 'Kerry said:  "  We will win.  "'
    (quote,) = quotes_of(INTRO, text)
    assert (quote.paragraph, quote.quote) == (1, "We will win.")
    assert text[quote.start : quote.end] == "We will win."


@pytest.mark.parametrize(
    "text",
    [
        'He said "we win and then "we lose',
        "“open “open ”close” ” “",
        "«»«»\"'\"'",
        "' ' ' “ ’ ‘ „ ‟ ‹ › «",
        'said said, according to "',
    ],
)
def test_unbalanced_marks_do_not_raise(text: str) -> None:
    quotes_of(text, text, headline=text)


# --- attribution patterns --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ('"We will win," Kerry said.', "said"),
        ('"We will win," said Kerry.', "said"),
        ('Kerry said: "We will win."', "said"),
        ('Kerry said, "We will win."', "said"),
        ('"We will win," Kerry told reporters.', "told"),
        ('"We will win," according to Kerry.', "according"),
        ('"We will win," Kerry says.', "says"),
        ('"We will win," Kerry has said.', "said"),
        ('"We will win," Kerry will say.', "say"),
        ('Kerry tweeted: "We will win."', "tweeted"),
        ('"We will win," Kerry emphasised.', "emphasised"),
        ('"We will win," Kerry wrote on social media.', "wrote"),
        ('"We will win," recalled Kerry.', "recalled"),
    ],
)
def test_attribution_around_the_quote(text: str, cue: str) -> None:
    (quote,) = quotes_of(INTRO, text)
    assert (quote.speaker, quote.cue, quote.kind, quote.inferred) == (
        "John Kerry",
        cue,
        "direct",
        False,
    )


def test_long_title_is_split_from_the_name() -> None:
    text = '"We coordinate," Pentagon spokesman Rear Admiral John Kirby told AFP.'
    (quote,) = quotes_of(text)
    assert quote.speaker == "John Kirby"
    assert quote.role == "Pentagon spokesman"
    assert quote.speaker_mention == "Pentagon spokesman Rear Admiral John Kirby"


def test_role_before_the_name_is_kept_as_role() -> None:
    (quote,) = quotes_of('"We will win," U.S. Secretary of State John Kerry said.')
    assert (quote.speaker, quote.role) == ("John Kerry", "U.S. Secretary of State")


def test_split_quote_keeps_the_speaker() -> None:
    text = '"It is much harder now," Kerry said. "No large unit can move forward."'
    assert statements(INTRO, text) == [
        ("It is much harder now,", "John Kerry", "direct"),
        ("No large unit can move forward.", "John Kerry", "direct"),
    ]
    second = quotes_of(INTRO, text)[1]
    assert second.inferred and second.cue is None


def test_split_mid_sentence() -> None:
    text = "“Every dollar is paid for,” Kerry said, “and not one dollar is borrowed.”"
    assert [s[1] for s in statements(INTRO, text)] == ["John Kerry", "John Kerry"]


def test_quote_running_into_the_next_paragraph() -> None:
    found = statements(
        INTRO,
        '"I knew from the first lap that we would win," Kerry said. "The crowd was loud.',
        '"This record belongs to everyone back home."',
    )
    assert [(q, s) for q, s, _ in found] == [
        ("I knew from the first lap that we would win,", "John Kerry"),
        ("The crowd was loud.", "John Kerry"),
        ("This record belongs to everyone back home.", "John Kerry"),
    ]


def test_attribution_at_the_end_of_a_multi_paragraph_quote() -> None:
    found = statements('"We came here to win.', '"And we did," John Kerry said.')
    assert found == [
        ("We came here to win.", "John Kerry", "direct"),
        ("And we did,", "John Kerry", "direct"),
    ]


def test_standalone_quote_paragraph_continues_previous_speaker() -> None:
    found = quotes_of(INTRO, '"We will win," Kerry said.', '"Our impact will be measured."')
    assert found[-1].speaker == "John Kerry"
    assert found[-1].inferred


def test_colon_hands_over_to_the_new_speaker() -> None:
    found = quotes_of(
        '"We will win," said Pentagon spokesman John Kirby. Then John Kerry said:',
        '"The coalition is strong."',
    )
    assert [q.speaker for q in found] == ["John Kirby", "John Kerry"]


def test_paragraph_ending_in_colon_introduces_the_next() -> None:
    found = quotes_of(
        "In remarks at the United Nations, Secretary of State John Kerry emphasized progress:",
        "“The coalition that we have built has been taking on ISIL.”",
    )
    assert (found[0].speaker, found[0].kind, found[0].inferred) == ("John Kerry", "direct", True)


# --- partial quotes ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "inner"),
    [
        ('Kerry called the allegations "totally untrue" on Monday.', "totally untrue"),
        (
            "Kerry also hailed “the significant progress” of the government.",
            "the significant progress",
        ),
        ('Kerry insisted "all bases are covered" for the campaign.', "all bases are covered"),
        (
            "Kerry noted that, instead, his regime “focused all of its power on the rebels.”",
            "focused all of its power on the rebels.",
        ),
        ('Kerry said the strikes were having a "significant impact."', "significant impact."),
    ],
)
def test_partial_quotes_in_reported_speech(text: str, inner: str) -> None:
    assert statements(INTRO, text) == [(inner, "John Kerry", "partial")]


def test_subject_behind_a_relative_clause() -> None:
    text = (
        "Kerry, who held talks with Iraqi Prime Minister Haider al-Abadi, also hailed "
        "“the significant progress” in Baghdad."
    )
    assert statements(INTRO, text)[0][1] == "John Kerry"


def test_subject_before_an_appositive_role() -> None:
    text = (
        "Massoud Jazayeri, deputy chief of staff of Iran's Armed Forces, told a news "
        'agency the allegations were "totally untrue", the BBC reported.'
    )
    (quote,) = quotes_of(text)
    assert quote.speaker == "Massoud Jazayeri"
    assert quote.role == "deputy chief of staff of Iran's Armed Forces"


def test_news_outlet_reporting_is_not_the_speaker() -> None:
    text = (
        'Massoud Jazayeri told reporters the claims were "unrest and problems," the BBC reported.'
    )
    assert quotes_of(text)[0].speaker == "Massoud Jazayeri"


# --- resolving speakers ------------------------------------------------------------


def test_pronoun_goes_to_the_most_recent_person_of_that_gender() -> None:
    found = quotes_of(
        "Elin Lindqvist beat Camille Moreau in the final.",
        '"I thought it was gone," Lindqvist told reporters.',
        "Moreau, who saved four match points in her semi-final, served for the title.",
        '"I felt the arm get tight," she conceded.',
    )
    assert [q.speaker for q in found] == ["Elin Lindqvist", "Camille Moreau"]
    assert found[1].inferred and found[1].speaker_mention == "she"


def test_pronoun_skips_people_named_in_passing() -> None:
    found = quotes_of(
        INTRO,
        "Kerry, who spoke before news of the death of British aid worker David Haines, "
        'insisted "all bases are covered".',
        '"We have countries in this region ready to help," he said.',
    )
    assert [q.speaker for q in found] == ["John Kerry", "John Kerry"]


@pytest.mark.parametrize(
    "mention", ["the secretary of state", "the State Secretary", "Secretary Kerry", "Kerry"]
)
def test_role_nouns_and_surnames_resolve_to_the_full_name(mention: str) -> None:
    (quote,) = quotes_of(INTRO, f'"No large unit can move forward," {mention} said.')
    assert quote.speaker == "John Kerry"
    assert quote.speaker_mention == mention
    assert quote.inferred == mention.startswith("the ")


def test_spokesman_resolves_to_the_named_spokesman() -> None:
    found = quotes_of(
        '"We have indications," Pentagon spokesman Rear Admiral John Kirby told AFP.',
        '"We coordinate with the Iraqi government," the spokesman added.',
    )
    assert [q.speaker for q in found] == ["John Kirby", "John Kirby"]


def test_role_set_before_the_name_with_commas() -> None:
    found = quotes_of(
        "The band's frontman, Jesse Kowalski, hugged his bandmates.",
        '"We wrote that song in a garage," the frontman said.',
    )
    assert found[0].speaker == "Jesse Kowalski"


def test_honorific_is_not_part_of_the_name() -> None:
    found = quotes_of(
        '"These are strong results," said Dr. Anita Patel, the trial\'s lead investigator.',
        '"It works," Dr. Patel said.',
    )
    assert [q.speaker for q in found] == ["Anita Patel", "Anita Patel"]


def test_person_not_the_place_after_of() -> None:
    text = '"It will wane," Professor Hannah Weiss of the University of Cape Town told Reuters.'
    assert quotes_of(text)[0].speaker == "Hannah Weiss"


def test_nickname_between_names() -> None:
    found = quotes_of(
        'Goalkeeper Daniel "The Wall" Okafor made seven saves.',
        '"I just tried to stay big," Okafor said.',
    )
    assert [(q.quote, q.speaker, q.kind) for q in found] == [
        ("The Wall", None, "optional"),
        ("I just tried to stay big,", "Daniel Okafor", "direct"),
    ]


@pytest.mark.parametrize(
    ("text", "description"),
    [
        ('"It is embarrassing," one supporter said.', "supporter"),
        ('A company spokesperson said: "We will appeal."', "company spokesperson"),
        ('"The board was split," said one person familiar with the talks.', "person"),
        ('"We will win," the spokesman said.', "spokesman"),
    ],
)
def test_unnamed_source_gets_its_description(text: str, description: str) -> None:
    (quote,) = quotes_of(text)
    assert (quote.speaker, quote.speaker_type) == (description, "unnamed")
    assert quote.kind == "direct"


def test_plural_pronoun_stays_unknown() -> None:
    (quote,) = quotes_of('"We will win," they said.')
    assert quote.speaker is None


def test_lone_surname_that_speaks_is_a_person() -> None:
    (quote,) = quotes_of('"We will win," Obama said.')
    assert (quote.speaker, quote.speaker_type, quote.resolution) == ("Obama", "person", "named")


def test_titled_surname_is_a_person_and_a_later_full_name_completes_it() -> None:
    found = quotes_of(
        '"We will win," President Obama said.',
        'Barack Obama spoke in Chicago. "It is a fine day," Obama added.',
    )
    assert [q.speaker for q in found] == ["Barack Obama", "Barack Obama"]
    (alone,) = quotes_of('"We will win," Mr. Obama said.')
    assert alone.speaker == "Obama"


def test_unattributed_quote_with_nobody_before_stays_unknown() -> None:
    (quote,) = quotes_of('"Nobody built it and everybody needs it."')
    assert quote.speaker is None


def test_clause_subject_beats_a_noun_after_the_cue() -> None:
    text = (
        "Transport chief Marco Bianchi, who took office in March, said the operator had "
        '"lost control of its own timetable".'
    )
    (quote,) = quotes_of(text)
    assert (quote.speaker, quote.role) == ("Marco Bianchi", "Transport chief")


def test_non_person_attribution_stops_continuation() -> None:
    found = quotes_of(
        '"We will win," Mayor Harriet Olsen said.',
        '"We are all in this together," the mayor\'s office said in a statement.',
    )
    assert found[1].speaker is None
    assert found[1].speaker_mention == "the mayor's office"


def test_embedded_quote_prefers_the_person_before_it() -> None:
    text = (
        'Alan Mercer has previously said the case was built on "hindsight and hysteria", '
        "a claim prosecutors dismissed."
    )
    assert quotes_of(text)[0].speaker == "Alan Mercer"


def test_organisation_after_a_role_is_not_a_name() -> None:
    (quote,) = quotes_of('A spokesman for BusCo said the firm "regrets the disruption".')
    assert (quote.speaker, quote.speaker_type) == ("spokesman for BusCo", "unnamed")
    assert quote.kind == "partial"


_WATER = 'The Water Ministry said "the pumps are working".'
_NO_FLIGHTS = '"No aircraft of ours flew that night," the defence ministry said.'


@pytest.mark.parametrize(
    ("paragraphs", "speakers"),
    [
        # `the defence ministry` is not the `Water Ministry`, named later or earlier
        ((_NO_FLIGHTS, _WATER), [None, "Water Ministry"]),
        ((_WATER, _NO_FLIGHTS), ["Water Ministry", None]),
        # it finds its own ministry past a more recent one; `Ruritanian` fits it too
        (
            (
                "The Ruritanian Defence Ministry and the Water Ministry published statements.",
                _NO_FLIGHTS,
                '"The pumps are working," the Ruritanian ministry added.',
            ),
            ["Ruritanian Defence Ministry"] * 2,
        ),
        # no qualifier: the last one with its head
        (
            (
                "The Defence Ministry and the Water Ministry published statements.",
                '"The pumps are working," the ministry said.',
            ),
            ["Water Ministry"],
        ),
        # a lower-case possessive refers back, `new` describes: neither says which one
        *(
            (
                (
                    "The Ruritanian Defence Ministry and the Water Ministry met again.",
                    f'"Nothing flew," {reference} said.',
                ),
                ["Ruritanian Defence Ministry"],
            )
            for reference in ("the country's defence ministry", "the new defence ministry")
        ),
        # the country as an adjective, a describing word, a name that says more
        (
            (
                "Ruritania's Foreign Ministry met on Monday.",
                '"We regret it," the Ruritanian foreign ministry said.',
            ),
            ["Ruritania's Foreign Ministry"],
        ),
        (
            ("The Ruritanian Unity Party won.", '"We won," the ruling party said.'),
            ["Ruritanian Unity Party"],
        ),
        (
            ("The Ministry of Foreign Affairs met.", '"We regret it," the foreign ministry said.'),
            ["Ministry of Foreign Affairs"],
        ),
    ],
)
def test_organisation_references_and_their_qualifiers(
    paragraphs: tuple[str, ...], speakers: list[str | None]
) -> None:
    assert [q.speaker for q in quotes_of(*paragraphs)] == speakers


def test_appositive_role_stops_at_a_relative_clause() -> None:
    text = '"I was late again," said Tariq Aziz, a nurse who relies on the No. 12 bus.'
    (quote,) = quotes_of(text)
    assert (quote.speaker, quote.role) == ("Tariq Aziz", "a nurse")


def test_unread_attribution_is_not_taken_for_a_continuation() -> None:
    found = quotes_of(
        '"We are ready," Interior Minister Sofia Lindgren said.',
        "„Wir sind vorbereitet“, sagte ein Sprecher der Küstenwache.",
    )
    assert [q.speaker for q in found] == ["Sofia Lindgren", None]


# --- not statements ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "inner"),
    [
        ('He did not explain how they would "deconflict" the strikes.', "deconflict"),
        ('The club\'s so-called "project" has stalled.', "project"),
        ('The report, "Healthy Oceans 2030", draws on data.', "Healthy Oceans 2030"),
        ('It cited the study "Drawing the Line: Rural Maps", by two authors.', None),
        ("The song “Midnight on Ninth Street” was never released.", "Midnight on Ninth Street"),
        ('Ferraz, known to fans as "O Foguete", scored 31 goals.', "O Foguete"),
        ('The "miracle cure" was never tested on children.', "miracle cure"),
    ],
)
def test_scare_quotes_titles_and_nicknames_are_optional(text: str, inner: str | None) -> None:
    found = quotes_of(INTRO, text)
    assert [q.kind for q in found] == ["optional"]
    if inner is not None:
        assert found[0].quote == inner


def test_headline_quotes_are_kept_apart() -> None:
    found = quotes_of(
        INTRO,
        headline="John Kerry Says Air Strikes Having 'Significant Impact' On ISIS",
    )
    assert [(q.quote, q.paragraph, q.kind, q.speaker) for q in found] == [
        ("Significant Impact", -1, "optional", "John Kerry")
    ]


def test_signs_are_statements_without_a_speaker() -> None:
    found = quotes_of(
        INTRO,
        'Protesters held placards reading "No Reefs, No Future" outside.',
        'One banner read "Kerry Out, Enough Is Enough".',
    )
    assert [(q.speaker, q.kind) for q in found] == [(None, "direct"), (None, "direct")]


# --- speakers package --------------------------------------------------------------


def test_parse_mention_separates_role_title_and_name() -> None:
    mention = parse_mention(["Syrian", "Ambassador", "to", "Russia", "Riad", "Haddad"])
    assert mention is not None
    assert (mention.kind, mention.name, mention.role) == (
        "name",
        "Riad Haddad",
        "Syrian Ambassador to Russia",
    )
    assert parse_mention(["the", "BBC"]) is not None
    assert parse_mention(["the", "BBC"]).kind == "org"  # type: ignore[union-attr]


def test_fuzzy_role_match() -> None:
    assert roles_match("State Secretary", "U.S. Secretary of State")
    assert roles_match("spokesman", "Pentagon spokesman")
    assert not roles_match("president", "Prime Minister")


def test_registry_merges_surname_mentions() -> None:
    registry = PersonRegistry()
    full = parse_mention(["Syrian", "President", "Bashar", "al-Assad"])
    assert full is not None
    registry.register(full, Position(0, 0))
    short = parse_mention(["Assad"])
    assert short is not None
    resolved = registry.resolve(short, Position(0, 5)).person
    assert resolved is not None and resolved.name == "Bashar al-Assad"
    assert resolved.role == "Syrian President"


def test_doubled_straight_marks_are_escapes_not_quote_boundaries() -> None:
    text = 'The sheet held "=LINK(""http://x.example"",""go""),+SUM(1;2)" in row four, she said.'
    found = extract_quotes([text])
    assert [q.quote for q in found] == ['=LINK(""http://x.example"",""go""),+SUM(1;2)']


def test_streaming_extraction_matches_on_articles_and_numbers_long_texts_whole() -> None:
    from newsclaims.quotes.extract import extract_quotes_streaming

    article = ['"We will open the dock," Ada Brisk said.', '"Soon," she added.']
    assert list(extract_quotes_streaming(article, "Dock news")) == extract_quotes(
        article, "Dock news"
    )
    long_text = [f'"Plan {i} is late," Ada Brisk said.' for i in range(25)]
    found = list(extract_quotes_streaming(long_text, "Plans", piece=10))
    assert [q.paragraph for q in found] == list(range(25))
    assert {q.speaker for q in found} == {"Ada Brisk"}
