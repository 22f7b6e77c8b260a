"""The events identity consumes, and what each one does: ``HANDLERS``, for the worker.

catalog's grants and ends of "User Management - Administration" and its supervision feed the
administrators read-model (the administrators list, the last-administrator rule); assets'
contract decisions by operators go to the company's administration trail.
"""
from . import administrators, contract_trail

HANDLERS = {
    "catalog.SubscriptionAccepted": administrators.on_subscription_accepted,
    "catalog.SubscriptionCancelled": administrators.on_subscription_ended,
    "catalog.SubscriptionExpired": administrators.on_subscription_ended,
    "assets.ContractRecorded": contract_trail.on_contract_recorded,
    "assets.ContractEndScheduled": contract_trail.on_contract_end_scheduled,
    "assets.ContractEnded": contract_trail.on_contract_ended,
}
