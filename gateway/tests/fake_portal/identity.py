"""identity's answers to the profile, password and administration pages, in memory (the page tests' fake)."""
from __future__ import annotations

import re
import secrets

from .rules import broken_rules


def error(code: str, message: str, fields: dict | None = None) -> dict:
    body = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return {"error": body}


class FakeIdentity:
    """Users of company c1, reset and e-mail-change links, imports; records nothing it is not asked."""

    def __init__(self, portal):
        self.portal = portal
        self.users: dict[str, dict] = {}
        self.resets: dict[str, str] = {}      # token -> e-mail
        self.email_changes: dict[str, tuple[str, str]] = {}  # token -> (user id, new e-mail)
        self.imports: dict[str, dict] = {}
        self.forgotten: list[str] = []
        self.groups: dict[str, dict] = {}

    def add_user(self, email, first_name="Jean", last_name="Martin", status="not_activated", **extra) -> dict:
        user = {"id": secrets.token_hex(8), "email": email, "title": "M", "first_name": first_name,
                "last_name": last_name, "display_name": f"{first_name} {last_name}", "language": "en",
                "function": "", "office_phone": "", "mobile_phone": "", "security_level": 2,
                "status": status, "locked": False, "company": {"id": "c1", "name": "Durand Industries"},
                "groups": [], **extra}
        self.users[user["id"]] = user
        return user

    def _me(self, identity) -> dict | None:
        for account in self.portal.accounts.values():
            if account["id"] == identity.user_id:
                return {"id": account["id"], "email": account["email"], "title": "MME",
                        "first_name": account["first_name"], "last_name": account["last_name"],
                        "display_name": f"{account['first_name']} {account['last_name']}",
                        "language": account["language"], "function": account.get("function", ""),
                        "office_phone": "", "mobile_phone": "", "security_level": account.get("security_level", 2),
                        "status": "active",
                        "company": {"id": "c1", "name": account["company_name"]}}
        return None

    def __call__(self, method, path, identity, json=None, query=None, body=None):  # noqa: C901 - a route table
        me = self._me(identity) if identity is not None and identity.user_id else None
        if method == "POST" and path == "/auth/password/forgot":
            self.forgotten.append(json["email"])
            return 202, None
        match = re.fullmatch(r"/auth/password/reset/(.+)", path)
        if match:
            email = self.resets.get(match.group(1))
            if email is None:
                return 410, error("token_invalid", "Gone.")
            account = self.portal.accounts[email]
            return 200, {"id": account["id"], "email": email, "first_name": account["first_name"],
                         "last_name": account["last_name"], "language": account["language"], "security_level": 2}
        if method == "POST" and path == "/auth/password/reset":
            email = self.resets.get(json["token"])
            if email is None:
                return 410, error("token_invalid", "Gone.")
            account = self.portal.accounts[email]
            return self._set_password(account, json["password"], lambda: self.resets.pop(json["token"]))
        match = re.fullmatch(r"/identity/email-change/(.+)", path)
        if match:
            change = self.email_changes.pop(match.group(1), None)
            return (204, None) if change else (410, error("token_invalid", "Gone."))
        if me is None:
            return 401, error("not_signed_in", "Sign in.")
        account = self.portal.accounts[me["email"]]
        if path == "/identity/me":
            if method == "PATCH":
                account.update({key: value for key, value in json.items()
                                if key in ("first_name", "last_name", "language", "function")})
                return 200, self._me(identity)
            return 200, me
        if path == "/identity/me/password-profile":
            return 200, {key: me[key] for key in ("id", "email", "first_name", "last_name", "language",
                                                  "security_level")}
        if path == "/identity/me/password":
            if json["current_password"] != account["password"]:
                return 400, error("invalid_input", "Wrong.", {"current_password": ["wrong"]})
            return self._set_password(account, json["new_password"], lambda: None)
        if path == "/identity/me/email":
            if any(a["email"] == json["new_email"] for a in self.portal.accounts.values()):
                return 409, error("email_in_use", "Taken.")
            self.email_changes[secrets.token_urlsafe(8)] = (me["id"], json["new_email"])
            return 202, None
        if path == "/identity/me/audits":
            return 200, {"items": [{"occurred_at": "2026-11-20T09:15:00+00:00", "succeeded": True,
                                    "reason": None, "ip_address": "192.0.2.10", "user_agent": "Firefox"},
                                   {"occurred_at": "2026-11-19T18:02:00+00:00", "succeeded": False,
                                    "reason": "bad_password", "ip_address": "192.0.2.99", "user_agent": "curl"}],
                         "total": 2}
        if path == "/identity/administrators":
            return 200, {"items": [{"role": "administrator", "user": {**me, "company": me["company"]}}]}
        return self._administration(method, path, identity, json, query, body)

    def _set_password(self, account, password, spend):
        broken = broken_rules(password, account)
        if broken:
            return 400, error("password_rules", "Rules.", {"password": broken})
        spend()
        account["password"], account["state"] = password, "active"
        return 204, None

    def _administration(self, method, path, identity, json, query, body):  # noqa: C901
        if not any(e.startswith("user-management-") for e in identity.entitlements or ()):
            return 404, error("not_found", "No such resource.")
        query = query or {}
        if path == "/identity/users/counts":
            users = list(self.users.values())
            return 200, {status: sum(u["status"] == status for u in users)
                         for status in ("active", "not_activated", "no_email")} | {
                "new_since_last_sign_in": len(users), "groups": 0}
        if path == "/identity/functions":
            return 200, {"items": sorted({u["function"] for u in self.users.values() if u["function"]})}
        if path == "/identity/companies":
            return 200, {"items": [{"company": {"id": "c1", "name": "Durand Industries"}, "relation": "own"}]}
        if path.startswith("/identity/groups"):
            return self._groups(method, path, json)
        if path == "/identity/users" and method == "GET":
            users = sorted(self.users.values(), key=lambda u: (u["last_name"], u["first_name"]))
            for word in (query.get("q") or "").lower().split():
                users = [u for u in users if word in f"{u['first_name']} {u['last_name']} {u['email']}".lower()]
            if query.get("status"):
                users = [u for u in users if u["status"] == query["status"]]
            if query.get("group"):
                users = [u for u in users if query["group"] in {g["id"] for g in u["groups"]}]
            if query.get("function"):
                users = [u for u in users if u["function"] == query["function"]]
            page, per_page = int(query.get("page", 1)), int(query.get("per_page", 50))
            return 200, {"items": users[(page - 1) * per_page:page * per_page], "total": len(users)}
        if path == "/identity/users" and method == "POST":
            if any(u["email"] == json["email"] for u in self.users.values()):
                return 409, error("user_exists", "Exists.")
            return 201, self.add_user(**json)
        if path == "/identity/users/activation-mails":
            sent = [i for i in json["user_ids"] if self.users.get(i, {}).get("status") == "not_activated"]
            return 202, {"sent": sent, "skipped": [{"user_id": i, "reason": "already_active"}
                                                   for i in json["user_ids"] if i not in sent]}
        match = re.fullmatch(r"/identity/users/([^/]+)(/unlock)?", path)
        if match:
            user = self.users.get(match.group(1))
            if user is None:
                return 404, error("not_found", "No such resource.")
            if match.group(2):
                user["locked"] = False
                return 200, user
            if method == "PATCH":
                user.update(json)
                return 200, user
            if method == "DELETE":
                if user.get("administrator"):
                    return 409, error("last_administrator", "Last.")
                del self.users[user["id"]]
                return 204, None
            return 200, user
        if path == "/identity/imports" and method == "POST":
            return self._import(identity, body)
        match = re.fullmatch(r"/identity/imports/([^/]+)/start", path)
        if match and method == "POST":
            return self._start(identity, match.group(1))
        match = re.fullmatch(r"/identity/imports/([^/]+)", path)
        job = self.imports.get(match.group(1)) if match else None
        if job is not None and job.get("owner") in (None, identity.user_id):
            return 200, self._report(job)
        return 404, error("not_found", "No such resource.")

    def _groups(self, method, path, json):
        if path == "/identity/groups" and method == "GET":
            items = [{**group, "member_count": sum(group["id"] in {g["id"] for g in u["groups"]}
                                                   for u in self.users.values())} for group in self.groups.values()]
            return 200, {"items": items, "total": len(items)}
        if path == "/identity/groups":
            if any(g["name"] == json["name"] for g in self.groups.values()):
                return 409, error("group_exists", "Exists.")
            group = {"id": secrets.token_hex(8), "company_id": "c1", "name": json["name"]}
            self.groups[group["id"]] = group
            return 201, group
        match = re.fullmatch(r"/identity/groups/([^/]+)(/members)?(?:/([^/]+))?", path)
        group = self.groups.get(match.group(1)) if match else None
        if group is None:
            return 404, error("not_found", "No such resource.")
        if match.group(2) and method == "POST":
            for user_id in json["user_ids"]:
                self.users[user_id]["groups"].append({"id": group["id"], "name": group["name"]})
            return 200, group
        if match.group(2):
            user = self.users[match.group(3)]
            user["groups"] = [g for g in user["groups"] if g["id"] != group["id"]]
            return 204, None
        if method == "PATCH":
            group["name"] = json["name"]
            return 200, group
        del self.groups[group["id"]]
        return 204, None

    # -- imports: a dry run is an import in "preview" that identity keeps; "start" runs it -------
    def _import(self, identity, body: bytes):
        if b'name="dry_run"\r\n\r\ntrue' not in body:
            return 400, error("invalid_input", "Check the file with dry_run=true first.", {"dry_run": ["Required."]})
        content = body.split(b"Content-Type: text/csv\r\n\r\n", 1)[1].rsplit(b"\r\n--", 1)[0]
        if not content.strip():
            return 400, error("empty_file", "Empty.")
        lines = content.decode("utf-8-sig").splitlines()
        rejected, preview = [], []
        for number, line in enumerate(lines, start=1):
            cells = (line.split(";") + [""] * 8)[:8]
            if number == 1 and "@" not in cells[3]:
                continue  # the column names
            if "@" not in cells[3]:
                rejected.append({"line": number, "reason": "bad_email"})
            else:
                item = {"line": number, **dict(zip(PREVIEW_FIELDS, cells))}
                item["security_level"] = int(cells[7]) if cells[7].isdigit() else None
                preview.append(item)
        job = {"id": secrets.token_hex(8), "status": "preview", "total": len(rejected) + len(preview),
               "processed": 0, "created": 0, "rejected": rejected, "file_name": "users.csv",
               "owner": identity.user_id, "lines": preview}
        self.imports[job["id"]] = job
        return 202, {**self._report(job), "preview": preview}

    def _start(self, identity, import_id: str):
        job = self.imports.get(import_id)
        if job is None or job.get("owner") not in (None, identity.user_id):
            return 404, error("not_found", "No such resource.")
        if job["status"] == "expired":
            return 410, error("preview_expired", "Check the file again.")
        if job["status"] != "preview":
            return 409, error("import_started", "This import has started already.")
        for cells in job["lines"]:
            self.add_user(cells["email"], first_name=cells["first_name"], last_name=cells["last_name"])
        job.update(status="done", processed=job["total"], created=len(job["lines"]))
        return 202, {"id": job["id"], "status": "queued"}

    @staticmethod
    def _report(job: dict) -> dict:
        return {key: job[key] for key in ("id", "status", "total", "processed", "created", "rejected", "file_name")
                if key in job}


PREVIEW_FIELDS = ("title", "last_name", "first_name", "email", "phone", "mobile", "language", "security_level")
