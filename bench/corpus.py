"""A realistic invented news corpus, and a local web serving it with feeds and sitemaps.

``generate(root, pages)`` writes ``pages`` article pages of 30-150 KB over eight invented
outlets (``*.bench.test``), in the fixture web's layout (``root/HOST/PATH``), so
``newsclaims.fixtureweb.server.FixtureServer`` serves it as a loopback proxy. Each outlet
has a front page, section pages, an RSS feed of its latest stories and a news sitemap of
all of them, plus ``sources.toml`` for the crawl.

The articles are written from templates and word lists made up here (no text from any
evaluation set): 8-30 paragraphs, direct and partial quotes with cue verbs and named,
role-described and pronoun speakers; statements recur across outlets (claims) with small
wording changes; one story in twenty is a wire copy carried by a second outlet; one in five
is off topic. Around the text: navigation, related links, comments, a cookie banner,
JSON-LD, inline scripts and styles, as news sites have, so trafilatura has real work.

Run: python bench/corpus.py DIR [PAGES]   (writes the corpus; default 2000 pages)
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTLETS = (
    ("northpost", "The North Post"),
    ("harbourtimes", "Harbour Times"),
    ("dailyledger", "The Daily Ledger"),
    ("meridian", "Meridian News"),
    ("eastwire", "East Wire"),
    ("capitalherald", "Capital Herald"),
    ("globalcourier", "Global Courier"),
    ("riverview", "Riverview Gazette"),
)
FIRST = [
    "Anna",
    "Marek",
    "Lena",
    "Tomas",
    "Ilse",
    "Omar",
    "Farid",
    "Sofia",
    "Jonas",
    "Mira",
    "Pavel",
    "Nadia",
    "Karim",
    "Elin",
    "Dario",
    "Hana",
    "Viktor",
    "Leila",
    "Aron",
    "Talia",
]
LAST = [
    "Lindqvist",
    "Haddow",
    "Brennan",
    "Okafor",
    "Varga",
    "Moreau",
    "Castell",
    "Nyberg",
    "Rahimi",
    "Dunmore",
    "Petrov",
    "Alvarado",
    "Kessler",
    "Marin",
    "Thorne",
    "Sayegh",
    "Ferreira",
    "Holm",
    "Quist",
    "Barros",
]
ROLES = (
    "defence minister",
    "foreign minister",
    "coalition spokesman",
    "military spokeswoman",
    "regional governor",
    "army colonel",
    "senior commander",
    "UN envoy",
    "aid agency director",
    "opposition leader",
)
ORGS = ("the defence ministry", "the coalition command", "the interior ministry", "the UN mission")
PLACES = [
    "Valdora",
    "Kessin",
    "Marrow",
    "Tallis",
    "Ostrava-on-Sea",
    "Brenmoor",
    "Aldcastle",
    "Ferring",
    "Norwick",
    "Castlemere",
    "Redhollow",
    "Varn",
]
CUES = (
    "said",
    "told reporters",
    "added",
    "warned",
    "insisted",
    "stressed",
    "said on Tuesday",
    "told the newspaper",
)
TOPIC_NOUNS = (
    "air strikes",
    "the coalition",
    "the bombing campaign",
    "coalition warplanes",
    "the air campaign",
    "drone strikes",
    "the militants",
    "Islamic State fighters",
)
OFF_NOUNS = (
    "the harvest",
    "the league",
    "the budget",
    "the festival",
    "the railway",
    "the exhibition",
    "the election count",
    "the trade fair",
)
VERBS = ("hit", "targeted", "struck", "pounded", "damaged", "destroyed", "disrupted", "pushed back")
OBJECTS = (
    "supply lines",
    "oil facilities",
    "command posts",
    "weapons depots",
    "checkpoints",
    "training camps",
    "convoys",
    "bridges",
)
TIMES = (
    "overnight",
    "on Monday",
    "late on Sunday",
    "early on Wednesday",
    "for a third day",
    "this week",
    "since the weekend",
)
OFF_VERBS = (
    "opened",
    "delayed",
    "expanded",
    "reviewed",
    "celebrated",
    "cancelled",
    "approved",
    "postponed",
)
FILLER = (
    "Residents described a tense night as {noun} continued near {place}.",
    "Officials in {place} said the situation remained fluid and casualty figures could not be confirmed.",
    "The latest round of {noun} came after weeks of fighting around {place} and {place2}.",
    "Analysts said the pressure on {place} was likely to increase in the coming days.",
    "Monitoring groups reported that {noun} {verb} {obj} {time}, according to people in {place}.",
    "A statement issued in {place} gave few details but said operations would go on.",
    "Aid workers warned that families fleeing {place} needed shelter, food and medicine before winter.",
    "Local journalists said roads between {place} and {place2} had been closed to civilian traffic.",
    "The figures could not be independently verified, and both sides have disputed earlier reports.",
    "Diplomats meeting in {place2} were expected to discuss the next phase of {noun}.",
)
OFF_FILLER = (
    "Organisers in {place} said {off} drew larger crowds than last year.",
    "The council in {place} {offverb} the plan after a long meeting on Thursday evening.",
    "Traders said prices in {place} had risen steadily since the spring.",
    "Visitors to {place2} queued for hours, and some left before the end.",
    "The committee will publish its findings on {off} early next month.",
)
STATEMENTS = (
    "We will keep up the pressure until {obj} around {place} no longer work",
    "The strikes have badly weakened their ability to move fighters and weapons",
    "Nobody should think that this campaign will be over in weeks",
    "Our aim is to protect civilians and to give ground forces room to advance",
    "Every target is checked and checked again before our pilots are cleared",
    "We have seen their commanders leave {place} in a hurry",
    "This is a long fight and we are ready for it",
    "The coalition is united, whatever our critics say",
    "We need more aid to reach {place} before the roads close",
    "The people of {place} have suffered enough from this war",
)
OFF_STATEMENTS = (
    "This has been our best season in a decade",
    "We expect the new line to open before the summer",
    "People want something to celebrate after a difficult year",
)


@dataclass(frozen=True)
class Story:
    outlet: int
    number: int
    on_topic: bool
    path: str
    title: str
    paragraphs: list[str]
    published: datetime


def _person(rng: random.Random) -> tuple[str, str]:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}", rng.choice(ROLES)


def _fill(template: str, rng: random.Random) -> str:
    return template.format(
        noun=rng.choice(TOPIC_NOUNS),
        place=rng.choice(PLACES),
        place2=rng.choice(PLACES),
        verb=rng.choice(VERBS),
        obj=rng.choice(OBJECTS),
        time=rng.choice(TIMES),
        off=rng.choice(OFF_NOUNS),
        offverb=rng.choice(OFF_VERBS),
    )


def _quote_paragraph(rng: random.Random, speakers: list[tuple[str, str]], on_topic: bool) -> str:
    name, role = rng.choice(speakers)
    statement = _fill(rng.choice(STATEMENTS if on_topic else OFF_STATEMENTS), rng)
    if rng.random() < 0.2:  # a small wording change between outlets
        statement = statement.replace("will", "are going to", 1)
    shape = rng.randrange(5)
    if shape == 0:
        return f"\u201c{statement},\u201d {name}, the {role}, {rng.choice(CUES)}."
    if shape == 1:
        return f"{name}, the {role}, said: \u201c{statement}.\u201d"
    if shape == 2:
        return f"\u201c{statement},\u201d the {role} {rng.choice(CUES)}. \u201cWe have been clear about that from the start.\u201d"
    if shape == 3:
        words = statement.split()
        cut = max(3, len(words) // 2)
        return f"{name} described the operation as \u201c{' '.join(words[:cut])}\u201d and said more details would follow."
    return f"\u201c{statement},\u201d {rng.choice(ORGS)} said in a statement."


def _paragraph(rng: random.Random, on_topic: bool) -> str:
    templates = FILLER if on_topic else OFF_FILLER
    return " ".join(_fill(rng.choice(templates), rng) for _ in range(rng.randint(2, 5)))


def _story(rng: random.Random, outlet: int, number: int, start: datetime) -> Story:
    on_topic = rng.random() >= 0.2
    speakers = [_person(rng) for _ in range(rng.randint(1, 4))]
    if on_topic:
        title = (
            f"{rng.choice(['Coalition', 'Allied', 'US-led'])} air strikes "
            f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} near {rng.choice(PLACES)}"
        )
    else:
        title = f"{rng.choice(PLACES)} {rng.choice(OFF_VERBS)} {rng.choice(OFF_NOUNS).removeprefix('the ')}"
    paragraphs = [
        _fill(rng.choice(FILLER if on_topic else OFF_FILLER), rng)
        + " "
        + _fill(rng.choice(FILLER if on_topic else OFF_FILLER), rng)
    ]
    for _ in range(rng.randint(8, 30)):
        paragraphs.append(
            _quote_paragraph(rng, speakers, on_topic)
            if rng.random() < 0.35
            else _paragraph(rng, on_topic)
        )
    published = start + timedelta(minutes=17 * number + rng.randrange(15))
    slug = "-".join(title.lower().split()[:8])
    path = f"/world/{published:%Y/%m/%d}/{slug}-{number}.html"
    return Story(outlet, number, on_topic, path, title, paragraphs, published)


# -- furniture ---------------------------------------------------------------------------------


def _links(rng: random.Random, host: str, count: int, css: str) -> str:
    items = "".join(
        f'<li class="{css}-item"><a href="http://{host}/section/{rng.choice(PLACES).lower()}/{rng.randrange(10**6)}">'
        f"{escape(rng.choice(PLACES))} {escape(rng.choice(OFF_NOUNS + TOPIC_NOUNS))}</a></li>"
        for _ in range(count)
    )
    return f'<ul class="{css}">{items}</ul>'


def _script(rng: random.Random, size: int) -> str:
    words = (
        "function",
        "var",
        "return",
        "window",
        "document",
        "push",
        "config",
        "track",
        "ad",
        "slot",
    )
    body = []
    total = 0
    while total < size:
        chunk = f"{rng.choice(words)}_{rng.randrange(10**6)}({rng.randrange(999)},'{rng.choice(words)}');"
        body.append(chunk)
        total += len(chunk)
    return "<script>" + "".join(body) + "</script>"


def _style(rng: random.Random, size: int) -> str:
    rules = []
    total = 0
    while total < size:
        rule = f".c{rng.randrange(10**5)}{{margin:{rng.randrange(40)}px;color:#{rng.randrange(16**6):06x}}}"
        rules.append(rule)
        total += len(rule)
    return "<style>" + "".join(rules) + "</style>"


def render(story: Story, host: str, display: str, rng: random.Random, target: int) -> str:
    url = f"http://{host}{story.path}"
    author = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": story.title,
            "datePublished": story.published.isoformat(),
            "author": {"@type": "Person", "name": author},
            "publisher": {"@type": "Organization", "name": display},
        }
    )
    body = "".join(f"<p>{escape(p, quote=False)}</p>" for p in story.paragraphs)
    related = _links(rng, host, rng.randint(6, 20), "related")
    comments = "".join(
        f'<div class="comment"><span class="who">{rng.choice(FIRST)}</span><p>{escape(_paragraph(rng, False))}</p></div>'
        for _ in range(rng.randint(0, 6))
    )
    page = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(story.title)} | {escape(display)}</title>'
        f'<link rel="canonical" href="{url}"><meta property="og:url" content="{url}">'
        f'<meta property="og:title" content="{escape(story.title)}">'
        f'<meta property="article:published_time" content="{story.published.isoformat()}">'
        f'<meta name="author" content="{author}">'
        f'<script type="application/ld+json">{ld}</script>'
        "{STYLE}{HEADSCRIPT}</head><body>"
        f'<div class="cookie-banner">We use cookies to improve your experience. <a href="/privacy">Privacy</a></div>'
        f'<header><a class="logo" href="http://{host}/">{escape(display)}</a><nav>{_links(rng, host, rng.randint(30, 120), "nav")}</nav></header>'
        f'<main><article><h1>{escape(story.title)}</h1><div class="byline">By {author}</div>'
        f'<time datetime="{story.published.isoformat()}">{story.published:%d %B %Y}</time>'
        f'<div class="article-body">{body}</div></article>'
        f'<aside><h2>Related</h2>{related}</aside><section class="comments"><h2>Comments</h2>{comments}</section></main>'
        f"<footer>{_links(rng, host, rng.randint(20, 60), 'footer')}<p>&copy; {escape(display)}</p></footer>"
        "{BODYSCRIPT}</body></html>"
    )
    room = max(0, target - len(page))
    style = _style(rng, room // 5)
    head_script = _script(rng, room * 2 // 5)
    body_script = _script(rng, room - room // 5 - room * 2 // 5)
    return (
        page.replace("{STYLE}", style)
        .replace("{HEADSCRIPT}", head_script)
        .replace("{BODYSCRIPT}", body_script)
    )


def _index(host: str, display: str, stories: list[Story]) -> str:
    links = "".join(
        f'<li><a href="http://{host}{s.path}">{escape(s.title)}</a></li>' for s in stories
    )
    return f'<!DOCTYPE html><html><head><title>{escape(display)}</title><meta property="og:type" content="website"></head><body><h1>{escape(display)}</h1><ul>{links}</ul></body></html>'


def _rss(host: str, display: str, stories: list[Story]) -> str:
    items = "".join(
        f"<item><title>{escape(s.title)}</title><link>http://{host}{s.path}</link>"
        f"<pubDate>{s.published:%a, %d %b %Y %H:%M:%S +0000}</pubDate></item>"
        for s in stories
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{escape(display)}</title><link>http://{host}/</link>{items}</channel></rss>'


def _sitemap(host: str, stories: list[Story]) -> str:
    urls = "".join(
        f"<url><loc>http://{host}{s.path}</loc><news:news><news:publication><news:name>{host}</news:name>"
        f"<news:language>en</news:language></news:publication><news:publication_date>{s.published.isoformat()}</news:publication_date>"
        f"<news:title>{escape(s.title)}</news:title></news:news></url>"
        for s in stories
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>'
    )


def hosts() -> list[tuple[str, str, str]]:
    return [(name, display, f"www.{name}.bench.test") for name, display in OUTLETS]


def generate(root: Path, pages: int, seed: int = 12) -> list[tuple[str, Path]]:
    """Write the corpus; returns (URL, file) of every article page, in a stable order."""
    rng = random.Random(seed)
    # Stories run 17 minutes apart from here: 200,000 pages end in mid-2026. A page dated
    # after the day it is read is what no archive holds, and htmldate, finding only a
    # date in the future, searches the whole page for another: 20x its cost per page.
    start = datetime(2020, 1, 1, tzinfo=UTC)
    outlets = hosts()
    stories: list[list[Story]] = [[] for _ in outlets]
    articles: list[tuple[str, Path]] = []
    for number in range(pages):
        outlet = number % len(outlets)
        _name, display, host = outlets[outlet]
        if number > 20 and rng.random() < 0.05:  # a wire copy: another outlet's story again
            original = rng.choice(stories[(outlet + 1) % len(outlets)])
            story = Story(outlet, number, original.on_topic, original.path.replace(".html", f"-copy-{number}.html"),
                          original.title, list(original.paragraphs), original.published)  # fmt: skip
        else:
            story = _story(rng, outlet, number, start)
        stories[outlet].append(story)
        file = root / host / story.path.lstrip("/")
        file.parent.mkdir(parents=True, exist_ok=True)
        target = int(rng.triangular(30_000, 150_000, 60_000))
        file.write_text(render(story, host, display, rng, target), encoding="utf-8")
        articles.append((f"http://{host}{story.path}", file))
    write_outlet_pages(root, outlets, stories)
    (root / "sources.toml").write_text(sources_toml(), encoding="utf-8")
    (root / "articles.json").write_text(
        json.dumps([[u, str(f)] for u, f in articles]), encoding="utf-8"
    )
    return articles


def write_outlet_pages(
    root: Path, outlets: list[tuple[str, str, str]], stories: list[list[Story]]
) -> None:
    """Each outlet's front page, feed, news sitemap and robots.txt, from its stories."""
    for (_name, display, host), own in zip(outlets, stories, strict=True):
        (root / host).mkdir(parents=True, exist_ok=True)
        latest = sorted(own, key=lambda s: s.published, reverse=True)
        (root / host / "index.html").write_text(
            _index(host, display, latest[:60]), encoding="utf-8"
        )
        (root / host / "rss.xml").write_text(_rss(host, display, latest[:50]), encoding="utf-8")
        (root / host / "sitemap-news.xml").write_text(_sitemap(host, own), encoding="utf-8")
        (root / host / "robots.txt").write_text("User-agent: *\nAllow: /\n", encoding="utf-8")


def sources_toml(allow: str = r"/world/\d{4}/") -> str:
    """The fixture web's topic and crawl settings, with the bench outlets as sources
    (``allow``: the URL pattern of their articles)."""
    fixture = (ROOT / "fixtures" / "sources.toml").read_text(encoding="utf-8")
    head = fixture.split("[[sources]]", 1)[0]
    entries = [
        f'[[sources]]\nname = "{name}"\ndisplay_name = "{display}"\ndomains = ["{host}"]\n'
        f'feeds = ["http://{host}/rss.xml"]\nsitemaps = ["http://{host}/sitemap-news.xml"]\n'
        f"start_pages = [\"http://{host}/\"]\nallow = ['{allow}']\n"
        for name, display, host in hosts()
    ]
    return head + "\n".join(entries)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Write the invented bench corpus.")
    parser.add_argument("dir", type=Path, help="where to write it (its own folder)")
    parser.add_argument("pages", type=int, nargs="?", default=2000, help="article pages")
    args = parser.parse_args()
    written = generate(args.dir, args.pages)
    sizes = [f.stat().st_size for _, f in written]
    print(
        f"{len(written)} pages, {min(sizes) // 1000}-{max(sizes) // 1000} KB, mean {sum(sizes) // len(sizes) // 1000} KB, in {args.dir}"
    )
