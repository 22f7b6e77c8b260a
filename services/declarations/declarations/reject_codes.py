"""The codes a filing's reports carry (the administration's, the partner's syntax codes) → what
they mean and what to do, in English and French. The portal's own checks: refusals.py."""
from __future__ import annotations

# code: ((English text, English action), (French text, French action))
CODES = {
    # -- the administration's (DGFiP, EDI-TDFC) ----------------------------------------------
    "009": (("The tax office does not know this SIREN.",
             "Check the SIREN in the file (NAD+DT); if it is right, ask your SIE to register the company."),
            ("L'administration ne connaît pas ce SIREN.",
             "Vérifiez le SIREN du fichier (NAD+DT) ; s'il est juste, demandez à votre SIE d'enregistrer l'entreprise.")),
    "010": (("The identification in the file does not match the tax office's tax-obligation record "
             "(e.g. the obligation reference differs).",
             "Correct the identification (F-IDENTIF) from your tax account, or ask your SIE which record it holds."),
            ("L'identification du fichier ne correspond pas à la fiche d'obligation fiscale de "
             "l'administration (par exemple la référence d'obligation diffère).",
             "Corrigez l'identification (F-IDENTIF) d'après votre espace professionnel, ou demandez à votre SIE la fiche qu'il détient.")),
    "13A": (("The tax office's record holds no obligation for this declaration.",
             "Contact your SIE to have the obligation created, then file again."),
            ("La fiche de l'administration ne porte aucune obligation pour cette déclaration.",
             "Contactez votre SIE pour faire créer l'obligation, puis déposez de nouveau.")),
    "13B": (("The obligation is not valid at the file's closing date.",
             "Check the period's closing date in the file; if it is right, contact your SIE to have the obligation's dates corrected."),
            ("L'obligation n'est pas valide à la date de clôture du fichier.",
             "Vérifiez la date de clôture de l'exercice ; si elle est juste, contactez votre SIE pour faire corriger les dates de l'obligation.")),
    "13C": (("The regime in the file differs from the tax office's record.",
             "Check the regime declared in the file; if it is right, contact your SIE to have the record corrected."),
            ("Le régime du fichier diffère de celui de la fiche de l'administration.",
             "Vérifiez le régime déclaré dans le fichier ; s'il est juste, contactez votre SIE pour faire corriger la fiche.")),
    # -- the EDI partner's syntax codes (those the simulated partner emits) ---------------------
    "P01": (("The partner could not read the file as EDIFACT (charset, binary content or syntax).",
             "Export the liasse again from your software and deposit the new file."),
            ("Le partenaire n'a pas pu lire le fichier comme de l'EDIFACT (jeu de caractères, contenu binaire ou syntaxe).",
             "Exportez de nouveau la liasse depuis votre logiciel et déposez le nouveau fichier.")),
    "P02": (("The interchange's envelope is inconsistent (a segment missing, a count or a reference wrong).",
             "Export the liasse again; if it persists, tell your software's vendor."),
            ("L'enveloppe de l'interchange est incohérente (segment manquant, compteur ou référence faux).",
             "Exportez de nouveau la liasse ; si cela persiste, prévenez l'éditeur de votre logiciel.")),
    "P03": (("The message is not a liasse fiscale (INFENT, document IDF).",
             "Deposit the liasse fiscale's file, not another declaration."),
            ("Le message n'est pas une liasse fiscale (INFENT, document IDF).",
             "Déposez le fichier de la liasse fiscale, pas celui d'une autre déclaration.")),
    "P04": (("The declarant's SIREN is invalid or is not the one the portal sent the file for.",
             "Check the SIREN in the file (NAD+DT) and the entity you deposited for."),
            ("Le SIREN du déclarant est invalide ou n'est pas celui pour lequel le portail a transmis le fichier.",
             "Vérifiez le SIREN du fichier (NAD+DT) et l'entité pour laquelle vous avez déposé.")),
    "P05": (("The identification (F-IDENTIF) is incomplete or holds an invalid date.",
             "Complete the identification in your software and export the liasse again."),
            ("L'identification (F-IDENTIF) est incomplète ou porte une date invalide.",
             "Complétez l'identification dans votre logiciel et exportez de nouveau la liasse.")),
}

_UNKNOWN = (("The report carries the code {code}, which the portal does not know.",
             "Contact your EDI partner or your SIE and name the code {code}."),
            ("Le compte rendu porte le code {code}, que le portail ne connaît pas.",
             "Contactez votre partenaire EDI ou votre SIE en citant le code {code}."))


def explain(code: str, language: str = "en") -> dict:
    """``{"code", "text", "action"}`` in ``language`` (French for ``fr…``, else English)."""
    code = str(code).strip()
    entry = CODES.get(code) or CODES.get(code.upper())
    english, french = entry or _UNKNOWN
    text, action = french if str(language).lower().startswith("fr") else english
    return {"code": code, "text": text.format(code=code), "action": action.format(code=code)}


def explain_all(codes: str, language: str = "en") -> list[dict]:
    """Each code of a comma-separated list (a deposit's ``codes``, a step's ``code``), explained."""
    return [explain(code, language) for code in (codes or "").split(",") if code]
