"""The pages' language, and the French catalog compiled on start so that no build step is needed.

Language: the signed-in user's profile language; before sign-in the visitor's choice (the ``lang``
cookie), else what the browser asks for (Accept-Language), else English.
To update the catalogs after changing a text, see ``gateway/gateway/translations/README.md``.
"""
from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, g, request
from flask_babel import Babel, get_locale, refresh

from portalkit.settings import var_dir

from . import visitor

log = logging.getLogger(__name__)
LANGUAGES = ("en", "fr")
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}
LANGUAGE_COOKIE = "lang"
TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"


def init_app(app: Flask) -> None:
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(compiled_catalogs())
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    Babel(app, locale_selector=select_language)


def select_language() -> str:
    """The language of this request's page (called once per request by Flask-Babel)."""
    chosen = g.get("page_language")  # a page that knows better, e.g. the language just chosen
    if chosen in LANGUAGES:
        return chosen
    user = visitor.current_user()
    if user is not None and user.language in LANGUAGES:
        return user.language
    cookie = request.cookies.get(LANGUAGE_COOKIE)
    if cookie in LANGUAGES:
        return cookie
    suggested = g.get("suggested_language")  # e.g. the language of the account being activated
    if suggested in LANGUAGES:
        return suggested
    return request.accept_languages.best_match(LANGUAGES, default="en")


def prefer(language: str | None, *, chosen: bool = False) -> None:
    """Let this page speak ``language``: as a suggestion (below the visitor's own choice) or as chosen."""
    setattr(g, "page_language" if chosen else "suggested_language", language)
    refresh()


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "en"


def compiled_catalogs(source: Path = TRANSLATIONS) -> Path:
    """Compile each ``messages.po`` whose ``.mo`` is missing or older; return the folder to read.

    The catalogs are compiled beside their source; where the package is read-only (an installed
    image), into ``var/translations`` instead.
    """
    try:
        _compile_into(source, source)
        return source
    except OSError as error:
        fallback = var_dir() / "translations"
        log.info("translations folder not writable (%s); compiling into %s", error, fallback)
        _compile_into(source, fallback)
        return fallback


def _compile_into(source: Path, target: Path) -> None:
    # Every .po of a language folder goes into its one messages.mo: the pages of each space keep
    # their own .po (messages.po, catalog.po…), so that work on two spaces never edits one file.
    for folder in sorted(source.glob("*/LC_MESSAGES")):
        sources = sorted(folder.glob("*.po"))
        if not sources:
            continue
        mo_path = target / folder.relative_to(source) / "messages.mo"
        newest = max(po.stat().st_mtime for po in sources)
        if mo_path.exists() and mo_path.stat().st_mtime >= newest:
            continue
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        catalog = merged_catalog(folder)
        # Several workers may start at once: each writes its own file and the last rename wins.
        fd, temporary = tempfile.mkstemp(dir=mo_path.parent, suffix=".mo.tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                write_mo(handle, catalog)
            os.replace(temporary, mo_path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def merged_catalog(folder: Path):
    """One catalog of every .po in a language's LC_MESSAGES folder."""
    merged = None
    for po_path in sorted(folder.glob("*.po")):
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=folder.parent.name)
        if merged is None:
            merged = catalog
            continue
        for message in catalog:
            # A blank or fuzzy entry (e.g. left by ``pybabel update`` in messages.po for a text another
            # .po translates) never hides a translation.
            if message.id and (message.string and not message.fuzzy or not merged.get(message.id)):
                merged[message.id] = message
    return merged
