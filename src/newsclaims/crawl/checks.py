"""A run's checks (the sources file's ``[checks]``): which bounds its figures crossed.

The store pipeline passes the counters and the date coverage it read, and gets
back one line per failed check, named as in the sources file.
"""

from __future__ import annotations

from collections.abc import Mapping

from newsclaims.config.sources import Checks


def failed_checks(
    checks: Checks, counts: Mapping[str, int], dated: int, new_articles: int
) -> list[str]:
    failures = []
    items = counts.get("stored", 0) + counts.get("updated", 0)
    if checks.min_items is not None and items < checks.min_items:
        failures.append(
            f"min_items: {items} articles stored or updated, expected {checks.min_items}"
        )
    if checks.max_error_rate is not None:
        errors, fetched = counts.get("errors", 0), counts.get("fetched", 0)
        rate = errors / (fetched + errors) if fetched + errors else 0.0
        if rate > checks.max_error_rate:
            failures.append(
                f"max_error_rate: {rate:.0%} of pages failed ({errors} of {fetched + errors}), "
                f"allowed {checks.max_error_rate:.0%}"
            )
    if checks.min_date_coverage is not None and new_articles:
        coverage = dated / new_articles
        if coverage < checks.min_date_coverage:
            failures.append(
                f"min_date_coverage: {coverage:.0%} of {new_articles} new articles have a date, "
                f"expected {checks.min_date_coverage:.0%}"
            )
    return failures
