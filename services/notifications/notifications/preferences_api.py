"""A user's preference for the mails of new content (``/notifications/preferences``): one mail per
item at once, or one daily digest. The gateway's notifications page reads and sets it."""
from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from portalkit.db import utcnow
from portalkit.web import Blueprint, caller, db_session, signed_in

from .fanout import DAILY_DIGEST, IMMEDIATE, set_mode_of_pending
from .models import MailPreference
from .settings import ContentSettings

blp = Blueprint("preferences", __name__, url_prefix="/notifications",
                description="How one is told of new content")
CHOICES = (IMMEDIATE, DAILY_DIGEST)


class PreferencesIn(Schema):
    class Meta:
        unknown = RAISE

    content_mails = fields.String(required=True, validate=validate.OneOf(CHOICES), metadata={
        "description": "`immediate`: a mail per new item; `daily_digest`: one mail a day listing them"})


class PreferencesSchema(Schema):
    content_mails = fields.String(metadata={"enum": list(CHOICES)})
    digest_hour = fields.Integer(metadata={"description": "the hour (0-23) the daily digest goes out"})
    time_zone = fields.String(metadata={"description": "the zone of that hour"})


def _shown(preference: MailPreference | None) -> dict:
    content = ContentSettings.load()
    return {"content_mails": preference.content_mails if preference else IMMEDIATE,
            "digest_hour": content.digest_hour, "time_zone": content.time_zone}


@blp.route("/preferences", methods=["GET"])
@signed_in
@blp.response(200, PreferencesSchema)
def read():
    """One's preference for the mails of new content (``immediate`` until one chooses)."""
    return _shown(db_session().get(MailPreference, caller().user_id))


@blp.route("/preferences", methods=["PUT"])
@blp.refuses(400)
@signed_in
@blp.arguments(PreferencesIn)
@blp.response(200, PreferencesSchema)
def change(data):
    """Choose a mail per new item or a daily digest; items not yet told follow the new choice."""
    session = db_session()
    user_id = caller().user_id
    preference = session.get(MailPreference, user_id)
    if preference is None:
        preference = MailPreference(user_id=user_id)
        session.add(preference)
    preference.content_mails, preference.updated_at = data["content_mails"], utcnow()
    set_mode_of_pending(session, user_id, data["content_mails"])
    session.commit()
    return _shown(preference)
