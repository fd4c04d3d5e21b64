"""The furniture rules on blocks written for these tests (see docs/furniture.md)."""

import pytest

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
