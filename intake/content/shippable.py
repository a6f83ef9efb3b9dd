"""Official item wording of the questionnaires whose licence lets us ship it (reference.md §1.3).

Reproduced unchanged, with attribution, from the published forms:

- PHQ-9, GAD-7 and PHQ-4: "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues,
  with an educational grant from Pfizer Inc. No permission required to reproduce, translate, display or
  distribute." (reference §1.3 [PHQ]; check before release that PHQ-4 is covered by the same statement.)
- RMDQ: Roland MO, Morris RW. Spine 1983; 8: 141-144, as published in Roland & Fairbank, Spine 2000; 25: 3115-3124,
  where "no permission is required" for use in the published form (reference §1.3 [ROL00-STUDYLIB]).

The strings are marked for translation only so that a clinic can supply the OFFICIAL translation of each
screener; translators must not paraphrase them. Item order is the instrument's own (contract B.13).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

PHQ_ATTRIBUTION = _(
    "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, with an educational grant "
    "from Pfizer Inc. No permission required to reproduce, translate, display or distribute."
)
PHQ_OPTIONS = (
    (0, _("Not at all")),
    (1, _("Several days")),
    (2, _("More than half the days")),
    (3, _("Nearly every day")),
)

PHQ9 = {
    "title": _("PHQ-9"),
    "instructions": _("Over the last 2 weeks, how often have you been bothered by any of the following problems?"),
    "items": (
        _("Little interest or pleasure in doing things"),
        _("Feeling down, depressed, or hopeless"),
        _("Trouble falling or staying asleep, or sleeping too much"),
        _("Feeling tired or having little energy"),
        _("Poor appetite or overeating"),
        _("Feeling bad about yourself — or that you are a failure or have let yourself or your family down"),
        _("Trouble concentrating on things, such as reading the newspaper or watching television"),
        _("Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or "
          "restless that you have been moving around a lot more than usual"),
        _("Thoughts that you would be better off dead or of hurting yourself in some way"),
    ),
    "options": PHQ_OPTIONS,
    "attribution": PHQ_ATTRIBUTION,
}

GAD7 = {
    "title": _("GAD-7"),
    "instructions": _("Over the last 2 weeks, how often have you been bothered by the following problems?"),
    "items": (
        _("Feeling nervous, anxious or on edge"),
        _("Not being able to stop or control worrying"),
        _("Worrying too much about different things"),
        _("Trouble relaxing"),
        _("Being so restless that it is hard to sit still"),
        _("Becoming easily annoyed or irritable"),
        _("Feeling afraid as if something awful might happen"),
    ),
    "options": PHQ_OPTIONS,
    "attribution": PHQ_ATTRIBUTION,
}

# PHQ-4: items 1-2 are the GAD-2 (anxiety), items 3-4 the PHQ-2 (depression), as contract B.13 orders them.
PHQ4 = {
    "title": _("PHQ-4"),
    "instructions": _("Over the last 2 weeks, how often have you been bothered by the following problems?"),
    "items": (
        _("Feeling nervous, anxious or on edge"),
        _("Not being able to stop or control worrying"),
        _("Little interest or pleasure in doing things"),
        _("Feeling down, depressed, or hopeless"),
    ),
    "options": PHQ_OPTIONS,
    "attribution": PHQ_ATTRIBUTION,
}

RMDQ = {
    "title": _("Roland-Morris Disability Questionnaire"),
    "instructions": _(
        "When your back hurts, you may find it difficult to do some of the things you normally do. This list contains "
        "some sentences that people have used to describe themselves when they have back pain. When you read them, "
        "you may find that some stand out because they describe you today. As you read the list, think of yourself "
        "today. When you read a sentence that describes you today, put a tick against it. If the sentence does not "
        "describe you, then leave the space blank and go on to the next one. Remember, only tick the sentence if you "
        "are sure it describes you today."
    ),
    "items": (
        _("I stay at home most of the time because of my back."),
        _("I change position frequently to try and get my back comfortable."),
        _("I walk more slowly than usual because of my back."),
        _("Because of my back I am not doing any of the jobs that I usually do around the house."),
        _("Because of my back, I use a handrail to get upstairs."),
        _("Because of my back, I lie down to rest more often."),
        _("Because of my back, I have to hold on to something to get out of an easy chair."),
        _("Because of my back, I try to get other people to do things for me."),
        _("I get dressed more slowly than usual because of my back."),
        _("I only stand for short periods of time because of my back."),
        _("Because of my back, I try not to bend or kneel down."),
        _("I find it difficult to get out of a chair because of my back."),
        _("My back is painful almost all the time."),
        _("I find it difficult to turn over in bed because of my back."),
        _("My appetite is not very good because of my back pain."),
        _("I have trouble putting on my socks (or stockings) because of the pain in my back."),
        _("I only walk short distances because of my back."),
        _("I sleep less well because of my back."),
        _("Because of my back pain, I get dressed with help from someone else."),
        _("I sit down for most of the day because of my back."),
        _("I avoid heavy jobs around the house because of my back."),
        _("Because of my back pain, I am more irritable and bad tempered with people than usual."),
        _("Because of my back, I go upstairs more slowly than usual."),
        _("I stay in bed most of the time because of my back."),
    ),
    "attribution": _(
        "Roland-Morris Disability Questionnaire: Roland MO, Morris RW, Spine 1983; 8: 141-144. Reproduced in its "
        "published form (Roland & Fairbank, Spine 2000), for which no permission is required."
    ),
}

SHIPPED = {"phq9": PHQ9, "gad7": GAD7, "phq4": PHQ4, "rmdq": RMDQ}
