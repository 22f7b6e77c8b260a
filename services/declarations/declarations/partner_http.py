"""The EDI partner's HTTPS client (``Partner`` over the partner API of the README): one pooled
session; no answer, 5xx and 429 are ``PartnerUnavailable``, any other 4xx ``PartnerRefused``."""
from __future__ import annotations

from datetime import datetime

import requests
from requests.adapters import HTTPAdapter

from .partner import PartnerRefused, PartnerUnavailable, Report, Submission

SIMULATION_HEADER = "EDI-Simulation"


class HttpsPartner:
    """``Partner`` at ``base_url`` (``…/v1/interchanges``), authenticated by a bearer ``token``."""

    def __init__(self, base_url: str, token: str, timeout: float = 10.0, ca_bundle: str | None = None):
        self.base_url, self.timeout = base_url.rstrip("/"), timeout
        self.session = requests.Session()
        # Retries are the transmission worker's (with backoff, on PartnerUnavailable), not urllib3's.
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=8, max_retries=0)
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)
        self.session.headers["Authorization"] = f"Bearer {token}"
        if ca_bundle:
            self.session.verify = ca_bundle

    def submit(self, deposit_id: str, siren: str, content: bytes) -> Submission:
        response = self._call("POST", "/v1/interchanges", data=content, headers={
            "Content-Type": "application/edifact", "Idempotency-Key": deposit_id, "X-Siren": siren})
        body = _json(response)
        reference = body.get("reference")
        if not isinstance(reference, str) or not reference:
            raise PartnerUnavailable(f"the partner's answer names no reference (HTTP {response.status_code})")
        return Submission(reference=reference, simulation=_simulated(response, body),
                          extra={key: value for key, value in body.items() if key not in ("reference", "simulation")})

    def reports(self, reference: str) -> list[Report]:
        response = self._call("GET", f"/v1/interchanges/{requests.utils.quote(reference, safe='')}/reports")
        body = _json(response)
        items = body.get("reports")
        if not isinstance(items, list):
            raise PartnerUnavailable("the partner's answer holds no list of reports")
        return [_report(item, response) for item in items]

    def close(self) -> None:
        self.session.close()

    def _call(self, method: str, path: str, **kwargs) -> requests.Response:
        try:
            response = self.session.request(method, self.base_url + path, timeout=self.timeout, **kwargs)
        except requests.RequestException as error:
            raise PartnerUnavailable(f"{method} {path}: {type(error).__name__}: {error}") from None
        status = response.status_code
        if status >= 500 or status == 429:
            raise PartnerUnavailable(f"{method} {path}: HTTP {status}")
        if status >= 400:
            error = _json(response, strict=False).get("error") or {}
            code = error.get("code") if isinstance(error, dict) else None
            detail = error.get("message") if isinstance(error, dict) else None
            raise PartnerRefused(str(code or f"http_{status}"), str(detail or response.text[:500]))
        return response


def _json(response: requests.Response, strict: bool = True) -> dict:
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        if strict:
            raise PartnerUnavailable(f"the partner answered HTTP {response.status_code} without a JSON object")
        return {}
    return body


def _simulated(response: requests.Response, body: dict) -> bool:
    # A simulation mark is never cleared: the header or the body's field is enough (either alone).
    return response.headers.get(SIMULATION_HEADER, "").strip().lower() == "true" or body.get("simulation") is True


def _report(item, response: requests.Response) -> Report:
    if not isinstance(item, dict):
        raise PartnerUnavailable("a report of the partner is not an object")
    try:
        at = datetime.fromisoformat(str(item["at"]).replace("Z", "+00:00"))
        return Report(id=str(item["id"]), source=str(item["source"]), outcome=str(item["outcome"]), at=at,
                      codes=tuple(str(code) for code in item.get("codes") or ()),
                      detail=str(item.get("detail") or ""), simulation=_simulated(response, item))
    except (KeyError, ValueError) as error:
        raise PartnerUnavailable(f"a report of the partner is malformed: {error}") from None


def make_partner(settings) -> HttpsPartner:
    """The partner of ``DeclarationsSettings`` (the simulated one by default in embedded mode)."""
    return HttpsPartner(settings.partner_url, settings.partner_token, settings.partner_timeout,
                        settings.partner_ca_bundle)
