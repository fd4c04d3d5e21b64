from hypothesis import given
from hypothesis import strategies as st

from newsclaims.pages.paragraphs import drop_repeated_paragraphs
from newsclaims.records import Paragraph


def paragraphs(*texts: str) -> list[Paragraph]:
    return [Paragraph(position=i, text=t) for i, t in enumerate(texts)]


def test_exact_and_typographic_repeats_are_dropped_keeping_the_first():
    kept, dropped = drop_repeated_paragraphs(
        paragraphs(
            "“Our commitment will be measured,” Kerry said.",
            "Another paragraph.",
            '"Our commitment  will be MEASURED," Kerry said.',
        )
    )
    assert [p.text for p in kept] == [
        "“Our commitment will be measured,” Kerry said.",
        "Another paragraph.",
    ]
    assert [p.position for p in kept] == [0, 1]
    assert dropped == 1


def test_near_exact_repeat_is_dropped_but_a_rewrite_is_kept():
    base = "Washington wants to discuss political coordination among coalition members but otherwise officials have been vague about the aims of the meeting."
    near = base.replace("the meeting", "the meeting ") + " "
    rewrite = "Officials in Washington have said little about what the meeting of coalition members is meant to achieve."
    kept, dropped = drop_repeated_paragraphs(paragraphs(base, near, rewrite))
    assert dropped == 1
    assert [p.text for p in kept] == [base, rewrite]


@given(st.integers(0, 3000), st.lists(st.integers(0, 3000), max_size=40))
def test_the_length_bisection_is_the_plain_length_test(length, lengths):
    """The bisection that skips the candidate count answers as the scan of every length."""
    from newsclaims.pages.paragraphs import _MIN_LENGTH_RATIO, _has_compatible_length

    plain = any(min(length, m) >= max(length, m) * _MIN_LENGTH_RATIO for m in lengths)
    assert _has_compatible_length(length, sorted(lengths)) == plain
