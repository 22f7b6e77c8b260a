"""The events identity consumes, and what each one does: ``HANDLERS``, for the worker.

catalog's grants and ends of "User Management - Administration" and its supervision feed the
administrators read-model (the administrators list, the last-administrator rule).
"""
from . import administrators

HANDLERS = {
    "catalog.SubscriptionAccepted": administrators.on_subscription_accepted,
    "catalog.SubscriptionCancelled": administrators.on_subscription_ended,
    "catalog.SubscriptionExpired": administrators.on_subscription_ended,
}
