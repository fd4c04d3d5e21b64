from pathlib import Path

import pytest

from newsclaims.config.sources import SourcesError, load_sources

from .conftest import FIXTURE_SOURCES, run_cli

GOOD = """
[[sources]]
name = "voa"
domains = ["www.voanews.test"]
feeds = ["http://www.voanews.test/api/atom.atom"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text)
    return path


def test_fixture_sources_file_is_valid():
    config = load_sources(FIXTURE_SOURCES)
    assert len(config.sources) >= 5
    assert config.topic.threshold > 0


def test_defaults_fill_in_topic_and_crawl(tmp_path):
    config = load_sources(write(tmp_path, GOOD))
    assert "isis" in config.topic.terms
    assert config.crawl.depth >= 1


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        ('colour = "red"\n', "key 'colour'"),
        ('sitemaps = ["not a url"]\n', "key 'sitemaps.0'"),
        ('allow = ["(unclosed"]\n', "key 'allow.0'"),
    ],
)
def test_bad_source_is_refused_naming_file_source_and_key(tmp_path, snippet, expected):
    path = write(tmp_path, GOOD.replace('name = "voa"\n', f'name = "voa"\n{snippet}'))
    with pytest.raises(SourcesError) as error:
        load_sources(path)
    message = str(error.value)
    assert str(path) in message
    assert 'source "voa"' in message
    assert expected in message


def test_unknown_top_level_key_is_refused(tmp_path):
    with pytest.raises(SourcesError, match="key 'crawler'"):
        load_sources(write(tmp_path, GOOD + "\n[crawler]\ndepth = 2\n"))


def test_cli_exits_2_on_a_bad_sources_file(tmp_path):
    path = write(tmp_path, GOOD.replace('name = "voa"\n', 'name = "voa"\nallow = ["(x"]\n'))
    result = run_cli("crawl", "--sources", str(path), "--db", f"sqlite:///{tmp_path}/x.db")
    assert result.returncode == 2
    assert 'source "voa"' in result.stderr and "allow.0" in result.stderr
    assert not (tmp_path / "x.db").exists()


def test_cli_exits_2_on_a_missing_sources_file(tmp_path):
    result = run_cli("crawl", "--sources", str(tmp_path / "nope.toml"))
    assert result.returncode == 2
    assert "not found" in result.stderr


def test_example_sources_file_for_real_use_is_valid():
    config = load_sources(FIXTURE_SOURCES.parents[1] / "sources.example.toml")
    assert all(str(url).startswith("https://") for s in config.sources for url in s.feeds)
