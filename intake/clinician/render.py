"""The worklist's rows, written in Python (issue #7).

The worklist is the heaviest page clinicians load: 25 rows of eight cells, each cell a few template variables,
filters and translations, made about half the page's CPU time in Django's template engine. `worklist_rows` writes
the markup `_worklist_results.html` wrote, cell for cell (ids `worklist-row-<kind>-<pk>` and `worklist-link-...`
that the tests and the keyboard users' skip links rely on, a `<th scope="row">` per patient, a `<time>` element with
the ISO date), and every text goes through format_html, which escapes anything not already marked safe, as the
template's autoescaping did. Dates are shown in the clinic's time zone (the active one), as the `date` filter did.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from clinic.html import format_html
from intake.clinician.selectors.worklist import WorklistRow

_ROW = (
    '\n      <tr id="worklist-row-{kind}-{pk}" class="{row_class}">\n'
    '        <td><span class="tier tier-{tier_class}">{tier_label}</span></td>\n'
    '        <th scope="row"><a href="{url}" id="worklist-link-{kind}-{pk}">{name}</a></th>\n'
    "        <td>{born}</td>\n"
    '        <td><time datetime="{iso}">{submitted}</time></td>\n'
    '        <td class="flag-ids">{flags}</td>\n'
    '        <td class="ack-state">{ack}{reviewed}</td>\n'
    "        <td>{clinician}</td>\n"
    "        <td>{kind_label}</td>\n"
    "      </tr>\n      "
)


def worklist_rows(rows: list[WorklistRow]) -> SafeString:
    """The `<tr>`s of the worklist table. Fixed texts are translated once per page, not once per row."""
    words = {
        "manual": gettext("Manual review needed"),
        "pending": gettext("No: %(ids)s"),
        "yes": gettext("Yes"),
        "nothing": gettext("Nothing to acknowledge"),
        "not_evaluated": gettext("not evaluated"),
        "reviewed": format_html("<br>{}", gettext("Reviewed")),
    }
    tiers: dict[tuple[str, bool], str] = {}
    html = []
    for row in rows:
        key = (row.tier, row.triage_failed)
        if key not in tiers:
            tiers[key] = str(row.tier_label)
        html.append(_row(row, words, tiers[key]))
    return SafeString("".join(html))


def _acknowledgement(row: WorklistRow, words: dict) -> str:
    if row.triage_failed:
        return words["manual"]
    if row.unacknowledged:
        return words["pending"] % {"ids": ", ".join(row.unacknowledged_flag_ids)}
    if row.flag_ids:
        return words["yes"]
    return words["nothing"]


def _row(row: WorklistRow, words: dict, tier_label: str) -> SafeString:
    submitted = timezone.localtime(row.submitted_at) if timezone.is_aware(row.submitted_at) else row.submitted_at
    return format_html(
        _ROW,
        kind=row.kind,
        pk=row.pk,
        row_class="unacknowledged" if row.unacknowledged else "",
        tier_class=row.tier_class,
        tier_label=tier_label,
        url=row.url,
        name=row.patient_name,
        born=row.date_of_birth.isoformat() if row.date_of_birth else "—",
        iso=submitted.isoformat(),
        submitted=submitted.strftime("%Y-%m-%d %H:%M"),
        flags=words["not_evaluated"] if row.triage_failed else ", ".join(row.flag_ids) or "—",
        ack=_acknowledgement(row, words),
        reviewed=words["reviewed"] if row.reviewed else "",
        clinician=row.clinician_name or "—",
        kind_label=row.kind_label,
    )
