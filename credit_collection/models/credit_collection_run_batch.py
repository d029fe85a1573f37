import logging
import time
from collections import Counter
from datetime import date, timedelta

from odoo import fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..tools import collection_planner as planner

_logger = logging.getLogger(__name__)


class CreditCollectionRunBatch(models.Model):
    """A slice of a run's customers: the unit a worker claims, processes and
    commits. Several workers share a run by claiming different batches; a
    batch whose worker died is still pending and is claimed again."""

    _name = "credit.collection.run.batch"
    _description = "Collection Run Batch"
    _order = "run_id, sequence"

    run_id = fields.Many2one(
        "credit.collection.run", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="run_id.company_id", store=True, index=True)
    sequence = fields.Integer(required=True)
    customer_list = fields.Json(
        string="Customers", required=True, help="Ids of the customers of the batch."
    )
    state = fields.Selection(
        [("pending", "Pending"), ("done", "Done")],
        required=True,
        default="pending",
        index=True,
    )
    customer_count = fields.Integer()
    action_count = fields.Integer()
    skip_stats = fields.Json()
    error_count = fields.Integer()
    error_log = fields.Text()
    duration = fields.Float(digits=(16, 2))

    def _process(self, context):
        """Decide and record the actions of the batch's customers: a fixed
        number of queries, whatever the number of items."""
        self.ensure_one()
        started = time.monotonic()
        partner_ids = self.customer_list
        company = self.company_id
        Action = self.env["credit.collection.action"]
        partners = self.env["res.partner"].with_company(company).browse(partner_ids)
        # What deciding reads, alone: reading one field would load every
        # stored column of the batch's customers (0.5 s of a 3 s rerun), and
        # reading one company-dependent field every company-dependent one,
        # each with its fallback (1 s of a cold run).
        partners.fetch(
            [
                "collection_scenario_id",
                "payer_profile",
                "collection_excluded",
                "collection_litigation_date",
                "collection_user_id",
            ]
        )
        escalate = self.run_id._partners_to_escalate(partner_ids)
        skip_stats, vals_list, decisions, superseded, items = self._decide(
            partners, escalate, context
        )
        actions = Action._create_from_run(vals_list, self)
        done = actions.filtered(lambda action: action.state != "failed")
        # An open agenda action gives way only to an action that can be done.
        superseded.filtered(lambda a: a.partner_id in done.partner_id)._supersede()
        self._advance_items(done, decisions, items, context)
        # Items that reached a stage blocking sales block their account.
        done.partner_id._collection_refresh_blocking(company)
        done.filtered(lambda action: not action.auto)._schedule_collector_activity()
        for model in self.run_id._escalating_models():
            self.env[model]._mark_escalated(
                company, set(done.partner_id.ids) & escalate
            )
        self.write(
            {
                "state": "done",
                "customer_count": len(partner_ids),
                "action_count": len(actions),
                "skip_stats": dict(skip_stats),
                "duration": time.monotonic() - started,
            }
        )

    def _decide(self, partners, escalate, context):
        """What the run does for each customer of the batch (``escalate``:
        the ids of those to escalate): ``(skip statistics, values of the
        actions to create, {customer id: (decision, scenario)}, the agenda
        actions they supersede, the open items read)``."""
        company = self.company_id
        Action = self.env["credit.collection.action"]
        history = Action._run_history(company, partners.ids, context["today"])
        states = {
            partner.id: self._customer_state(
                partner, history.get(partner.id, {}), escalate, context
            )
            for partner in partners
        }
        # The items of customers skipped whatever they owe (handled today,
        # excluded, under a formal notice...) are not read: a second run the
        # same day reads almost none.
        owing = [
            partner_id
            for partner_id, (state, _scenario) in states.items()
            if not planner.customer_skip_reason(state, context["today"])
        ]
        items = self._load_items(owing, context)
        recipients = self.env["credit.collection.contact"]._recipients_of(
            partners.browse(owing)
        )
        skip_stats = Counter()
        vals_list, decisions, superseded = [], {}, Action
        shared = self._shared_values(context)
        for partner in partners:
            state, scenario = states[partner.id]
            state.items = items.get(partner.id, [])
            decision = planner.plan_customer(state, context["today"])
            if not decision.stage:
                skip_stats[decision.skip_reason] += 1
                continue
            try:
                vals = self._action_values(
                    partner,
                    scenario,
                    decision,
                    recipients.get(partner.id),
                    shared,
                    context,
                )
            except (UserError, ValidationError, KeyError, ValueError) as error:
                # One customer's bad data must not stop the batch.
                self._log_error(partner, error)
                continue
            if decision.supersede_pending:
                superseded |= Action.browse(history[partner.id]["pending_action_id"])
            decisions[partner.id] = (decision, scenario)
            vals_list.append(vals)
        return skip_stats, vals_list, decisions, superseded, items

    def _customer_state(self, partner, past, escalate, context):
        """``(planner.CustomerState without its items, scenario)`` of a
        customer, from its run history ``past``."""
        scenario, stages = self._scenario_of(partner, context)
        state = planner.CustomerState(
            items=[],
            stages=stages,
            min_interval_days=scenario.min_interval_days if scenario else 0,
            excluded=partner.collection_excluded,
            litigation=bool(partner.collection_litigation_date),
            good_payer=partner.payer_profile == "good",
            last_action_date=past.get("last_date"),
            acted_today=past.get("acted_today", False),
            pending_stage_id=past.get("pending_stage_id"),
            retry_stage_id=past.get("retry_stage_id"),
            escalate=partner.id in escalate,
            foreign_stage_days=context["stage_days"],
            notice_until=self._notice_until(past, context),
        )
        return state, scenario

    @staticmethod
    def _notice_until(past, context):
        """Until when a formal notice (the latest action, done) gives the
        customer time to pay: its receipt date plus the stage's notice days;
        ``date.max`` while the receipt is not recorded."""
        stage = context["stages"].get(past.get("done_stage_id"))
        if not stage or not stage.notice_days:
            return None
        receipt = past.get("receipt_date")
        return receipt + timedelta(days=stage.notice_days) if receipt else date.max

    def _log_error(self, partner, error):
        """Record why a customer could not be handled; the batch goes on."""
        message = self.env._(
            "%(customer)s: %(error)s", customer=partner.display_name, error=error
        )
        _logger.warning("Collection run %s: %s", self.run_id.id, message)
        self.write(
            {
                "error_count": self.error_count + 1,
                "error_log": "\n".join(filter(None, [self.error_log, message])),
            }
        )

    def _scenario_of(self, partner, context):
        """The scenario a customer follows and its stages in escalation order:
        its own, else its payer profile's, else the company default."""
        scenario_id = partner._collection_scenario(
            self.company_id, context["profile_scenarios"]
        ).id
        scenario, stages = context["scenarios"].get(scenario_id, (None, []))
        return scenario, stages

    def _load_items(self, partner_ids, context):
        """Open receivable items of the customers, grouped per customer."""
        if not partner_ids:  # a second run the same day: nobody to read
            return {}
        self.env["account.move.line"].flush_model()
        self.env["account.move"].flush_model(["collection_status"])
        self.env.cr.execute(
            SQL(
                """
                SELECT line.id,
                       partner.commercial_partner_id,
                       line.move_id,
                       COALESCE(line.date_maturity, line.date),
                       line.amount_residual,
                       item_state.stage_id,
                       move.collection_status
                  %(open_items)s
                 ORDER BY line.id
                """,
                open_items=self.env["credit.collection.ledger"]._open_items_sql(
                    self.company_id.id,
                    join=SQL(
                        "JOIN account_move move ON move.id = line.move_id "
                        "LEFT JOIN credit_collection_item_state item_state "
                        "ON item_state.move_line_id = line.id"
                    ),
                    where=self.env["credit.collection.ledger"]._of_customers(
                        partner_ids
                    ),
                ),
            )
        )
        rows = self.env.cr.fetchall()
        line_ids = [row[0] for row in rows]
        held = self.env["credit.collection.promise"]._suspended_line_ids(
            self.company_id, line_ids, context["today"]
        )
        held |= self.env["credit.collection.plan"]._held_line_ids(
            self.company_id, line_ids
        )
        disputed = self.env["credit.collection.dispute"]._disputed_amounts(
            self.company_id, line_ids
        )
        suspended = context["suspended_statuses"]
        items = {}
        for (
            line_id,
            partner_id,
            move_id,
            due,
            residual,
            stage_id,
            status,
        ) in rows:
            items.setdefault(partner_id, []).append(
                planner.Item(
                    id=line_id,
                    move_id=move_id,
                    due=due,
                    # Only the disputed part of an item waits.
                    residual=residual - disputed.get(line_id, 0.0),
                    stage_id=stage_id,
                    suspended=status in suspended or line_id in held,
                )
            )
        return items

    def _shared_values(self, context):
        """What the actions of the batch share, read once: their common
        values, the agenda bucket of each state, the company's country and
        the default collector's id."""
        today, planned = context["today"], context["planned_date"]
        Action = self.env["credit.collection.action"]
        return {
            "values": {
                "notice_deadline": False,  # known once the letter is received
                "currency_id": context["currency_id"],
                "company_id": self.company_id.id,
                "date": planned,
                "run_id": self.run_id.id,
                "run_date": today,
            },
            "buckets": {
                state: Action._bucket_of(planned, state, today)
                for state in ("todo", "failed")
            },
            "home_country": self.company_id.country_id,
            "default_collector": context["default_collector"].id,
        }

    def _action_values(self, partner, scenario, decision, recipients, shared, context):
        stage = context["stages"][decision.stage.id]
        open_items = sum(
            1 for item_id in decision.item_ids if item_id in decision.item_stages
        )
        to, cc = recipients or (self.env["res.partner"], self.env["res.partner"])
        reached = to | cc
        channel = stage._channel_for(
            partner.is_company,
            not partner.country_id or partner.country_id == shared["home_country"],
            open_items,
            any(reached.mapped("email")),
        )
        problem = self.env["credit.collection.action"]._recipient_problem(
            channel, partner, reached
        )
        state = "failed" if problem else "todo"
        return {
            **shared["values"],
            # name and level given, not computed: no UPDATE after the INSERT
            "name": self.env["credit.collection.action"]._name_of(partner, stage),
            "level": stage.level,
            "date_bucket": shared["buckets"][state],
            "partner_id": partner.id,
            "scenario_id": scenario.id,
            "stage_id": stage.id,
            "channel": channel,
            "auto": stage.auto,
            "user_id": partner.collection_user_id.id or shared["default_collector"],
            "state": state,
            "failure_reason": problem or False,
            "recipient_ids": [fields.Command.set(to.ids)],
            "recipient_cc_ids": [fields.Command.set(cc.ids)],
            "move_line_ids": [fields.Command.set(decision.item_ids)],
            "amount_due": decision.amount_due,
            "amount_overdue": decision.amount_overdue,
        }

    def _advance_items(self, actions, decisions, items, context):
        """Record the stage each item reached, and on each invoice its
        furthest item stage and the date its next stage falls due."""
        if not actions:
            return
        progress = planner.Progress()
        for partner_id in actions.partner_id.ids:
            decision, scenario = decisions[partner_id]
            planner.record_progress(
                progress,
                items.get(partner_id, []),
                decision,
                context["scenarios"][scenario.id][1],
                context["planned_date"] + timedelta(days=scenario.min_interval_days),
                context["stage_days"],
            )
        self.env["credit.collection.ledger"]._write_progress(context["today"], progress)
