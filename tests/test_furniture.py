import pytest

from newsclaims.pages.furniture import Block, furniture_rule


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Listen Live", "ui_label"),
        ("Comments 0", "ui_label"),
        ("Community standardsDiscussion", "short_fragment"),
        ("0:00 0:03:41 0:00", "timecode_or_counter"),
        ("0 14", "timecode_or_counter"),
        ("00:51 GMT04 March 2021", "timestamp"),
        ("Daesh, terrorism, Pentagon, Riad Haddad, Syria, Iraq", "tag_list"),
        ("Kerry Lauds Iraq for National Budget, Oil Exports Deal With Kurdistan", "headline_like"),
        ("Violence Erupts as Islamic State Rises (1881)", "headline_like"),
        ("XS", "short_fragment"),
        ("إقرأ هذا الخبر بالعربية W460", "foreign_script"),
    ],
)
def test_furniture_is_recognised(text, rule):
    assert furniture_rule(Block(text)) == rule


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
        "The Islamic State is a Sunni jihadi group that has been fighting since 2012.",
    ],
)
def test_reporting_is_kept(text):
    assert furniture_rule(Block(text)) is None
