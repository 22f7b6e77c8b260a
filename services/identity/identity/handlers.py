"""The events identity consumes, and what each one does: ``HANDLERS``, for the worker.

catalog's grants and ends of "User Management - Administration" and its supervision feed the
administrators read-model (the administrators list, the last-administrator rule); operators'
decisions in assets and the catalog go to the trail of the company they touch (``operator_trail``).
"""
from . import administrators, operator_trail

HANDLERS = {
    "catalog.SubscriptionAccepted": administrators.on_subscription_accepted,
    "catalog.SubscriptionCancelled": administrators.on_subscription_ended,
    "catalog.SubscriptionExpired": administrators.on_subscription_ended,
    "catalog.ServicePublished": operator_trail.on_service_published,
    "catalog.ServiceRetired": operator_trail.on_service_retired,
    "assets.ContractRecorded": operator_trail.on_contract_recorded,
    "assets.ContractEndScheduled": operator_trail.on_contract_end_scheduled,
    "assets.ContractEnded": operator_trail.on_contract_ended,
}
