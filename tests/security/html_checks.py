"""Parses a page and lists what a strict Content Security Policy would block: inline scripts, inline event
handlers (on*="..."), and javascript: URLs."""

from __future__ import annotations

from html.parser import HTMLParser

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href"}


class _InlineScriptFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script":
            self.scripts += 1
            if not names.get("src"):
                self.problems.append(f"<script> without src (line {self.getpos()[0]})")
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.problems.append(f"<{tag} {name}=...> inline event handler (line {self.getpos()[0]})")
            if name.lower() in URL_ATTRIBUTES and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value!r}> javascript: URL (line {self.getpos()[0]})")

    handle_startendtag = handle_starttag


def inline_script_problems(html: str) -> list[str]:
    finder = _InlineScriptFinder()
    finder.feed(html)
    finder.close()
    return finder.problems


def test_it_finds_each_kind_of_inline_script():
    page = ('<script>alert(1)</script><script src="/static/x.js"></script><a href="javascript:void(0)">x</a>'
            '<button onclick="go()">y</button><img src=x onerror="z()">')
    problems = inline_script_problems(page)
    assert len(problems) == 4, problems
