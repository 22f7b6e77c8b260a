"""The back office's support pages against faked services: operators only (a client gets 403, a
request another company's or absent 404); the queue's criteria passed to support, its rows, the
weekly chart and the deflections; one request with its internal notes marked, operators named from
identity's list, only the moves support allows; the answer's form streamed on with its CSRF token in
the address, the status move and the assignment CSRF-checked."""
from __future__ import annotations

import html
import json
import re
from urllib.parse import parse_qs

ACTION = re.compile(r'action="(/operator/support/r1/answers\?csrf_token=[^"]+)"')
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
CLOCK = {"state": "breached", "running": "first_response", "paused": False,
         "first_response_due": "2026-12-01T10:00:00+00:00", "first_response_at": None,
         "resolution_due": "2026-12-04T10:00:00+00:00", "answer_expected_by": "2026-12-01T10:00:00+00:00"}
SUMMARY = {"id": "r1", "number": "SR-2026-000042", "subject": "Payslips <b>do not</b> print", "status": "new",
           "severity": "major", "product": {"id": "p1", "name": "Accounting"},
           "company": {"id": "c9", "name": "Acme"}, "requester": {"user_id": "u9", "name": "Ann Lee", "kind": "client"},
           "assignee_id": "op2", "created_at": "2026-11-30T09:00:00+00:00", "updated_at": "2026-11-30T09:00:00+00:00",
           "clock": CLOCK}
DETAIL = {**SUMMARY, "description": "Since this morning.", "contact_phone": "+33 1 23", "followers": [],
          "attachments": [{"id": "a1", "file_name": "screen.png", "content_type": "image/png", "size": 2048,
                           "sha256": "x", "url": "/api/operator/support/requests/r1/attachments/a1"}],
          "thread": [{"id": "m1", "author": {"user_id": "op2", "name": "Support", "kind": "operator"},
                      "body": "Customer is on v6", "internal": True, "created_at": "2026-11-30T10:00:00+00:00",
                      "attachments": []},
                     {"id": "m2", "author": {"user_id": "u9", "name": "Ann Lee", "kind": "client"},
                      "body": "Still broken", "internal": False, "created_at": "2026-11-30T11:00:00+00:00",
                      "attachments": []}],
          "history": [{"at": "2026-11-30T09:00:00+00:00", "from_status": None, "to_status": "new",
                       "actor": {"user_id": "u9", "name": "Ann Lee", "kind": "client"}}],
          "allowed_moves": ["in_progress", "waiting_for_customer", "resolved", "closed"]}
OPERATORS = {"items": [{"id": "op1", "display_name": "Olga Op", "status": "active"},
                       {"id": "op2", "display_name": "Paul Operator", "status": "active"}], "total": 2}
WEEKS = {"weeks": [{"week": f"2026-{11 if n < 4 else 12}-{(n * 7 % 28) + 1:02d}", "opened": n, "resolved": n // 2}
                   for n in range(12)]}


def _operator(client, open_session, language="en"):
    client.set_cookie("portal_session", open_session("op1", None, operator=True, display_name="Olga Op",
                                                     language=language))


def _fake(services, detail=DETAIL):
    support = services["support"].routes
    support[("GET", "/operator/support/requests")] = lambda seen: (200, {"items": [SUMMARY], "total": 1})
    support[("GET", "/operator/support/requests/r1")] = lambda seen: (200, detail)
    support[("GET", "/operator/support/stats")] = lambda seen: (200, WEEKS)
    support[("GET", "/operator/support/deflections")] = lambda seen: (200, {
        "items": [{"id": "d1", "company_id": "c9", "article_id": "k1", "subject": "Print settings",
                   "created_at": "2026-11-29T10:00:00+00:00"}], "total": 3, "by_article": {"k1": 3}})
    services["identity"].routes[("GET", "/operator/operators")] = lambda seen: (200, OPERATORS)
    services["assets"].routes[("GET", "/operator/products")] = lambda seen: (200, {"items": [
        {"id": "p1", "code": "ACC", "name_en": "Accounting", "name_fr": "Comptabilité"}], "total": 1})


def _token(page: str) -> str:
    return CSRF.search(page).group(1)


def test_only_operators_open_them(client, portal, services):
    _fake(services)
    assert client.get("/operator/support").headers["Location"].startswith("/login?next=")
    client.set_cookie("portal_session", portal.open_session("claire@client.test"))
    assert client.get("/operator/support").status_code == 403
    assert client.get("/operator/support/r1").status_code == 403
    for path in ("/operator/support/r1/status", "/operator/support/r1/assign", "/operator/support/r1/answers"):
        assert client.post(path, data={"status": "closed"}).status_code in (400, 403)
    assert not [seen for seen in services["support"].received if seen.method == "POST"]


def test_the_queue_passes_its_criteria_and_shows_rows_chart_and_deflections(client, services, open_session):
    _fake(services)
    _operator(client, open_session)
    page = client.get("/operator/support?status=new&severity=major&product=p1&company=c9&assignee=me"
                      "&clock=breached&q=SR-2026").get_data(as_text=True)
    [queue] = [seen for seen in services["support"].received if seen.path == "/operator/support/requests"]
    asked = parse_qs(queue.query)
    assert {name: values[0] for name, values in asked.items()} == {
        "status": "new", "severity": "major", "product_id": "p1", "company_id": "c9", "assignee": "me",
        "clock": "breached", "q": "SR-2026", "page": "1", "per_page": "20"}
    assert "SR-2026-000042" in page and 'href="/operator/support/r1"' in page
    assert "Payslips &lt;b&gt;do not&lt;/b&gt; print" in page and "Paul Operator" in page
    assert 'class="row-late"' in page and "Late" in page and "Displaying items 1 - 1 of 1" in page
    assert "<svg" in page and "Opened" in page and "Resolved" in page and "Week of" in page
    assert "3 requests not opened" in page and "Print settings" in page
    assert 'href="/operator/support"' in page  # the back office's menu
    assert "More than" not in page
    stats = [seen for seen in services["support"].received if seen.path == "/operator/support/stats"]
    assert stats[0].query == "weeks=12"


def test_a_capped_total_says_so(client, services, open_session):
    _fake(services)
    services["support"].routes[("GET", "/operator/support/requests")] = lambda seen: (200, {
        "items": [SUMMARY], "total": 10_000, "total_capped": True})
    _operator(client, open_session)
    page = client.get("/operator/support").get_data(as_text=True)
    assert "More than 10000 requests match" in page and "of 10000" in page


def test_the_queue_drops_unknown_criteria_and_speaks_french(client, services, open_session):
    _fake(services)
    _operator(client, open_session, "fr")
    page = client.get("/operator/support?status=lost&assignee=nobody&clock=late").get_data(as_text=True)
    [queue] = [seen for seen in services["support"].received if seen.path == "/operator/support/requests"]
    assert queue.query == "page=1&per_page=20"
    assert "Demandes de support" in page and "En retard" in page and "Ouvertes" in page
    assert "Non assignées" in page and "Nouvelle" in page


def test_a_request_shows_its_thread_with_internal_notes_marked(client, services, open_session):
    _fake(services)
    _operator(client, open_session)
    page = client.get("/operator/support/r1").get_data(as_text=True)
    assert "Customer is on v6" in page and "Internal note — not shown to the client" in page
    assert page.count("support-comment-internal") == 1 and "Paul Operator" in page and "Ann Lee" in page
    assert 'href="/api/operator/support/requests/r1/attachments/a1"' in page and "screen.png" in page
    options = re.findall(r'<option value="([a-z_]+)">', page.split('id="status"')[1].split("</select>")[0])
    assert options == ["in_progress", "waiting_for_customer", "resolved", "closed"]
    assert "Late" in page and "Payslips &lt;b&gt;" in page
    french = client.get("/operator/support/r1", headers={"Accept-Language": "fr"})
    _operator(client, open_session, "fr")
    french = client.get("/operator/support/r1").get_data(as_text=True)
    assert "Note interne — invisible du client" in french and "Historique" in french


def test_an_absent_request_is_404(client, services, open_session):
    _fake(services)
    services["support"].routes[("GET", "/operator/support/requests/nope")] = lambda seen: (404, {
        "error": {"code": "not_found", "message": "x"}})
    _operator(client, open_session)
    assert client.get("/operator/support/nope").status_code == 404


def _multipart(fields: dict, boundary: str = "B0und") -> tuple[bytes, str]:
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
             for name, value in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="log.txt"\r\n'
                 f'Content-Type: text/plain\r\n\r\nerror at line 3\r\n--{boundary}--\r\n'.encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def test_the_answer_streams_to_support_with_its_token_checked(client, services, open_session):
    _fake(services)
    sent = []

    def answered(seen):
        sent.append(seen)
        return 201, DETAIL
    services["support"].routes[("POST", "/operator/support/requests/r1/answers")] = answered
    _operator(client, open_session)
    action = html.unescape(ACTION.search(client.get("/operator/support/r1").get_data(as_text=True)).group(1))
    body, content_type = _multipart({"body": "Reinstall the driver."})
    assert client.post("/operator/support/r1/answers", data=body, content_type=content_type).status_code == 400
    assert not sent
    done = client.post(action, data=body, content_type=content_type)
    assert done.status_code == 303 and done.headers["Location"] == "/operator/support/r1?done=answered"
    assert sent[0].body == body and sent[0].headers["Content-Type"] == content_type
    assert "The answer has been sent to the client." in client.get(done.headers["Location"]).get_data(as_text=True)
    body, content_type = _multipart({"body": "Between us", "internal": "1"})
    noted = client.post(action, data=body, content_type=content_type)
    assert noted.headers["Location"] == "/operator/support/r1?done=noted"


def test_the_answers_refusals_are_shown_with_the_text_sent(client, services, open_session):
    _fake(services)
    answers = [(400, {"error": {"code": "invalid_input", "message": "x", "fields": {"body": ["x"]}}}),
               (400, {"error": {"code": "file_refused", "message": "log.exe: not a type accepted."}}),
               (413, {"error": {"code": "too_large", "message": "x"}})]
    services["support"].routes[("POST", "/operator/support/requests/r1/answers")] = lambda seen: answers.pop(0)
    _operator(client, open_session)
    action = html.unescape(ACTION.search(client.get("/operator/support/r1").get_data(as_text=True)).group(1))
    body, content_type = _multipart({"body": "Try <this>"})
    empty = client.post(action, data=body, content_type=content_type)
    assert empty.status_code == 400 and "Write the answer" in empty.get_data(as_text=True)
    assert "Try &lt;this&gt;" in empty.get_data(as_text=True)
    refused = client.post(action, data=body, content_type=content_type).get_data(as_text=True)
    assert "log.exe: not a type accepted." in refused
    large = client.post(action, data=body, content_type=content_type)
    assert large.status_code == 413 and "larger than support accepts" in large.get_data(as_text=True)


def test_status_moves_and_assignment_are_csrf_checked_and_forwarded(client, services, open_session):
    _fake(services)
    calls = []

    def moved(seen):
        calls.append((seen.path, json.loads(seen.body)))
        return (409, {"error": {"code": "move_not_allowed", "message": "x"}}) if len(calls) == 2 else (200, DETAIL)
    services["support"].routes[("POST", "/operator/support/requests/r1/status")] = moved
    services["support"].routes[("POST", "/operator/support/requests/r1/assign")] = moved
    _operator(client, open_session)
    token = _token(client.get("/operator/support/r1").get_data(as_text=True))
    assert client.post("/operator/support/r1/status", data={"status": "resolved"}).status_code == 400
    done = client.post("/operator/support/r1/status", data={"status": "resolved", "csrf_token": token})
    assert done.headers["Location"] == "/operator/support/r1?done=moved"
    refused = client.post("/operator/support/r1/status", data={"status": "closed", "csrf_token": token})
    assert refused.headers["Location"] == "/operator/support/r1?done=move_not_allowed"
    assert client.post("/operator/support/r1/status", data={"status": "lost", "csrf_token": token}).status_code == 400
    mine = client.post("/operator/support/r1/assign", data={"assignee": "me", "csrf_token": token})
    assert mine.headers["Location"] == "/operator/support/r1?done=assigned"
    client.post("/operator/support/r1/assign", data={"assignee": "op2", "csrf_token": token})
    client.post("/operator/support/r1/assign", data={"assignee": "", "csrf_token": token})
    stranger = client.post("/operator/support/r1/assign", data={"assignee": "u9", "csrf_token": token})
    assert stranger.headers["Location"] == "/operator/support/r1?done=not_an_operator"
    assert calls == [("/operator/support/requests/r1/status", {"status": "resolved"}),
                     ("/operator/support/requests/r1/status", {"status": "closed"}),
                     ("/operator/support/requests/r1/assign", {"assignee_id": "op1"}),
                     ("/operator/support/requests/r1/assign", {"assignee_id": "op2"}),
                     ("/operator/support/requests/r1/assign", {"assignee_id": None})]
