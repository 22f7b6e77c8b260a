"""The kinds of news, as the pages name them (knowledge's ``NEWS_KINDS``): the news pages and the
product lines' spaces."""
from __future__ import annotations

from flask_babel import lazy_gettext

KINDS = {"general": lazy_gettext("General information"), "product": lazy_gettext("Product information"),
         "event": lazy_gettext("Events"), "legal": lazy_gettext("Legal texts"),
         "partner": lazy_gettext("Partner information"), "help": lazy_gettext("Portal help")}
