"""portalkit.markdown: operators' Markdown becomes HTML no script can come through."""
import pytest

from portalkit.markdown import to_plain_text, to_safe_html


def test_markdown_becomes_html():
    html = to_safe_html("# Title\n\nSome **bold** and a [link](https://example.com).\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<h1>Title</h1>" in html and "<strong>bold</strong>" in html
    assert '<a href="https://example.com" rel="noopener noreferrer nofollow">link</a>' in html
    assert "<table>" in html and "<td>1</td>" in html


@pytest.mark.parametrize("source", [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "![x](javascript:alert(1))",
    "<a href='javascript:alert(1)'>x</a>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
])
def test_no_script_gets_through(source):
    html = to_safe_html(source)
    assert "<script" not in html and "<img src=\"x\"" not in html and 'href="javascript' not in html
    assert "onerror=" not in html.replace("onerror=alert(1)&gt;", "") and 'href="data:' not in html


def test_plain_text_and_excerpts():
    assert to_safe_html(None) == "" and to_plain_text("") == ""
    assert to_plain_text("**Deux** mots &amp; <b>plus</b>") == "Deux mots & <b>plus</b>"
    assert to_plain_text("one two three four five", limit=12) == "one two…"
