"""New-content mails through the real bus, on both backends: ``ArticlePublished`` / ``NewsPublished``
published into the mesh's bus (as knowledge will publish them) reach the holders of the matching
notification service who are in the item's target — the companies holding its products (recorded
by an operator through assets' API), the holders of a functional preference — once, in their
language, and no one else; one's preference is read and set through the gateway; and a worker
killed halfway through a fan-out of a few hundred, then restarted, leaves every holder exactly one
Message-ID in the sink."""
from __future__ import annotations

import collections
import dataclasses
import email
import email.policy
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
from kombu import Producer

from meshtools import wait_until
from portalkit import broker, entitlements, topology
from portalkit.events import PRODUCER_OF, new_envelope
from portalkit.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
from management_scene import activate, register, subscribe  # noqa: E402

pytestmark = pytest.mark.mesh
PREFERENCE = "Functional preference: Accounting"


def publish(mesh, event_type: str, data: dict) -> dict:
    """Publish one event into the mesh's bus, as its producer's relay would."""
    return publish_all(mesh, [(event_type, data)])[0]


def publish_all(mesh, events: list[tuple[str, dict]]) -> list[dict]:
    """Publish events into the mesh's bus in their order, over one connection."""
    url = mesh.mesh.environment()["PORTAL_BROKER_URL"]
    if url == "filesystem://":
        url = f"filesystem://{mesh.mesh.var_dir / 'bus'}"
    settings = dataclasses.replace(Settings.load("probe"), broker_url=url)
    envelopes = []
    with broker.connect(settings) as connection:
        topology.declare(connection)
        producer = Producer(connection.default_channel, exchange=topology.EVENTS)
        for event_type, data in events:
            envelope = new_envelope(event_type, data, correlation_id=f"content-{uuid.uuid4().hex[:12]}")
            producer.publish(envelope, routing_key=f"{PRODUCER_OF[event_type]}.{event_type}", serializer="json",
                             delivery_mode=2)
            envelopes.append(envelope)
    return envelopes


def _created(answer) -> dict:
    assert answer.status_code == 201, answer.text
    return answer.json()




@pytest.fixture(scope="module")
def scene(mesh):
    """Holder's company holds the product; Reader's does not but Reader holds the Accounting
    preference; Other has neither. All three hold every content notification (granted at activation)."""
    tag = uuid.uuid4().hex[:6]
    operator = mesh.api_login(mesh.operator_email, mesh.operator_password)
    companies = {name: register(mesh, operator, tag, name, first) for name, first in
                 (("Holder", "Hugo"), ("Reader", "Rita"), ("Other", "Oscar"))}
    product = _created(operator.post(mesh.url("/api/operator/products"), timeout=10, json={
        "code": f"TAX-{tag}", "name_en": "Tax returns", "name_fr": "Liasses fiscales", "kind": "software",
        "brand": "Etafi", "domain": "Accounting", "serializable": False, "major_version": 1}))
    _created(operator.post(mesh.url("/api/operator/holdings"), timeout=10, json={
        "company_id": companies["Holder"]["company"]["id"], "product_id": product["id"], "quantity": 1}))
    sessions = {name: activate(mesh, company["email"], company["administrator"]["first_name"])
                for name, company in companies.items()}
    subscribe(mesh, sessions["Reader"], PREFERENCE)
    return {"tag": tag, "product": product, "sessions": sessions,
            "emails": {name: company["email"] for name, company in companies.items()}}


def _titles(mesh, address: str) -> list[str]:
    return [str(mail["Subject"]) for mail in mesh.mails_to(address)]


def test_each_item_reaches_its_target_once_and_no_one_else(mesh, scene):
    tag, emails = scene["tag"], scene["emails"]
    article_id, domain_news, generic = f"art-{tag}", f"dom-{tag}", f"gen-{tag}"
    publish(mesh, "ArticlePublished", {
        "article_id": article_id, "version": 1, "first": True, "title_en": f"Filing the return {tag}",
        "title_fr": f"Déposer la liasse {tag}", "brand": "Etafi", "domain": "Accounting",
        "product_codes": [scene["product"]["code"]], "published_on": "2026-12-02"})
    publish(mesh, "NewsPublished", {
        "news_id": domain_news, "kind": "event", "title_en": f"Closing webinar {tag}", "title_fr": "",
        "product_codes": [], "domains": ["Accounting"], "published_on": "2026-12-02"})
    # Generic, published last: once its mail reached everyone, the targeted ones were expanded
    # and sent before it (publications are expanded, and deliveries sent, in their order).
    publish(mesh, "NewsPublished", {
        "news_id": generic, "kind": "help", "title_en": f"New help pages {tag}",
        "title_fr": f"Nouvelles pages d’aide {tag}", "product_codes": [], "domains": [],
        "published_on": "2026-12-02"})
    article = mesh.wait_for_mail(emails["Holder"], subject=f"New FAQ: Filing the return {tag}")
    assert mesh.url(f"/knowledge/articles/{article_id}") in article.get_body(("plain",)).get_content()
    webinar = mesh.wait_for_mail(emails["Reader"], subject=f"New event: Closing webinar {tag}")
    assert mesh.url(f"/news/{domain_news}") in webinar.get_body(("plain",)).get_content()
    for name in ("Holder", "Reader", "Other"):
        mesh.wait_for_mail(emails[name], subject=f"Portal help: New help pages {tag}")
    assert [t for t in _titles(mesh, emails["Other"]) if tag in t] == [f"Portal help: New help pages {tag}"]
    assert [t for t in _titles(mesh, emails["Reader"]) if tag in t and "FAQ" in t] == []
    assert [t for t in _titles(mesh, emails["Holder"]) if tag in t and "webinar" in t] == []
    for name in ("Holder", "Reader", "Other"):  # once each
        assert len([t for t in _titles(mesh, emails[name]) if tag in t and "help" in t]) == 1


def test_the_preference_is_read_and_set_through_the_gateway(mesh, scene):
    session = scene["sessions"]["Other"]
    url = mesh.url("/api/notifications/preferences")
    assert session.get(url, timeout=10).json()["content_mails"] == "immediate"
    answer = session.put(url, json={"content_mails": "daily_digest"}, timeout=10)
    assert answer.status_code == 200 and answer.json()["content_mails"] == "daily_digest"
    assert session.get(url, timeout=10).json()["content_mails"] == "daily_digest"
    bad = session.put(url, json={"content_mails": "hourly"}, timeout=10)
    assert bad.status_code == 400 and bad.json()["error"]["code"]
    assert session.put(url, json={"content_mails": "immediate"}, timeout=10).status_code == 200
    assert requests.get(url, timeout=10).status_code == 401


def _restart_worker(mesh, **env) -> None:
    mesh.mesh.kill("notifications-worker")
    for name, value in env.items():
        if value is None:
            mesh.mesh.env.pop(name, None)
        else:
            mesh.mesh.env[name] = value
    mesh.mesh.start_process("notifications-worker")


HOLDERS = 300


def test_a_worker_killed_halfway_through_a_fan_out_leaves_each_holder_one_message_id(mesh):
    tag = uuid.uuid4().hex[:6]
    domain = f"Fanout {tag}"
    company = f"fanout-{tag}"
    help_service = entitlements.NEWS_NOTIFICATIONS["help"]
    # The holders, as the catalog's events tell notifications of them.
    grants = []
    for number in range(HOLDERS):
        person = {"user_id": f"{tag}-u{number:03}", "email": f"u{number:03}-{tag}@fanout.test",
                  "first_name": f"U{number}", "last_name": "Fanout", "language": "fr" if number % 2 else "en"}
        for code in (help_service, entitlements.functional_preference(domain)):
            grants.append(("SubscriptionAccepted", {
                **person, "subscription_id": f"{person['user_id']}-{code}", "service_id": code,
                "service_code": code, "company_id": company, "scope_company_id": company, "automatic": True}))
    started = time.monotonic()
    publish_all(mesh, grants)
    print(f"published {len(grants)} grants in {time.monotonic() - started:.1f} s")
    # Slowed down (a rate, one lane) so that the kill lands halfway.
    _restart_worker(mesh, PORTAL_NOTIFICATIONS_SEND_RATE="40", PORTAL_NOTIFICATIONS_SEND_CONCURRENCY="1")
    restored = False
    try:
        publish(mesh, "NewsPublished", {
            "news_id": f"fan-{tag}", "kind": "help", "title_en": f"Fan-out {tag}", "title_fr": f"Diffusion {tag}",
            "product_codes": [], "domains": [domain], "published_on": "2026-12-02"})

        parsed: dict = {}

        def mails() -> list:
            """The fan-out's mails in the sink (each file parsed once: the sink holds thousands)."""
            for path in mesh.mesh.mail_dir.glob("*.eml"):
                if path.name not in parsed:
                    parsed[path.name] = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            return [m for m in parsed.values() if f"-{tag}@fanout.test" in str(m.get("To", ""))]
        print(f"news published at {time.monotonic() - started:.1f} s")
        wait_until(lambda: len(mails()) >= HOLDERS // 3, timeout=60, interval=0.1, message="a third of the mails")
        mesh.mesh.kill("notifications-worker")  # SIGKILL, mid-batch
        killed_at = len(mails())
        print(f"killed at {time.monotonic() - started:.1f} s")
        assert killed_at < HOLDERS
        mesh.mesh.env.pop("PORTAL_NOTIFICATIONS_SEND_RATE")
        mesh.mesh.env.pop("PORTAL_NOTIFICATIONS_SEND_CONCURRENCY")
        mesh.mesh.start_process("notifications-worker")  # the usual settings again
        restored = True
        ids = collections.defaultdict(set)
        wait_until(lambda: len({str(m["Message-ID"]) for m in mails()}) >= HOLDERS, timeout=90, interval=0.2,
                   message="a mail to every holder")
        sent = mails()
        print(f"all sent at {time.monotonic() - started:.1f} s")
        for message in sent:
            ids[message["To"].addresses[0].addr_spec].add(str(message["Message-ID"]))
        assert len(ids) == HOLDERS and all(len(found) == 1 for found in ids.values())
        # The guarantee: at most the one mail in flight (one lane) handed over twice, same Message-ID.
        assert len(sent) - HOLDERS <= 1, (killed_at, len(sent))
        print(f"killed after {killed_at} of {HOLDERS} mails; {len(sent) - HOLDERS} sent again")
    finally:
        if not restored:  # the other tests of the session get the usual worker back
            if "notifications-worker" in mesh.mesh.processes:
                mesh.mesh.kill("notifications-worker")
            mesh.mesh.env.pop("PORTAL_NOTIFICATIONS_SEND_RATE", None)
            mesh.mesh.env.pop("PORTAL_NOTIFICATIONS_SEND_CONCURRENCY", None)
            mesh.mesh.start_process("notifications-worker")
