"""The declarative obligations the portal knows (their codes and names in English and French), and
which one a deposited INFENT message is, read from the forms its ``IND`` lines name."""
from __future__ import annotations

from dataclasses import dataclass

from .edifact import Segment


@dataclass(frozen=True)
class Obligation:
    code: str
    en: str
    fr: str

    def name(self, language: str) -> str:
        return self.fr if language == "fr" else self.en


OBLIGATIONS: dict[str, Obligation] = {obligation.code: obligation for obligation in (
    Obligation("liasse", "Tax return package (2065, 2031, 2033…)", "Liasse fiscale (2065, 2031, 2033…)"),
    Obligation("cvae", "CVAE return (1330-CVAE)", "Déclaration de CVAE (1330-CVAE)"),
    Obligation("vat", "Annual VAT return (CA12, simplified regime)", "Déclaration annuelle de TVA (CA12, régime simplifié)"),
    Obligation("das2", "Fees declaration (DAS2)", "Déclaration des honoraires (DAS2)"),
    Obligation("ifu", "Single tax form (2561, IFU)", "Imprimé fiscal unique (2561, IFU)"),
)}
CODES = tuple(OBLIGATIONS)

# The form an IND line names is its second element's first word ("2050", "2069RCI", "F-IDENTIF");
# these prefixes tell the obligations the TDFC channel carries apart. The 1330-CVAE, the CA12
# (3517-S CA12), the DAS2 (2460) and the IFU (2561) each travel as a message of their own; the
# liasse's forms are the 20xx/25xx tables (2050–2059, 2065, 2031, 2033, 2035, 2069-RCI, 2572…).
_FORMS = (("cvae", ("1330",)), ("vat", ("3517", "CA12", "3310CA3", "3514")), ("das2", ("DAS2", "2460")),
          ("ifu", ("2561", "IFU")))


def forms(message: list[Segment]) -> list[str]:
    """The forms the message's IND lines name, in order, each once (F-IDENTIF, the identification, left out)."""
    found: list[str] = []
    for segment in message:
        if segment.tag == "IND":
            words = segment.component(2).split()
            if words and words[0] != "F-IDENTIF" and words[0] not in found:
                found.append(words[0])
    return found


def classify(message: list[Segment]) -> str:
    """The obligation a message files. Any form of the liasse makes it the liasse (its appendices,
    such as the 2069-RCI, travel with it); otherwise the obligation whose form it names first; a
    message naming no known form is a liasse, the TDFC channel's usual and default filing."""
    named = forms(message)
    if any(_liasse_form(form) for form in named):
        return "liasse"
    for form in named:
        for code, prefixes in _FORMS:
            if form.upper().startswith(prefixes):
                return code
    return "liasse"


def _liasse_form(form: str) -> bool:
    return len(form) >= 4 and form[:4].isdigit() and form[:2] in ("20", "25") and not form.startswith(("2460", "2561"))
