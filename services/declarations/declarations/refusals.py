"""Why a deposit is refused: a stable code, the segment at fault (tag, position, element,
component) and a message in plain words, in English and French (the caller's language)."""
from __future__ import annotations

from portalkit.errors import PortalError

# code: (English, French); {value} and {expected} come from the check that refused.
MESSAGES = {
    "no_interchange": ("The file holds no EDIFACT interchange: no UNA or UNB segment was found.",
                       "Le fichier ne contient pas d'échange EDIFACT : aucun segment UNA ou UNB."),
    "unknown_charset": ("UNB names the character set \"{value}\", which the portal does not read (UNOA, UNOB, UNOC or UNOL).",
                        "UNB annonce le jeu de caractères « {value} », que le portail ne lit pas (UNOA, UNOB, UNOC ou UNOL)."),
    "undecodable": ("The file's bytes are not {value} text (byte {offset}): it may be a binary file or use another character set.",
                    "Les octets du fichier ne sont pas du texte {value} (octet {offset}) : fichier binaire ou autre jeu de caractères ?"),
    "syntax_error": ("The file is not readable EDIFACT at segment {index}: it may be cut short or hold an unbalanced release character.",
                     "Le fichier n'est pas un EDIFACT lisible au segment {index} : il est peut-être tronqué ou contient un caractère d'échappement isolé."),
    "missing_segment": ("The segment {segment} is missing{where}.",
                        "Le segment {segment} manque{where}."),
    "reference_mismatch": ("{segment}'s reference \"{value}\" is not the one of its opening segment (\"{expected}\").",
                           "La référence « {value} » de {segment} n'est pas celle de son segment d'ouverture (« {expected} »)."),
    "wrong_count": ("{segment} counts {value} ({counted}), but the file holds {expected}.",
                    "{segment} annonce {value} ({counted_fr}), mais le fichier en contient {expected}."),
    "wrong_message_type": ("The message is a \"{value}\", not an INFENT.",
                           "Le message est un « {value} », pas un INFENT."),
    "wrong_document": ("BGM names the document \"{value}\", not IDF.",
                       "BGM désigne le document « {value} », pas IDF."),
    "invalid_siren": ("The declarant's SIREN \"{value}\" (NAD+DT) is not valid: its check digit is wrong.",
                      "Le SIREN du déclarant « {value} » (NAD+DT) n'est pas valide : sa clé est fausse."),
    "not_your_entity": ("The declarant's SIREN {value} (NAD+DT) is not one of the entities you declare for.",
                        "Le SIREN du déclarant {value} (NAD+DT) n'est pas celui d'une entité pour laquelle vous déclarez."),
    "missing_identification": ("The identification (F-IDENTIF) lacks the {value}.",
                               "L'identification (F-IDENTIF) ne donne pas {value_fr}."),
    "invalid_date": ("\"{value}\" is not a date (CCYYMMDD).",
                     "« {value} » n'est pas une date (SSAAMMJJ)."),
    "campaign_closed": ("The {value} campaign is not open on this portal (open: {expected}).",
                        "La campagne {value} n'est pas ouverte sur ce portail (ouvertes : {expected})."),
    "duplicate_filing": ("This very file was deposited and accepted already for this entity (deposit {value}).",
                         "Ce fichier a déjà été déposé et accepté pour cette entité (dépôt {value})."),
}
# What a closing segment counts (UNT: segments, UNE: messages, UNZ: groups or messages).
COUNTED = {what: {"counted": english, "counted_fr": french} for what, english, french in (
    ("segments", "segments from UNH to UNT", "segments de UNH à UNT"),
    ("messages", "messages", "messages"), ("groups", "groups", "groupes"))}
# Where a missing segment was looked for.
WHERE = {"": ("", ""), "start": (" at the start", " au début"),
         "end": (" at the end (the file may be cut short)", " à la fin (le fichier est peut-être tronqué)"),
         "before": (" before this segment", " avant ce segment"), "before_unz": (" before UNZ", " avant UNZ"),
         "after_unh": (" after UNH", " après UNH"), "declarant": (" (the declarant)", " (le déclarant)")}
# What F-IDENTIF must give, in each language.
IDENTIFICATION = {"period_start": ("period's start date (CADTM)", "la date de début d'exercice (CADTM)"),
                  "period_end": ("period's end date (CBDTM)", "la date de fin d'exercice (CBDTM)"),
                  "regime": ("tax regime (CAV)", "le régime (CAV)"),
                  "currency": ("currency (CUX)", "la devise (CUX)"),
                  "tax_reference": ("tax-obligation reference (KDRFF)", "la référence d'obligation fiscale (KDRFF)")}


class Refusal(Exception):
    """A check refused the file: ``code``, where (``segment`` at ``index``, ``element``,
    ``component``) and the values its message names."""

    def __init__(self, code: str, segment: str, index: int, element: int | None = None,
                 component: int | None = None, status: int = 400, **values):
        super().__init__(code)
        self.code, self.segment, self.index = code, segment, index
        self.element, self.component, self.status, self.values = element, component, status, values
        self.others: list[Refusal] = []  # the other faults the checks found after this one (checks.Faults)

    @property
    def faults(self) -> list[Refusal]:
        """Every fault found, this one first."""
        return [self, *self.others]

    def location(self) -> dict:
        where = {"segment": self.segment, "index": self.index}
        if self.element is not None:
            where["element"] = self.element
        if self.component is not None:
            where["component"] = self.component
        return where

    def message(self, language: str = "en") -> str:
        english, french = MESSAGES[self.code]
        values = {"value": "", "expected": "", "offset": "", "where": "", **self.values,
                  "segment": self.segment, "index": self.index}
        values["where"] = WHERE[self.values.get("where", "")][language == "fr"]
        if self.code == "wrong_count":
            values.update(COUNTED[self.values["counted"]])
        if self.code == "missing_identification":
            english_name, french_name = IDENTIFICATION[self.values["value"]]
            values.update(value=english_name, value_fr=french_name)
        return (french if language == "fr" else english).format(**values)

    def error(self, language: str = "en") -> PortalError:
        """The answer: the first fault's code, message and place (``fields.location``), and every
        fault found in ``fields.faults`` (``code``, ``message``, ``location``), the first included."""
        faults = [{"code": fault.code, "message": fault.message(language), "location": fault.location()}
                  for fault in self.faults]
        return PortalError(self.status, self.code, self.message(language),
                           {"location": self.location(), "faults": faults})
