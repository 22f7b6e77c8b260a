"""Articles' Markdown: rendered, and sanitised so that nothing hostile reaches a reader."""
import pytest

from portalkit import markdown

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click]( javascript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "![x](javascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=//evil.example></iframe>",
    "<svg onload=alert(1)>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<style>body{display:none}</style>",
    "[x](https://ok.example \"t\" onmouseover=alert(1))",
    "<<script>script>alert(1)<</script>/script>",
    "```html\n<script>alert(1)</script>\n```",
    "<details open ontoggle=alert(1)>",
    "[a]: javascript:alert(1)\n\n[a]",
]


@pytest.mark.parametrize("body", HOSTILE)
def test_nothing_hostile_reaches_a_reader(body):
    tags = _tags(markdown.to_safe_html(body).lower())  # what a browser acts on (text shown as text is fine)
    for name in ("<script", "<iframe", "<svg", "<style", "<details", "<div"):
        assert name not in tags
    for danger in ("javascript", "vbscript", "data:", "onerror", "onload", "onmouseover", "ontoggle", "style="):
        assert danger not in tags


def _tags(html: str) -> str:
    """The tags of ``html`` (what a browser would act on), without the text between them."""
    import re
    return " ".join(re.findall(r"<[a-z][^>]*>", html))


def test_markdown_is_rendered():
    html = markdown.to_safe_html("# Title\n\n**bold** and [a link](https://example.com)\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<h1>Title</h1>" in html and "<strong>bold</strong>" in html and "<table>" in html
    assert '<a href="https://example.com" rel="noopener noreferrer nofollow">a link</a>' in html


def test_plain_text_keeps_the_words_and_not_the_markup():
    assert markdown.to_plain_text("# Titre\n\nUn **mot** et <b>un autre</b>.\n\nFin") == \
        "Titre Un mot et <b>un autre</b>. Fin"
