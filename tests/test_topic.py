from newsclaims.config.sources import DEFAULT_TOPIC, TopicProfile
from newsclaims.pages.topic import score_topic


def test_coalition_strike_story_is_on_topic():
    verdict = score_topic(
        "Kerry: air strikes hurting ISIS",
        "The U.S.-led coalition has carried out 1,000 airstrikes against Islamic State in Iraq and Syria.",
        DEFAULT_TOPIC,
    )
    assert verdict.on_topic
    assert verdict.hits["airstrikes"] == 1


def test_sport_story_is_off_topic():
    verdict = score_topic(
        "United strike late to beat City",
        "A late strike from the edge of the box settled the derby; the coalition of fans sang.",
        DEFAULT_TOPIC,
    )
    assert not verdict.on_topic


def test_repeated_single_term_is_capped():
    profile = TopicProfile(threshold=5, terms={"isis": 1.0})
    assert score_topic(None, "ISIS " * 50, profile).score == 3


def test_title_hits_weigh_more():
    profile = TopicProfile(threshold=100, title_weight=3, terms={"daesh": 1.0})
    assert score_topic("Daesh", "", profile).score == 3
    assert score_topic(None, "Daesh", profile).score == 1
