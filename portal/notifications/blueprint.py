"""The notifications blueprint: how we contact you, one-click unsubscribe, Notify's delivery
receipts, the panel's defaults and the chair's list of calls to make."""

from flask import Blueprint

bp = Blueprint("notifications", __name__)
