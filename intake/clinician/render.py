"""The worklist's rows, written in Python (issue #7).

The worklist is the heaviest page clinicians load: 25 rows of eight cells, each cell a few template variables,
filters and translations, made about half the page's CPU time in Django's template engine. `worklist_row` writes
the markup `_worklist_results.html` wrote, cell for cell (ids `worklist-row-<kind>-<pk>` and `worklist-link-...`
that the tests and the keyboard users' skip links rely on, a `<th scope="row">` per patient, a `<time>` element with
the ISO date), and every text goes through format_html, which escapes anything not already marked safe, as the
template's autoescaping did. Dates are shown in the clinic's time zone (the active one), as the `date` filter did.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

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


def _acknowledgement(row: WorklistRow) -> str:
    if row.triage_failed:
        return gettext("Manual review needed")
    if row.unacknowledged:
        return gettext("No: %(ids)s") % {"ids": ", ".join(row.unacknowledged_flag_ids)}
    if row.flag_ids:
        return gettext("Yes")
    return gettext("Nothing to acknowledge")


def worklist_row(row: WorklistRow) -> SafeString:
    """One `<tr>` of the worklist table."""
    submitted = timezone.localtime(row.submitted_at) if timezone.is_aware(row.submitted_at) else row.submitted_at
    return format_html(
        _ROW,
        kind=row.kind,
        pk=row.pk,
        row_class="unacknowledged" if row.unacknowledged else "",
        tier_class=row.tier_class,
        tier_label=row.tier_label,
        url=row.url,
        name=row.patient_name,
        born=row.date_of_birth.isoformat() if row.date_of_birth else "—",
        iso=submitted.isoformat(),
        submitted=submitted.strftime("%Y-%m-%d %H:%M"),
        flags=gettext("not evaluated") if row.triage_failed else ", ".join(row.flag_ids) or "—",
        ack=_acknowledgement(row),
        reviewed=format_html("<br>{}", gettext("Reviewed")) if row.reviewed else "",
        clinician=row.clinician_name or "—",
        kind_label=row.kind_label,
    )
