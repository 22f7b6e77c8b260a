"""What every space's pages share: the frame, the visitor, the language, CSRF, calls, the pager, errors.

A space's page module makes its blueprint with ``space_blueprint`` (its templates, its forms
checked); ``gateway.web`` registers the frame first, then the spaces, then the error pages.
Nothing here imports a space.
"""
from __future__ import annotations

from flask import Blueprint, Flask

from . import csrf, errors, frame, i18n


def space_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint of a space's pages: it reads the space's ``templates`` folder, its forms are CSRF-checked.

    ``import_name`` is the page module's ``__name__``; its folder is the space's package, whose
    templates sit in ``templates/<space>/`` so that two spaces never shadow each other's.
    """
    blueprint = Blueprint(name, import_name, template_folder="templates")
    csrf.protect(blueprint)
    return blueprint


def register_frame(app: Flask) -> None:
    """The language, the frame (header, safe headers, /assets) and CSRF of every page."""
    i18n.init_app(app)
    frame.init_app(app)
    app.register_blueprint(frame.bp)


def register_error_pages(app: Flask) -> None:
    """The friendly error pages: registered last, they replace the gateway's plain answers."""
    errors.init_app(app)
