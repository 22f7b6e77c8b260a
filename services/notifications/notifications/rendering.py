"""Mails written out: subject, plain text and HTML from the Jinja2 templates of each kind and language.

Templates live in ``templates/<language>/<kind>.txt`` and ``.html`` (the HTML ones extend the
shared ``layout.html``); subjects are in ``SUBJECTS``. HTML is autoescaped, text is not.
"""
from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context, select_autoescape

from .compose import Mail

# "\u00a0" before a colon and "\u202f" before ; ! ?, as French typography wants.
SUBJECTS: dict[str, dict[str, str]] = {
    "activation": {
        "en": "Activate your client portal account",
        "fr": "Activez votre compte du portail client",
    },
    "password_reset": {
        "en": "Reset your client portal password",
        "fr": "Réinitialisez votre mot de passe du portail client",
    },
    "declarant_issued": {
        "en": "Your Etafi declarative portal account: choose its password",
        "fr": "Votre compte du portail déclaratif Etafi\u00a0: choisissez son mot de passe",
    },
    "declarant_password_reset": {
        "en": "Choose a new password for your Etafi declarative portal account",
        "fr": "Choisissez un nouveau mot de passe pour votre compte du portail déclaratif Etafi",
    },
    "declarant_revoked": {
        "en": "Your Etafi declarative portal account was revoked",
        "fr": "Votre compte du portail déclaratif Etafi a été révoqué",
    },
    "declaration_deposited": {
        "en": "Etafi declarative portal: your filing was received",
        "fr": "Portail déclaratif Etafi\u00a0: votre liasse a été reçue",
    },
    "declaration_transmitted": {
        "en": "{{ '[SIMULATION] ' if simulation }}Etafi declarative portal: your filing of {{ entity_name or siren }} was handed to the EDI partner",
        "fr": "{{ '[SIMULATION] ' if simulation }}Portail déclaratif Etafi\u00a0: votre liasse de {{ entity_name or siren }} a été remise au partenaire EDI",
    },
    "declaration_acknowledged": {
        "en": "{{ '[SIMULATION] ' if simulation }}Etafi declarative portal: your filing of {{ entity_name or siren }} was {{ outcome_text }}",
        "fr": "{{ '[SIMULATION] ' if simulation }}Portail déclaratif Etafi\u00a0: votre liasse de {{ entity_name or siren }} a été {{ outcome_text }}",
    },
    "declaration_rejection_supervised": {
        "en": "{{ '[SIMULATION] ' if simulation }}Etafi declarative portal: the filing of {{ entity_name or siren }} was {{ outcome_text }}",
        "fr": "{{ '[SIMULATION] ' if simulation }}Portail déclaratif Etafi\u00a0: la liasse de {{ entity_name or siren }} a été {{ outcome_text }}",
    },
    "declaration_due": {
        "en": "Etafi declarative portal: the filing of {{ entity_name or siren }} is due in {{ days_left }} day{{ '' if days_left == 1 else 's' }}",
        "fr": "Portail déclaratif Etafi\u00a0: la liasse de {{ entity_name or siren }} est attendue dans {{ days_left }}\u00a0jour{{ '' if days_left <= 1 else 's' }}",
    },
    "email_change_confirmation": {
        "en": "Confirm your new e-mail address",
        "fr": "Confirmez votre nouvelle adresse e-mail",
    },
    "email_change_requested": {
        "en": "A new e-mail address was asked for your client portal account",
        "fr": "Une nouvelle adresse e-mail a été demandée pour votre compte du portail client",
    },
    "email_changed_notice": {
        "en": "Your client portal e-mail address was changed",
        "fr": "L’adresse e-mail de votre compte du portail client a changé",
    },
    "email_changed": {
        "en": "Your new e-mail address is confirmed",
        "fr": "Votre nouvelle adresse e-mail est confirmée",
    },
    "account_locked": {
        "en": "Your client portal account is temporarily locked",
        "fr": "Votre compte du portail client est temporairement bloqué",
    },
    "lockouts_alert": {
        "en": "{{ locked_accounts }} client portal accounts of your company were locked",
        "fr": "{{ locked_accounts }}\u00a0comptes du portail client de votre société ont été bloqués",
    },
    "account_deleted": {
        "en": "Your client portal account has been deleted",
        "fr": "Votre compte du portail client a été supprimé",
    },
    "import_report": {
        "en": "User import: {{ created }} of {{ total }} created",
        "fr": "Import d’utilisateurs\u00a0: {{ created }} sur {{ total }} "
              "{{ 'créé' if created <= 1 else 'créés' }}",
    },
    "subscription_requested": {
        "en": "Subscription to validate: {{ service_title }}",
        "fr": "Abonnement à valider\u00a0: {{ service_title }}",
    },
    "update_released": {
        "en": "An update of {{ product }} is ready to download: version {{ version }}",
        "fr": "Une mise à jour de {{ product }} est prête à télécharger : version {{ version }}",
    },
    "documents_published": {
        "en": "{% if count == 1 %}A new document{% else %}{{ count }} new documents{% endif %} in the portal{% if company_name %}: {{ company_name }}{% endif %}",
        "fr": "{% if count == 1 %}Un nouveau document{% else %}{{ count }} nouveaux documents{% endif %} dans le portail{% if company_name %}\u00a0: {{ company_name }}{% endif %}",
    },
    "subscription_accepted": {
        "en": "Your subscription to {{ service_title }} is active",
        "fr": "Votre abonnement au service {{ service_title }} est actif",
    },
    "subscription_refused": {
        "en": "Your subscription request for {{ service_title }}",
        "fr": "Votre demande d’abonnement au service {{ service_title }}",
    },
    "subscription_cancelled": {
        "en": "Your subscription to {{ service_title }} has ended",
        "fr": "Votre abonnement au service {{ service_title }} a pris fin",
    },
    "subscription_expired": {
        "en": "Your subscription to {{ service_title }} has expired",
        "fr": "Votre abonnement au service {{ service_title }} a expiré",
    },
    "subscription_expiring": {
        "en": "{{ service_title }} ends in {{ days_left }} day{{ '' if days_left == 1 else 's' }}",
        "fr": "{{ service_title }} prend fin dans {{ days_left }}\u00a0jour{{ '' if days_left <= 1 else 's' }}",
    },
    "identifier_change_requested": {
        "en": "Identifier change to decide: {{ requester }}",
        "fr": "Changement d’identifiant à décider\u00a0: {{ requester }}",
    },
    "identifier_change_decided": {
        "en": "{% if approved %}Identifier change approved{% else %}Identifier change refused{% endif %}: {{ machine_id }}",
        "fr": "{% if approved %}Changement d’identifiant accepté{% else %}Changement d’identifiant refusé{% endif %}\u00a0: {{ machine_id }}",
    },
    "intervention_planned": {
        "en": "{{ what }} planned: {{ starts }}",
        "fr": "{{ what }} planifiée : {{ starts }}",
    },
    "intervention_changed": {
        "en": "{{ what }} changed: {{ starts }}",
        "fr": "{{ what }} modifiée : {{ starts }}",
    },
    "intervention_cancelled": {
        "en": "{{ what }} cancelled: {{ starts }}",
        "fr": "{{ what }} annulée : {{ starts }}",
    },
    "access_requested": {
        "en": "Access request: {{ requester }}",
        "fr": "Demande d’accès\u00a0: {{ requester }}",
    },
    "access_refused": {
        "en": "Your request for a client portal account",
        "fr": "Votre demande de compte du portail client",
    },
    "content_published": {
        "en": "{{ heading }}: {{ title }}",
        "fr": "{{ heading }}\u00a0: {{ title }}",
    },
    "content_digest": {
        "en": "Your daily digest of the client portal: {{ items|length }} new {{ 'item' if items|length == 1 else 'items' }}",
        "fr": "Votre récapitulatif du portail client\u00a0: {{ items|length }}\u00a0{{ 'nouveauté' if items|length == 1 else 'nouveautés' }}",
    },
    "access_existing_account": {
        "en": "You already have a client portal account",
        "fr": "Vous avez déjà un compte du portail client",
    },
    "support_opened": {
        "en": "Support request {{ number }} registered: {{ subject_line }}",
        "fr": "Demande de support {{ number }} enregistrée\u00a0: {{ subject_line }}",
    },
    "support_answered": {
        "en": "Support answered your request {{ number }}: {{ subject_line }}",
        "fr": "Le support a répondu à votre demande {{ number }}\u00a0: {{ subject_line }}",
    },
    "support_waiting": {
        "en": "Support is waiting for you on {{ number }}: {{ subject_line }}",
        "fr": "Le support attend votre réponse sur {{ number }}\u00a0: {{ subject_line }}",
    },
    "support_resolved": {
        "en": "Support request {{ number }} resolved: {{ subject_line }}",
        "fr": "Demande de support {{ number }} résolue\u00a0: {{ subject_line }}",
    },
}
KINDS = tuple(SUBJECTS)
TIME_FORMATS = {"en": "h:mm a", "fr": "H\u00a0'h'\u00a0mm"}
AT = {"en": "at", "fr": "à"}
TEXT_WIDTH = 72


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


class MailWriter:
    """Renders ``Mail``s; one per process (the Jinja environment caches compiled templates)."""

    def __init__(self, time_zone: str = "UTC"):
        self.zone = ZoneInfo(time_zone)
        self.zone_label = "UTC" if time_zone in ("UTC", "Etc/UTC") else time_zone
        self.templates = Environment(
            loader=PackageLoader("notifications", "templates"),
            autoescape=select_autoescape(["html"]), undefined=StrictUndefined,
            trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
        self.templates.filters.update(date=self._date, datetime=self._datetime)
        self.subjects = Environment(autoescape=False, undefined=StrictUndefined)
        self._subjects: dict = {}

    def render(self, mail: Mail) -> RenderedMail:
        context = {**mail.context, "language": mail.language}
        # A header is one line: a service title with a line break must not forge another header.
        subject = one_line(self._subject(mail.kind, mail.language).render(context))
        context["subject"] = subject
        text = self.templates.get_template(f"{mail.language}/{mail.kind}.txt").render(context)
        html = self.templates.get_template(f"{mail.language}/{mail.kind}.html").render(context)
        return RenderedMail(subject, wrap(text), html)

    def _subject(self, kind: str, language: str):
        # Compiled once per kind and language: a fan-out renders thousands of the same subject.
        key = (kind, language)
        template = self._subjects.get(key)
        if template is None:
            template = self._subjects[key] = self.subjects.from_string(SUBJECTS[kind][language])
        return template

    @pass_context
    def _date(self, context, value: date | None) -> str:
        return format_date(value, "long", locale=context["language"]) if value else ""

    @pass_context
    def _datetime(self, context, value: datetime | None) -> str:
        """"24 novembre 2026 à 10 h 38 (UTC)": a moment, in the mails' time zone."""
        if value is None:
            return ""
        language = context["language"]
        local = value.astimezone(self.zone)
        return (f"{format_date(local, 'long', locale=language)} {AT[language]} "
                f"{format_time(local, TIME_FORMATS[language], locale=language)}\u00a0({self.zone_label})")


def one_line(text: str) -> str:
    """``text`` with its line breaks and runs of spaces made single spaces; no-break spaces kept."""
    return re.sub(r"[ \t\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+", " ", text).strip()


def wrap(text: str) -> str:
    """Wrap the plain text's long lines at 72 columns, leaving lines with a URL whole."""
    lines = []
    for line in text.splitlines():
        if len(line) <= TEXT_WIDTH or "://" in line:
            lines.append(line)
            continue
        indent = line[:len(line) - len(line.lstrip(" "))]
        lines.extend(textwrap.wrap(line, TEXT_WIDTH, subsequent_indent=indent,
                                   break_long_words=False, break_on_hyphens=False))
    return "\n".join(lines).strip() + "\n"
