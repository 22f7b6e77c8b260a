"""The entitlement codes the portal's services and pages check, named once.

An entitlement is ``<code>@<company_id>``: the code of a catalog service (its English title, as
``catalog.families.service_code`` makes it from the catalog's seed) and the company it applies to.
"""
from __future__ import annotations

import re

# Make a company administrator, a supervisor of one associate (each per-associate supervision
# service grants this one, for that associate).
ADMINISTRATION = "user-management-administration"
SUPERVISION = "user-management-supervision-administration"
# The services whose subscriptions make administrators: always validated, never automatic.
ADMINISTRATOR_MAKING = frozenset({ADMINISTRATION, SUPERVISION})

# Support requests: one's own, the company's, a supervised associate's.
REQUEST_SERVICE = "request-service"
REQUEST_SERVICE_ADMINISTRATION = "request-service-administration"
REQUEST_SERVICE_SUPERVISION = "request-service-supervision"

# Assets: updates, invoices and credits, intervention reports and attendance sheets.
DOWNLOAD_UPDATES = "download-updates"
# Notifications: mailed when an update of the company's products can be downloaded.
NEW_UPDATES_NOTIFICATION = "notification-on-new-updates-for-download"
INVOICE_VIEWING = "invoice-viewing-service"
INTERVENTION_REPORTS_VIEWING = "intervention-reports-and-attendance-sheet-viewing-service"

# Knowledge: the FAQs' search and articles.
VIEW_FAQS = "view-faqs"

# Documents: the viewing service each kind of document needs.
DOCUMENT_VIEWING = {"invoice": INVOICE_VIEWING, "credit": INVOICE_VIEWING,
                    "intervention_report": INTERVENTION_REPORTS_VIEWING,
                    "attendance_sheet": INTERVENTION_REPORTS_VIEWING}

# Notifications of new content: the service whose holders are mailed, per kind of news item
# (legal texts go with general information: the catalog has no service of their own), and for FAQs.
NEW_FAQ_NOTIFICATION = "notification-on-new-faq-published"
NEWS_NOTIFICATIONS = {"general": "notification-on-new-general-information-published",
                      "legal": "notification-on-new-general-information-published",
                      "product": "notification-on-new-product-information-published",
                      "event": "notification-on-new-events-published",
                      "partner": "notification-of-new-partner-information",
                      "help": "notification-on-new-portal-help-published"}

# The Etafi declarative portal: holding one of these lets a portal user be tied to a declarant
# account of that role (identity checks it when the account is tied).
DECLARATIVE_SERVICES = "declarative-services-etafi"
SUPERVISOR_SERVICE = "supervisor-service-etafi"

# "Functional preference: <domain>": the users who see (and are told of) a domain's content.
FUNCTIONAL_PREFERENCE_PREFIX = "functional-preference-"


def functional_preference(domain: str) -> str:
    """The code of the service "Functional preference: <domain>" (as the catalog codes titles)."""
    return FUNCTIONAL_PREFERENCE_PREFIX + re.sub(r"[^a-z0-9]+", "-", domain.lower()).strip("-")


ALL = frozenset({ADMINISTRATION, SUPERVISION, REQUEST_SERVICE, REQUEST_SERVICE_ADMINISTRATION,
                 REQUEST_SERVICE_SUPERVISION, DOWNLOAD_UPDATES, INVOICE_VIEWING,
                 INTERVENTION_REPORTS_VIEWING, VIEW_FAQS, DECLARATIVE_SERVICES, SUPERVISOR_SERVICE, NEW_UPDATES_NOTIFICATION, NEW_FAQ_NOTIFICATION,
                 *NEWS_NOTIFICATIONS.values()})
