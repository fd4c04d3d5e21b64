"""An archived page through the crawl's analysis: decode, pick URL and source, ``analyse_page``.

Runs in the ingest worker processes. The page becomes the same ``FetchedPage`` a crawled
page becomes in its worker and goes through ``pages.analyse.analyse_page``, the one analysis path,
so an archived page and a crawled one are stored alike. Only the article (or why there is
none) goes back to the parent, never the HTML. The pool's entry points and what they
return are in ``archives.worker``, which the parent imports without this module.
"""

from __future__ import annotations

from pydantic import ValidationError

from newsclaims.archives.records import ArchivedPage
from newsclaims.archives.sources import SourceMatcher
from newsclaims.archives.worker import Crashed, PageResult, Verdict
from newsclaims.pages.analyse import AnalysisOptions, analyse_page
from newsclaims.pages.decoding import decode_html
from newsclaims.pages.errors import ExtractionError, NotAnArticle, NotHTML
from newsclaims.pages.extraction import declared_url
from newsclaims.records import FetchedPage


def fetched_page(page: ArchivedPage, matcher: SourceMatcher) -> FetchedPage:
    """The page as the spider would have handed it on (raises NotHTML for a binary)."""
    html, encoding = decode_html(page.body, page.content_type)
    url = page.url or declared_url(html) or page.fallback_url
    if url is None:
        raise ExtractionError("no URL: the record has none and the page declares none")
    # fetched_at in the constructor, not assigned after: one validation instead of two.
    when = {} if page.fetched_at is None else {"fetched_at": page.fetched_at}
    return FetchedPage(
        url=url,
        requested_url=url,
        source=matcher.source_for(url),
        status=page.status,
        html=html,
        encoding=encoding,
        discovered_via="archive",
        **when,
    )


def analyse_archived(
    page: ArchivedPage, options: AnalysisOptions, matcher: SourceMatcher
) -> PageResult:
    """Never raises for a bad page: the verdict says what became of it."""
    url = page.url
    source = None
    try:
        fetched = fetched_page(page, matcher)
        url, source = str(fetched.url), fetched.source
        analysis = analyse_page(fetched, options)
    except NotHTML as exc:
        return PageResult("not_html", page.origin, url, source, reason=str(exc))
    except NotAnArticle as exc:
        return PageResult("not_article", page.origin, url, source, reason=str(exc))
    except ExtractionError as exc:
        return PageResult("error", page.origin, url, source, reason=f"extraction failed: {exc}")
    except ValidationError as exc:
        reason = f"not a usable page: {exc.errors()[0]['msg']}"
        return PageResult("error", page.origin, url, source, reason=reason)
    verdict: Verdict = "article" if analysis.on_topic else "off_topic"
    return PageResult(
        verdict,
        page.origin,
        url,
        source,
        article=analysis.article if analysis.on_topic else None,
        reason=None if analysis.on_topic else f"off topic (score {analysis.article.topic_score})",
        repeated_paragraphs=analysis.repeated_paragraphs,
    )


def analyse_pages(
    pages: list[ArchivedPage], options: AnalysisOptions, matcher: SourceMatcher
) -> list[PageResult | Crashed]:
    """Each page of one pool task on its own, in order: a page whose analysis raises costs
    only itself, as when every page was a task of its own."""
    results: list[PageResult | Crashed] = []
    for page in pages:
        try:
            results.append(analyse_archived(page, options, matcher))
        except Exception as exc:  # a bug in analysis: reported by the parent, go on
            results.append(Crashed(type(exc).__name__, str(exc)))
    return results
