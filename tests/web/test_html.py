"""clinic/html.py writes exactly what django.utils.html writes, for every kind of value a page passes it."""

from __future__ import annotations

from django.utils import html as django_html
from django.utils.functional import lazy
from django.utils.safestring import SafeString, mark_safe
from hypothesis import given
from hypothesis import strategies as st

from clinic import html

lazy_str = lazy(lambda s: s, str)


class Markup:
    """A third-party object with __html__ (as markupsafe's), trusted by both."""

    def __init__(self, text):
        self.text = text

    def __html__(self):
        return self.text

    def __str__(self):
        return f"<not {self.text}>"


texts = st.text(alphabet=st.sampled_from(list("<>&\"'` =a1é—\n")) | st.characters(), max_size=12)
values = st.one_of(
    texts,
    texts.map(mark_safe),
    texts.map(lazy_str),
    texts.map(Markup),
    st.integers(),
    st.none(),
    st.booleans(),
    st.floats(allow_nan=False),
)


@given(st.lists(values, min_size=1, max_size=5))
def test_format_html_escapes_as_django_does(args):
    template = "<p title=\"{}\">" + "{}" * (len(args) - 1) + "</p>"
    ours, theirs = html.format_html(template, *args), django_html.format_html(template, *args)
    assert ours == theirs
    assert isinstance(ours, SafeString)


@given(st.dictionaries(st.sampled_from(["a", "b", "c"]), values, min_size=1))
def test_format_html_takes_keywords_as_django_does(kwargs):
    template = "".join(f"<i>{{{k}}}</i>" for k in kwargs)
    assert html.format_html(template, **kwargs) == django_html.format_html(template, **kwargs)


@given(st.lists(st.tuples(values, values), max_size=6), st.sampled_from(["", "\n", "<br>", mark_safe("<br>")]))
def test_format_html_join_joins_as_django_does(rows, sep):
    ours = html.format_html_join(sep, '<option value="{}">{}</option>', rows)
    assert ours == django_html.format_html_join(sep, '<option value="{}">{}</option>', rows)
    assert isinstance(ours, SafeString)


def test_it_escapes_what_is_not_marked_safe_and_trusts_what_is():
    assert html.format_html("{}{}", "<b>", mark_safe("<i>")) == "&lt;b&gt;<i>"
    assert html.conditional_escape(lazy_str("'&'")) == "&#x27;&amp;&#x27;"
