"""Static accessibility checks of every patient page (the browser tests with axe come later, issue #4 note):
a lang attribute, a skip link to the main landmark, one h1, a label for every input, radio and check-box groups in
fieldsets with legends, and nothing a Content-Security-Policy would block (no inline script, style or handler)."""

from __future__ import annotations

from html.parser import HTMLParser

from django.urls import reverse

from intake import wizard as wz
from tests.web.conftest import example, walk


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inputs, self.labels, self.stack, self.problems = [], set(), [], []
        self.h1 = 0
        self.lang = None
        self.skip = False
        self.main = False
        self.legend_depth = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "a" and a.get("href") == "#main":
            self.skip = True
        if tag == "main" and a.get("id") == "main":
            self.main = True
        if tag == "h1":
            self.h1 += 1
        if tag == "script" and "src" not in a:
            self.problems.append("inline script")
        if "style" in a or tag == "style":
            self.problems.append(f"inline style on {tag}")
        for name in a:
            if name.startswith("on"):
                self.problems.append(f"inline handler {name}")
        if tag == "label" and a.get("for"):
            self.labels.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
            in_fieldset = "fieldset" in self.stack
            self.inputs.append((a.get("id"), a.get("type"), in_fieldset))
        if tag not in ("input", "meta", "link", "br", "img"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass


def check(html: str) -> None:
    page = Page()
    page.feed(html)
    assert page.lang == "en"
    assert page.skip and page.main
    assert page.h1 == 1
    assert page.problems == []
    for input_id, input_type, in_fieldset in page.inputs:
        assert input_id and input_id in page.labels, input_id
        if input_type == "radio":
            assert in_fieldset, input_id


def test_every_step_review_and_result_page_passes_the_static_checks(patient):
    answers = example("V11")
    walk(patient, answers)
    names = wz.question_index({})
    flat = patient.invitation.draft.__class__.objects.get(invitation=patient.invitation).answers
    for step in wz.assemble(flat, names, {})[1]:
        response = patient.get(reverse("intake:step", args=[step.slug]))
        assert response.status_code == 200
        check(response.content.decode())
    check(patient.get(reverse("intake:review")).content.decode())
    patient.post(reverse("intake:submit"), {"privacy": "yes"})
    check(patient.get(reverse("intake:result")).content.decode())


def test_error_pages_pass_the_static_checks(client, db):
    check(client.get(reverse("intake:start", args=["nope"])).content.decode())
    check(client.get(reverse("intake:step", args=["about"])).content.decode())
