"""The pages a mailed link opens (an activation, a password reset, a declarant's password): the
account its token stands for, as identity answers it, or the page saying the link is gone."""
from __future__ import annotations

from urllib.parse import quote

from flask import abort

from . import calls, i18n

# Longer than any token identity makes: such a link is not asked for, it is gone.
MAX_TOKEN_LENGTH = 200


def identity_path(prefix: str, token: str) -> str:
    """identity's route for the link's token (``prefix`` ends with a slash)."""
    return prefix + quote(token, safe="")


def account_of(prefix: str, token: str, gone) -> dict:
    """What identity answers for the token; ``gone()``'s 410 page where the link is used, expired or
    unknown; 503 where identity cannot say. The page then speaks the account's language (the mail
    came in it), unless the visitor chose another."""
    if len(token) > MAX_TOKEN_LENGTH:
        abort(gone())
    status, account = calls.identity("GET", identity_path(prefix, token))
    if status in (404, 410):
        abort(gone())
    if status != 200 or not isinstance(account, dict):
        abort(503)
    i18n.prefer(account.get("language"))
    return account
