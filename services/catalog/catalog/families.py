"""The nine service families of the administrator's manual, in its order, with their French names."""
from __future__ import annotations

import re

FAMILIES: dict[str, str] = {
    "Administrative": "Administratif",
    "Community": "Communauté",
    "Information flow": "Flux d'information",
    "Management": "Gestion",
    "Product information": "Informations produit",
    "Notifications": "Notifications",
    "Preferences": "Préférences",
    "Online services": "Services en ligne",
    "Support": "Support",
}

SECURITY_LEVELS = {1: "weak", 2: "moderate", 3: "strong"}


def service_code(title_en: str) -> str:
    """The stable code of a service: its English title, lower case, each run of others → "-"."""
    return re.sub(r"[^a-z0-9]+", "-", title_en.lower()).strip("-")


def family_title(family: str, language: str) -> str:
    return FAMILIES.get(family, family) if is_french(language) else family


def is_french(language: str | None) -> bool:
    return (language or "").lower().startswith("fr")
