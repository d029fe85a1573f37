"""An integrator's calls against the running server, with the standard
library's XML-RPC and JSON-RPC clients: post an invoice, start a run as a
Collections manager, read the agenda, log an outcome with a promise; and
the same calls refused, writing nothing, to a portal user and to an
internal user without Collections rights."""

import datetime

import pytest

from .live.server import RpcError

ACTION = "credit.collection.action"


@pytest.fixture(scope="module")
def users(live):
    manager = live.user(
        "rpc-manager",
        "Rpc Manager",
        ["credit_collection.group_credit_collection_manager"],
        email="manager@collect.example.com",
    )
    portal_customer = live.customer("Rpc Portal Customer")
    live.user(
        "rpc-portal",
        "Rpc Portal",
        ["base.group_portal"],
        partner_id=portal_customer,
    )
    live.user("rpc-employee", "Rpc Employee", ["base.group_user"])
    return manager


def _outcome_context(action_id):
    return {"context": {"active_model": ACTION, "active_id": action_id}}


def _integrator_day(live, rpc, customer):
    """What an integrator's script does in a day: post an invoice, run the
    collection now, read the agenda, log the customer's promise."""
    invoice = live.invoice(customer, 2500, days_late=50, rpc=rpc)
    run = rpc("credit.collection.run", "action_run_now", [])
    [done] = rpc("credit.collection.run", "read", [run["res_id"]], ["state"])
    assert done["state"] == "done"
    agenda = rpc(
        ACTION,
        "search_read",
        [("partner_id", "=", customer), ("state", "=", "todo")],
        ["channel", "stage_id", "move_line_ids"],
    )
    assert len(agenda) == 1
    promise_date = str(datetime.date.today() + datetime.timedelta(days=10))
    wizard = rpc(
        "credit.collection.outcome",
        "create",
        {
            "outcome": "promise",
            "promise_date": promise_date,
            "promise_amount": 2500,
            "comment": "Paid with the next transfer run.",
        },
        **_outcome_context(agenda[0]["id"]),
    )
    rpc("credit.collection.outcome", "action_apply", [wizard])
    return invoice, agenda[0]


@pytest.mark.parametrize("protocol", ["xmlrpc", "jsonrpc"])
def test_a_collections_manager_collects_through_rpc(live, users, protocol):
    rpc = getattr(live.server, protocol)("rpc-manager", "rpc-manager")
    customer = live.customer(
        f"Rpc Customer {protocol}", email=f"ap@{protocol}.rpc.example"
    )
    invoice, action = _integrator_day(live, rpc, customer)
    [move] = rpc(
        "account.move",
        "read",
        [invoice],
        ["state", "collection_status", "collection_comment"],
    )
    assert (move["state"], move["collection_status"]) == ("posted", "promised")
    assert move["collection_comment"] == "Paid with the next transfer run."
    [promise] = rpc(
        "credit.collection.promise",
        "search_read",
        [("partner_id", "=", customer)],
        ["amount", "state", "move_line_ids"],
    )
    assert (promise["amount"], promise["state"]) == (2500, "open")
    assert promise["move_line_ids"] == action["move_line_ids"]
    # The promise is confirmed to the customer by email.
    [confirmation] = live.wait_mail(f"ap@{protocol}.rpc.example")
    assert "2,500.00" in confirmation.html()


def _counts(live, customer):
    return {
        model: live.admin(model, "search_count", [("partner_id", "=", customer)])
        for model in (
            "account.move",
            ACTION,
            "credit.collection.promise",
        )
    } | {"runs": live.admin("credit.collection.run", "search_count", [])}


@pytest.mark.parametrize("login", ["rpc-portal", "rpc-employee"])
@pytest.mark.parametrize("protocol", ["xmlrpc", "jsonrpc"])
def test_the_same_calls_are_refused_without_collections_rights(
    live, users, login, protocol
):
    customer = live.customer(f"Rpc Refused {login} {protocol}")
    live.invoice(customer, 900, days_late=50)
    live.admin("credit.collection.run", "action_run_now", [])
    [action] = live.actions(customer)
    before = _counts(live, customer)
    rpc = getattr(live.server, protocol)(login, login)
    calls = [
        (
            "account.move",
            "create",
            ({"move_type": "out_invoice", "partner_id": customer},),
            {},
        ),
        ("credit.collection.run", "action_run_now", ([],), {}),
        (ACTION, "search_read", ([("partner_id", "=", customer)], ["state"]), {}),
        (ACTION, "read", ([action["id"]], ["state"]), {}),
        (
            "credit.collection.outcome",
            "create",
            ({"outcome": "promise", "promise_amount": 900},),
            _outcome_context(action["id"]),
        ),
        (
            "credit.collection.promise",
            "create",
            (
                {
                    "partner_id": customer,
                    "amount": 900,
                    "date": str(datetime.date.today()),
                },
            ),
            {},
        ),
    ]
    for model, method, args, kwargs in calls:
        with pytest.raises(RpcError) as refused:
            rpc(model, method, *args, **kwargs)
        assert refused.value.name == "AccessError", (model, method, refused.value)
    assert _counts(live, customer) == before
