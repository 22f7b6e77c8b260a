"""The support space's pages inside the real gateway app, support and knowledge faked over HTTP: the
lists (tabs by right, criteria, clock), the new request's form (products, suggestions with and without
script, "This answered my question"), its streamed submission (CSRF in the address, a refused file
named), a request's page (thread as text, decisions, comment, 404), the home tiles and the header."""
from __future__ import annotations

import io
import json
import re

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
USER = {"id": "u1", "email": "claire@client.test", "display_name": "Claire Durand", "language": "en",
        "operator": False, "company": {"id": "c1", "name": "Durand Industries"}}
CLOCK = {"state": "on_time", "running": "first_response", "paused": False,
         "first_response_due": "2026-12-03T10:00:00+00:00", "first_response_at": None,
         "resolution_due": "2026-12-08T10:00:00+00:00", "answer_expected_by": "2026-12-03T10:00:00+00:00"}
ROW = {"id": "r1", "number": "SR-2026-000001", "subject": "Payslips do not print", "status": "new",
       "severity": "major", "product": {"id": "p1", "name": "Payroll"}, "company": {"id": "c1", "name": "Durand"},
       "requester": {"user_id": "u1", "name": "Claire Durand", "kind": "client"}, "assignee_id": None,
       "created_at": "2026-12-02T09:00:00+00:00", "updated_at": "2026-12-02T09:30:00+00:00", "clock": CLOCK}
DETAIL = {**ROW, "description": "Since <b>this morning</b>.", "contact_phone": "+33 1 23",
          "followers": [], "attachments": [{"id": "f1", "file_name": "screen.png", "content_type": "image/png",
                                            "size": 10, "sha256": "ab" * 32,
                                            "url": "/api/support/requests/r1/attachments/f1"}],
          "thread": [{"id": "t1", "author": {"user_id": None, "name": "Support", "kind": "operator"},
                      "body": "Try <script>x</script> again", "internal": False,
                      "created_at": "2026-12-02T10:00:00+00:00", "attachments": []}],
          "history": [{"at": "2026-12-02T09:00:00+00:00", "actor": {"user_id": "u1", "name": "Claire Durand",
                                                                   "kind": "client"},
                       "from_status": None, "to_status": "new"}],
          "allowed_moves": ["resolved", "closed"]}
PRODUCTS = {"items": [{"id": "p1", "code": "PAY", "name": "Payroll"}, {"id": "p2", "code": "ACC", "name": "Accounting"}],
            "total": 2}
HIT = {"id": "a1", "title": "Printing payslips", "language": "en", "snippet": "<mark>Payslips</mark> &lt;b&gt;",
       "brand": "Etafi", "domain": "Payroll", "published_on": "2026-11-20"}


def sign_in(client, services, user=USER):
    services["identity"].routes[("POST", "/auth/login")] = lambda seen: (200, {"user": user, "password_expired": False})
    token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    return client.post("/login", data={"email": user["email"], "password": "Portal-Access-93", "csrf_token": token})


def _support(services):
    support = services["support"]
    support.routes[("GET", "/support/products")] = lambda seen: (200, PRODUCTS)
    support.routes[("GET", "/support/requests")] = lambda seen: (200, {"items": [ROW], "total": 1})
    support.routes[("GET", "/support/requests/r1")] = lambda seen: (200, DETAIL)
    return support


def _action(page: str, form_id: str | None = None) -> str:
    found = re.search(r'action="(/support/requests[^"]*\?csrf_token=[^"]+)"', page)
    return found.group(1).replace("&amp;", "&")


def test_the_lists_show_the_tabs_the_rights_open_with_criteria_and_clock(client, services, grant):
    for code in ("request-service", "request-service-administration"):
        grant("u1", code, "c1")
    support = _support(services)
    sign_in(client, services)
    page = client.get("/support?status=new&q=payslips&product=p1&page=1").get_data(as_text=True)
    assert "My requests" in page and "The company's requests" in page and "Supervised sites" not in page
    assert 'href="/support/requests/r1">SR-2026-000001</a>' in page and "Payslips do not print" in page
    assert "Payroll" in page and "Major" in page and "New request" in page and "Answer expected by" in page
    assert "Clear filter" in page and "Displaying items 1 - 1 of 1" in page
    seen = next(call for call in reversed(support.received) if call.path == "/support/requests")
    assert "scope=own" in seen.query and "status=new" in seen.query and "q=payslips" in seen.query
    assert "product=p1" in seen.query
    company = client.get("/support?scope=company").get_data(as_text=True)
    assert 'aria-current="page">The company\'s requests' in company
    assert "scope=company" in support.received[-1].query
    # A scope the visitor does not hold falls back to the first one held.
    client.get("/support?scope=supervised")
    assert "scope=own" in support.received[-1].query
    # The header's SUPPORT space, with its menu.
    assert re.search(r'href="/support"[^>]*>\s*Support requests', page)


def test_the_lists_in_french_and_refused_without_a_request_service(client, services, grant):
    sign_in(client, services, {**USER, "language": "fr"})
    assert client.get("/support").status_code == 403
    assert client.get("/support/requests/new").status_code == 403
    grant("u1", "request-service", "c1")
    _support(services)
    page = client.get("/support").get_data(as_text=True)
    assert "Demandes de support" in page and "Nouvelle demande" in page and "Gravité" in page and "Majeure" in page
    assert "Réponse attendue d’ici le" in page and "Effacer le filtre" in page
    assert "Les demandes de la société" not in page  # one tab only: no tabs at all
    detail = client.get("/support/requests/r1").get_data(as_text=True)
    assert "Marquer comme résolue" in detail and "Échanges" in detail and "Historique" in detail


def test_the_new_request_form_preselects_a_product_and_suggests_articles(client, services, grant):
    grant("u1", "request-service", "c1")
    grant("u1", "view-faqs", "c1")
    _support(services)
    knowledge = services["knowledge"]
    knowledge.routes[("GET", "/knowledge/search")] = lambda seen: (200, {"items": [HIT], "total": 1})
    sign_in(client, services)
    page = client.get("/support/requests/new?product=ACC").get_data(as_text=True)
    assert '<option value="p2" selected>Accounting</option>' in page and 'name="attachments"' in page
    assert 'type="file" multiple' in page and "support.js" in page and "Suggest answers" in page
    assert 'name="csrf_token"' not in page.split('id="support-request-form"')[1].split("</form>")[0]
    # The script's fragment: knowledge searched in the visitor's language.
    fragment = client.get("/support/suggestions?q=payslips print").get_data(as_text=True)
    assert 'href="/knowledge/articles/a1"' in fragment and "<mark>Payslips</mark> &lt;b&gt;" in fragment
    assert "This answered my question" in fragment
    seen = next(call for call in reversed(knowledge.received) if call.path == "/knowledge/search")
    assert "q=payslips+print" in seen.query and "language=en" in seen.query
    # Without script: "Suggest answers" sends the fields here, shown again with the suggestions.
    shown = client.get("/support/requests/new?suggest=1&subject=payslips&description=Broken&severity=blocking"
                       "&product=p1").get_data(as_text=True)
    assert 'value="payslips"' in shown and ">Broken</textarea>" in shown and "Printing payslips" in shown
    assert '<option value="blocking" selected>' in shown and '<option value="p1" selected>' in shown
    # "This answered my question": a deflection, no request, a confirmation page; CSRF checked.
    support = services["support"]
    support.routes[("POST", "/support/deflections")] = lambda seen: (201, {"id": "d1"})
    token = CSRF.search(fragment).group(1)
    done = client.post("/support/deflections", data={"article_id": "a1", "subject": "payslips", "csrf_token": token})
    assert done.status_code == 200 and "Glad the article answered your question" in done.get_data(as_text=True)
    assert json.loads(support.last.body) == {"subject": "payslips", "article_id": "a1"}
    assert client.post("/support/deflections", data={"article_id": "a1", "subject": "x"}).status_code == 400


def test_without_view_faqs_no_suggestion_is_asked_for(client, services, grant):
    grant("u1", "request-service", "c1")
    _support(services)
    sign_in(client, services)
    fragment = client.get("/support/suggestions?q=payslips").get_data(as_text=True)
    assert "answered my question" not in fragment
    assert not any(call.path == "/knowledge/search" for call in services["knowledge"].received)


def test_the_submission_streams_to_support_and_a_refused_file_is_named(client, services, grant):
    grant("u1", "request-service", "c1")
    support = _support(services)
    sign_in(client, services)
    action = _action(client.get("/support/requests/new").get_data(as_text=True))
    assert action.startswith("/support/requests?csrf_token=")
    support.routes[("POST", "/support/requests")] = lambda seen: (201, {"id": "r1", "number": "SR-2026-000001",
                                                                       "status": "new"})
    big = b"%PDF-1.4 " + b"x" * 9 * 1024 * 1024  # past the pages' 8 MiB form limit: streamed, not parsed

    def form(*files):
        return {"product": "p1", "subject": "Payslips", "description": "Broken", "severity": "major",
                "contact_phone": "", "attachments": [(io.BytesIO(data), name) for data, name in files]}

    sent = client.post(action, data=form((big, "big.pdf"), (b"log", "log.txt")), content_type="multipart/form-data")
    assert sent.status_code == 303 and sent.headers["Location"].endswith("/support/requests/r1?done=opened")
    assert big in support.last.body and b'filename="log.txt"' in support.last.body
    assert support.last.headers["Content-Type"].startswith("multipart/form-data")
    assert b"csrf_token" not in support.last.body
    assert "Your request has been registered" in client.get("/support/requests/r1?done=opened").get_data(as_text=True)

    support.routes[("POST", "/support/requests")] = lambda seen: (400, {"error": {
        "code": "file_refused", "message": "The file 'run.exe' is refused: not accepted.",
        "fields": {"attachments": ["run.exe: not an accepted kind of file."]}}})
    refused = client.post(action, data=form((b"MZ...", "run.exe")), content_type="multipart/form-data")
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "The file run.exe is refused" in text
    assert 'value="Payslips"' in text and ">Broken</textarea>" in text  # the fields shown again

    before = len(support.received)
    forged = client.post("/support/requests?csrf_token=forged", data=form((b"x", "x.txt")),
                         content_type="multipart/form-data")
    assert forged.status_code == 400 and len(support.received) == before
    no_token = client.post("/support/requests", data=form((b"x", "x.txt")), content_type="multipart/form-data")
    assert no_token.status_code == 400 and len(support.received) == before


def test_the_request_page_shows_the_thread_as_text_and_the_decisions(client, services, grant):
    grant("u1", "request-service", "c1")
    support = _support(services)
    sign_in(client, services)
    page = client.get("/support/requests/r1").get_data(as_text=True)
    assert "SR-2026-000001" in page and "Payslips do not print" in page and "Payroll" in page
    assert "Since &lt;b&gt;this morning&lt;/b&gt;." in page and "Try &lt;script&gt;x&lt;/script&gt; again" in page
    assert 'href="/api/support/requests/r1/attachments/f1" download>screen.png' in page
    assert "Answer expected by" in page and "Resolution expected by" in page and "Support" in page
    assert "Mark as resolved" in page and "Close the request" in page and "Reopen the request" not in page
    assert "History" in page and "Followers" in page
    assert page.index("Since &lt;b&gt;") < page.index("Try &lt;script&gt;")  # the thread in order
    token = CSRF.search(page).group(1)
    support.routes[("POST", "/support/requests/r1/resolve")] = lambda seen: (200, {**DETAIL, "status": "resolved"})
    resolved = client.post("/support/requests/r1/resolve", data={"csrf_token": token})
    assert resolved.status_code == 303 and resolved.headers["Location"].endswith("/support/requests/r1?done=resolved")
    assert client.post("/support/requests/r1/resolve", data={}).status_code == 400
    assert client.post("/support/requests/r1/explode", data={"csrf_token": token}).status_code == 404

    # The comment streams on, with its attachment.
    comment = _action(page)
    assert comment.startswith("/support/requests/r1/comments?csrf_token=")
    support.routes[("POST", "/support/requests/r1/comments")] = lambda seen: (201, DETAIL)
    sent = client.post(comment, data={"body": "Still broken", "attachments": [(io.BytesIO(b"trace"), "trace.txt")]},
                       content_type="multipart/form-data")
    assert sent.status_code == 303 and sent.headers["Location"].endswith("?done=commented#thread")
    assert b"Still broken" in support.last.body and b"trace" in support.last.body

    # Waiting for the customer: the clock is paused, said so in the list and on the page.
    paused = {**CLOCK, "paused": True, "state": None}
    support.routes[("GET", "/support/requests/r2")] = lambda seen: (200, {**DETAIL, "id": "r2", "clock": paused,
                                                                       "status": "waiting_for_customer"})
    waiting = client.get("/support/requests/r2").get_data(as_text=True)
    assert "Paused while waiting for you" in waiting and "Waiting for your answer" in waiting

    # Another company's request: the not-found page.
    support.routes[("GET", "/support/requests/r9")] = lambda seen: (404, {"error": {"code": "not_found", "message": "No."}})
    assert client.get("/support/requests/r9").status_code == 404


def test_the_home_tiles_count_requests_in_progress_and_new_answers(client, services, grant):
    grant("u1", "request-service", "c1")
    services["support"].routes[("GET", "/support/summary")] = lambda seen: (200, {"in_progress": 3, "new_contents": 2})
    sign_in(client, services)
    home = client.get("/").get_data(as_text=True)
    assert re.search(r'tile-support" href="/support".*?<span class="tile-count">3</span> '
                     r'<span class="tile-count-label">requests in progress', home, re.S)
    assert re.search(r'tile-support-contents" href="/support".*?<span class="tile-count">2</span>', home, re.S)


def test_the_supervised_sites_pick_a_company_and_the_requester_adds_followers(client, services, grant):
    grant("u1", "request-service", "c1")
    grant("u1", "request-service-supervision", "c1")
    support = _support(services)
    services["identity"].routes[("GET", "/identity/companies")] = lambda seen: (200, {"items": [
        {"company": {"id": "c1", "name": "Durand"}}, {"company": {"id": "c7", "name": "Shop Lyon"}}], "total": 2})
    support.routes[("GET", "/support/requests/r1/colleagues")] = lambda seen: (200, {"items": [
        {"user_id": "u2", "name": "Paul Martin"}], "total": 1})
    sign_in(client, services)
    page = client.get("/support?scope=supervised&company=c7").get_data(as_text=True)
    assert '<option value="c7" selected>Shop Lyon</option>' in page and "Supervised sites" in page
    seen = support.received[-1]
    assert "scope=supervised" in seen.query and "company=c7" in seen.query
    client.get("/support?scope=supervised&company=elsewhere")
    assert "company=" not in support.received[-1].query  # a company not offered is not asked for

    detail = client.get("/support/requests/r1").get_data(as_text=True)
    assert '<option value="u2">Paul Martin</option>' in detail
    support.routes[("POST", "/support/requests/r1/followers")] = lambda seen: (200, DETAIL)
    token = CSRF.search(detail).group(1)
    added = client.post("/support/requests/r1/followers", data={"user_ids": "u2", "csrf_token": token})
    assert added.status_code == 303 and json.loads(support.last.body) == {"user_ids": ["u2"]}
    none = client.post("/support/requests/r1/followers", data={"csrf_token": token})
    assert none.status_code == 400 and "Choose at least one colleague." in none.get_data(as_text=True)
