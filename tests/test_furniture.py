"""The furniture rules on blocks written for these tests (see docs/furniture.md)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclaims.pages.furniture import Block, furniture_rule


@pytest.mark.parametrize(
    "text",
    [
        "Sign up for our daily newsletter",
        "Never miss a story: subscribe to the Morning Briefing newsletter today.",
        "Subscribe now for unlimited access.",
        "© 2014 Example Media Group. All rights reserved.",
        "Follow us on Twitter and Facebook.",
        "Download our free app for breaking news alerts.",
        "To read the full story, please log in.",
        "Weekly Newsletter",
    ],
)
def test_calls_to_action_are_furniture(text):
    assert furniture_rule(Block(text)) == "call_to_action"


def test_link_only_paragraph_is_furniture():
    assert (
        furniture_rule(Block("Iranian jets carried out anti-IS raids in Iraq?", 1.0)) == "link_only"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Reuters, Brussels :",
        "MOSCOW, December 3 (Sputnik) - US Secretary of State John Kerry praised the results.",
        "“But we're not going to coordinate, it's not a cooperative effort.”",
        "Kerry praised the role of Arab states in the fight against Islamic State.",
        "What Happened Next",
        "Kerry Lauds Iraq for National Budget, Oil Exports Deal With Kurdistan",
        "The streaming service said it had signed up two million subscribers since March.",
        "Readers who follow the story closely will know the agency's newsletter was cut.",
    ],
)
def test_reporting_is_kept(text):
    assert furniture_rule(Block(text)) is None


_PIECES = [
    "Sign up", "SIGNING UP", "subscribe", "Subscribers", "register", " for ", " our ", " the ",
    "newsletter", "Newsletters", " here", " now", " today", " for free", "follow us", "Follow Us",
    "download", " app", "apps", "submit a letter to the editor", "write your letters to the editor",
    "comments are moderated", "to view the full story", "continue reading the full article",
    "already a subscriber", "©", "(c) ", "Copyright", "all rights reserved", ". ", "!", "?",
    "copyr\u0130ght", "\u017fign up", "follow u\u017f", "copyr\u0131ght", "\u212aeep", "news", "letter", "sign",
    "up", "the", "full", "story", " ", "  ", "\u00e9t\u00e9", "\u2014",
]  # fmt: skip


@given(st.lists(st.sampled_from(_PIECES), max_size=12))
@settings(max_examples=3000, deadline=None)
def test_the_call_to_action_shortcut_never_changes_an_answer(pieces):
    """The keyword shortcut in is_call_to_action skips only blocks the regex cannot match."""
    from newsclaims.pages.furniture import _CALL_TO_ACTION, CALL_TO_ACTION_WORDS, is_call_to_action

    text = "".join(pieces)
    expected = len(text.split()) <= CALL_TO_ACTION_WORDS and bool(_CALL_TO_ACTION.search(text))
    assert is_call_to_action(Block(text)) == expected


@given(
    st.lists(
        st.sampled_from([*_PIECES, "\u201c", "\u201d", "\u2019", "\u00ab", "\u2018s", "'"]),
        max_size=14,
    )
)
@settings(max_examples=2000, deadline=None)
def test_quote_marks_do_not_change_a_rule(pieces):
    """furniture_rule reads the text unfolded: folding the quote marks first answers the same."""
    from newsclaims.text import fold_quotes

    text = "".join(pieces)
    for share in (0.0, 0.9):
        assert furniture_rule(Block(text, share)) == furniture_rule(Block(fold_quotes(text), share))
