import logging
import threading
import time
from collections import Counter

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, split_every
from odoo.tools.translate import LazyTranslate

from . import collection_planner as planner

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)

# Session-level advisory lock key (first half) for "the run of a company":
# held from the start to the end of a run, across its per-batch commits, and
# released by PostgreSQL if the process dies.
RUN_LOCK_KEY = 0x43434F4C  # "CCOL"
DEFAULT_BATCH_SIZE = 500
# Time a cron call spends before it hands over with the progress API.
CRON_TIME_BUDGET = 600

SKIP_REASON_LABELS = {
    planner.SKIP_EXCLUDED: _lt("Excluded from collection"),
    planner.SKIP_GOOD_PAYER: _lt("Good payer"),
    planner.SKIP_NO_SCENARIO: _lt("No scenario with stages"),
    planner.SKIP_NOTHING_OWED: _lt("Nothing owed"),
    planner.SKIP_NOTHING_DUE: _lt("No new stage due"),
    planner.SKIP_INTERVAL: _lt("Too soon after the last action"),
    planner.SKIP_ALREADY_TODAY: _lt("Already handled today"),
    planner.SKIP_PENDING: _lt("Action still open on the agenda"),
}


class CreditCollectionRun(models.Model):
    """One daily run of one company: what it saw, what it did, what failed."""

    _name = "credit.collection.run"
    _description = "Collection Run"
    _order = "started_at desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True
    )
    date = fields.Date(required=True, index=True, readonly=True)
    planned_date = fields.Date(
        readonly=True,
        help="The working day the actions of this run are planned on: the run "
        "day, or the next working day of the company's calendar.",
    )
    trigger = fields.Selection(
        [("cron", "Scheduled"), ("manual", "Run now")], required=True, readonly=True
    )
    user_id = fields.Many2one("res.users", string="Started by", readonly=True)
    state = fields.Selection(
        [
            ("running", "Running"),
            ("done", "Done"),
            ("interrupted", "Interrupted"),
        ],
        required=True,
        default="running",
        readonly=True,
    )
    started_at = fields.Datetime(readonly=True)
    ended_at = fields.Datetime(readonly=True)
    duration = fields.Float(string="Duration (s)", readonly=True, digits=(16, 1))
    last_partner_id = fields.Integer(
        readonly=True,
        help="Customers are processed in increasing id order; a resumed run "
        "starts after this one.",
    )
    batch_count = fields.Integer(string="Batches", readonly=True)
    customer_count = fields.Integer(string="Customers seen", readonly=True)
    action_count = fields.Integer(string="Actions created", readonly=True)
    sent_count = fields.Integer(
        string="Messages queued",
        compute="_compute_outcome_counts",
        help="Automatic messages of this run's actions already in the mail queue.",
    )
    failed_count = fields.Integer(
        string="Failed actions",
        compute="_compute_outcome_counts",
        help="Actions that could not reach the customer, when planned or sent.",
    )
    error_count = fields.Integer(string="Errors", readonly=True)
    error_log = fields.Text(readonly=True)
    skip_stats = fields.Json(readonly=True)
    summary = fields.Text(compute="_compute_summary")
    action_ids = fields.One2many("credit.collection.action", "run_id", readonly=True)

    @api.depends("company_id", "date")
    def _compute_name(self):
        for run in self:
            run.name = self.env._(
                "Collection run of %(date)s (%(company)s)",
                date=run.date,
                company=run.company_id.name,
            )

    @api.depends("action_ids.state")
    def _compute_outcome_counts(self):
        Action = self.env["credit.collection.action"]
        sent = dict(
            Action._read_group(
                [("run_id", "in", self.ids), ("mail_message_id", "!=", False)],
                ["run_id"],
                ["__count"],
            )
        )
        failed = dict(
            Action._read_group(
                [("run_id", "in", self.ids), ("state", "=", "failed")],
                ["run_id"],
                ["__count"],
            )
        )
        for run in self:
            run.sent_count = sent.get(run, 0)
            run.failed_count = failed.get(run, 0)

    @api.depends("skip_stats", "action_ids")
    def _compute_summary(self):
        channels = dict(
            self.env["credit.collection.stage"]
            ._fields["channel"]
            ._description_selection(self.env)
        )
        counts = {
            (run.id, channel): count
            for run, channel, count in self.env["credit.collection.action"]._read_group(
                [("run_id", "in", self.ids)], ["run_id", "channel"], ["__count"]
            )
        }
        for run in self:
            lines = [
                self.env._(
                    "%(channel)s: %(count)s", channel=channels[channel], count=count
                )
                for (run_id, channel), count in sorted(counts.items())
                if run_id == run.id
            ]
            lines += [
                self.env._(
                    "Skipped, %(reason)s: %(count)s",
                    reason=str(SKIP_REASON_LABELS[reason]),
                    count=count,
                )
                for reason, count in sorted((run.skip_stats or {}).items())
            ]
            run.summary = "\n".join(lines)

    # ------------------------------------------------------------------
    # Entry points
    # ------------------------------------------------------------------

    @api.model
    def _cron_run(self):
        """Daily cron: run every company, within a time budget per call.

        What is left when the budget runs out is reported through the cron
        progress API, so Odoo calls the cron again at once and the runs resume
        where they stopped.
        """
        deadline = time.monotonic() + CRON_TIME_BUDGET
        done = remaining = 0
        for company in self.env["res.company"].search([]):
            try:
                run = self._run_company(company, trigger="cron", deadline=deadline)
            except Exception:
                # One company must not stop the others; its run resumes later.
                _logger.exception("Collection run of %s failed", company.name)
                continue
            done += run.customer_count if run else 0
            remaining += run._remaining_count() if run else 0
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    @api.model
    def _cron_send(self):
        """Scheduled action: queue the automatic messages due today, company
        by company, within a time budget (the progress API calls it again
        while messages remain)."""
        deadline = time.monotonic() + CRON_TIME_BUDGET
        Action = self.env["credit.collection.action"]
        done = remaining = 0
        for company in self.env["res.company"].search([]):
            done += Action._send_due(company, deadline=deadline)
            remaining += Action.search_count(Action._due_domain(company))
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    def action_run_now(self):
        """Run the current company now (Collections managers)."""
        if not self.env.user.has_group(
            "credit_collection.group_credit_collection_manager"
        ):
            raise AccessError(
                self.env._("Only Collections managers can start a collection run.")
            )
        # The run is the system's work: it writes invoices and activities that
        # a manager may not be allowed to write by hand.
        run = self.sudo()._run_company(self.env.company, trigger="manual")
        if not run:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "warning",
                    "message": self.env._(
                        "A collection run of %(company)s is already in progress; "
                        "try again when it has finished.",
                        company=self.env.company.name,
                    ),
                },
            }
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": run.id,
            "view_mode": "form",
            "target": "current",
        }

    @api.model
    def _run_company(
        self,
        company,
        trigger="manual",
        deadline=None,
        batch_size=None,
        max_batches=None,
    ):
        """Run (or resume) today's collection run of ``company``.

        Returns the run, or an empty recordset when another process is running
        this company right now. ``deadline`` (a ``time.monotonic()`` value) and
        ``max_batches`` stop the run between two batches; it then stays
        ``running`` and the next call resumes it.
        """
        if not self._try_lock(company):
            _logger.info("Collection run of %s already in progress", company.name)
            return self.browse()
        try:
            # The lock is ours: start a new transaction so that we see what the
            # previous holder committed.
            self._commit()
            run = self._current_run(company, trigger)
            run._execute(
                batch_size or DEFAULT_BATCH_SIZE,
                deadline=deadline,
                max_batches=max_batches,
            )
            return run
        except Exception:
            # Leave the failed batch, so that the lock can be released on a
            # usable transaction; committed batches stay.
            if not self._in_test_mode():
                self.env.cr.rollback()  # pylint: disable=invalid-commit
            raise
        finally:
            self._unlock(company)

    # ------------------------------------------------------------------
    # Locking and transactions
    # ------------------------------------------------------------------

    def _try_lock(self, company):
        self.env.cr.execute(
            SQL("SELECT pg_try_advisory_lock(%s, %s)", RUN_LOCK_KEY, company.id)
        )
        return self.env.cr.fetchone()[0]

    def _unlock(self, company):
        self.env.cr.execute(
            SQL("SELECT pg_advisory_unlock(%s, %s)", RUN_LOCK_KEY, company.id)
        )

    def _commit(self):
        """Commit the work done so far, except inside tests."""
        if not self._in_test_mode():
            # One transaction per batch, as a long cron must: a crash loses at
            # most the batch in progress, and locks are held briefly.
            self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _in_test_mode(self):
        return getattr(
            threading.current_thread(), "testing", False
        ) or self.env.context.get("credit_collection_no_commit")

    # ------------------------------------------------------------------
    # The run
    # ------------------------------------------------------------------

    @api.model
    def _current_run(self, company, trigger):
        """Today's unfinished run of the company, or a new one.

        Unfinished runs of earlier days are closed as interrupted: their
        customers are seen again today anyway.
        """
        today = fields.Date.context_today(self)
        running = self.search(
            [("company_id", "=", company.id), ("state", "=", "running")]
        )
        stale = running.filtered(lambda run: run.date != today)
        stale.write({"state": "interrupted", "ended_at": fields.Datetime.now()})
        run = (running - stale)[:1]
        if run:
            _logger.info("Resuming %s after customer %s", run.name, run.last_partner_id)
            return run
        return self.create(
            {
                "company_id": company.id,
                "date": today,
                "planned_date": company._credit_collection_working_day(today),
                "trigger": trigger,
                "user_id": self.env.uid,
                "started_at": fields.Datetime.now(),
                "skip_stats": {},
            }
        )

    def _execute(self, batch_size, deadline=None, max_batches=None):
        self.ensure_one()
        started = time.monotonic()
        self.env.flush_all()  # the run reads the ledger with SQL
        context = self._load_context()
        partner_ids = self._candidate_partner_ids()
        for count, batch in enumerate(split_every(batch_size, partner_ids)):
            if (max_batches is not None and count >= max_batches) or (
                deadline is not None and time.monotonic() > deadline
            ):
                self._add_duration(started)
                self._commit()
                return
            self._process_batch(list(batch), context)
            self._add_duration(started)
            started = time.monotonic()
            self._commit()
        self.write({"state": "done", "ended_at": fields.Datetime.now()})
        self._add_duration(started)
        self._commit()
        # Automatic messages are rendered and queued by their own scheduled
        # action, started at once: a slow or failing template never holds up
        # the agenda, and sending resumes on its own after a crash.
        self.env.ref("credit_collection.ir_cron_collection_send")._trigger()

    def _add_duration(self, started):
        self.duration += time.monotonic() - started

    def _remaining_count(self):
        self.ensure_one()
        if self.state != "running":
            return 0
        return len(self._candidate_partner_ids()) or 1

    def _candidate_partner_ids(self):
        """Customers (commercial entities) with open receivable items, in id
        order, after the last one this run processed."""
        self.ensure_one()
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT COALESCE(partner.commercial_partner_id, partner.id)
                  FROM account_move_line line
                  JOIN account_account account ON account.id = line.account_id
                  JOIN res_partner partner ON partner.id = line.partner_id
                 WHERE line.company_id = %(company)s
                   AND line.parent_state = 'posted'
                   AND line.reconciled IS NOT TRUE
                   AND account.account_type = 'asset_receivable'
                   AND COALESCE(partner.commercial_partner_id, partner.id) > %(after)s
                 ORDER BY 1
                """,
                company=self.company_id.id,
                after=self.last_partner_id,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _load_context(self):
        """What every batch of the run needs, read once."""
        self.ensure_one()
        company = self.company_id
        scenarios = self.env["credit.collection.scenario"].search(
            [("company_id", "=", company.id)]
        )
        stages = self.env["credit.collection.stage"].search(
            [("company_id", "=", company.id)]
        )
        return {
            "today": self.date,
            "planned_date": self.planned_date or self.date,
            "scenarios": {
                scenario.id: (
                    scenario,
                    [
                        planner.Stage(s.id, s.days, s.min_amount, s.level)
                        for s in scenario.stage_ids.sorted(lambda s: (s.days, s.id))
                    ],
                )
                for scenario in scenarios
            },
            "profile_scenarios": {
                scenario.payer_profile: scenario.id
                for scenario in scenarios
                if scenario.payer_profile
            },
            "stage_days": {stage.id: stage.days for stage in stages},
            "ranks": {
                scenario.id: {
                    stage.id: rank
                    for rank, stage in enumerate(
                        scenario.stage_ids.sorted(lambda s: (s.days, s.id))
                    )
                }
                for scenario in scenarios
            },
            "stages": {stage.id: stage for stage in stages},
            "suspended_statuses": self._suspended_statuses(),
            "default_collector": company.credit_collection_user_id,
        }

    @api.model
    def _suspended_statuses(self):
        """Invoice collection statuses under which the run leaves items alone."""
        return {"promised", "disputed", "payment_plan", "litigation", "excluded"}

    # ------------------------------------------------------------------
    # One batch: a fixed number of queries, whatever the number of items
    # ------------------------------------------------------------------

    def _process_batch(self, partner_ids, context):
        self.ensure_one()
        company = self.company_id
        Action = self.env["credit.collection.action"]
        partners = self.env["res.partner"].with_company(company).browse(partner_ids)
        items = self._load_items(partner_ids, context)
        history = Action._run_history(company, partner_ids, context["today"])
        escalate = self._partners_to_escalate(partner_ids)
        recipients = self.env["credit.collection.contact"]._recipients_of(partners)

        skip_stats = Counter(self.skip_stats or {})
        vals_list, decisions, superseded = [], {}, Action
        for partner in partners:
            scenario, stages = self._scenario_of(partner, context)
            past = history.get(partner.id, {})
            state = planner.CustomerState(
                items=items.get(partner.id, []),
                stages=stages,
                min_interval_days=scenario.min_interval_days if scenario else 0,
                excluded=partner.collection_excluded,
                good_payer=partner.payer_profile == "good",
                last_action_date=past.get("last_date"),
                acted_today=past.get("acted_today", False),
                pending_stage_id=past.get("pending_stage_id"),
                escalate=partner.id in escalate,
                foreign_stage_days=context["stage_days"],
            )
            decision = planner.plan_customer(state, context["today"])
            if not decision.stage:
                skip_stats[decision.skip_reason] += 1
                continue
            try:
                vals = self._action_values(
                    partner, scenario, decision, recipients.get(partner.id), context
                )
            except (UserError, ValidationError, KeyError, ValueError) as error:
                # One customer's bad data must not stop the batch.
                self._log_error(partner, error)
                continue
            if decision.supersede_pending:
                superseded |= Action.browse(past["pending_action_id"])
            decisions[partner.id] = (decision, scenario)
            vals_list.append(vals)
        actions = Action._create_from_run(vals_list, self)
        superseded.filtered(lambda a: a.partner_id in actions.partner_id)._supersede()
        done = actions.filtered(lambda action: action.state != "failed")
        self._advance_items(done, decisions, items, context)
        done.filtered(lambda action: not action.auto)._schedule_collector_activity()
        self.write(
            {
                "last_partner_id": partner_ids[-1],
                "batch_count": self.batch_count + 1,
                "customer_count": self.customer_count + len(partner_ids),
                "action_count": self.action_count + len(actions),
                "skip_stats": dict(skip_stats),
            }
        )

    def _log_error(self, partner, error):
        """Record why a customer could not be handled; the batch goes on."""
        message = self.env._(
            "%(customer)s: %(error)s", customer=partner.display_name, error=error
        )
        _logger.warning("Collection run %s: %s", self.id, message)
        self.write(
            {
                "error_count": self.error_count + 1,
                "error_log": "\n".join(filter(None, [self.error_log, message])),
            }
        )

    def _scenario_of(self, partner, context):
        """The scenario a customer follows and its stages in escalation order:
        its own, else its payer profile's, else the company default."""
        scenario_id = (
            partner.collection_scenario_id.id
            or context["profile_scenarios"].get(partner.payer_profile)
            or self.company_id.credit_collection_scenario_id.id
        )
        scenario, stages = context["scenarios"].get(scenario_id, (None, []))
        return scenario, stages

    def _partners_to_escalate(self, partner_ids):
        """Customers whose next stage is due at once, whatever the interval
        (broken promises add to it)."""
        return set()

    def _load_items(self, partner_ids, context):
        """Open receivable items of the customers, grouped per customer."""
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
                       line.collection_stage_id,
                       move.collection_status
                  FROM account_move_line line
                  JOIN account_account account ON account.id = line.account_id
                  JOIN account_move move ON move.id = line.move_id
                  JOIN res_partner partner ON partner.id = line.partner_id
                 WHERE line.company_id = %(company)s
                   AND line.parent_state = 'posted'
                   AND line.reconciled IS NOT TRUE
                   AND account.account_type = 'asset_receivable'
                   AND line.partner_id IN (
                        SELECT id FROM res_partner
                         WHERE commercial_partner_id = ANY(%(partners)s))
                 ORDER BY line.id
                """,
                company=self.company_id.id,
                partners=partner_ids,
            )
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
        ) in self.env.cr.fetchall():
            items.setdefault(partner_id, []).append(
                planner.Item(
                    id=line_id,
                    move_id=move_id,
                    due=due,
                    residual=residual,
                    stage_id=stage_id,
                    suspended=status in suspended,
                )
            )
        return items

    def _action_values(self, partner, scenario, decision, recipients, context):
        stage = context["stages"][decision.stage.id]
        open_items = sum(
            1 for item_id in decision.item_ids if item_id in decision.item_stages
        )
        channel = stage._channel_for(
            partner.is_company,
            not partner.country_id or partner.country_id == self.company_id.country_id,
            open_items,
        )
        to, cc = recipients or (self.env["res.partner"], self.env["res.partner"])
        problem = self.env["credit.collection.action"]._recipient_problem(
            channel, partner, to | cc
        )
        return {
            "partner_id": partner.id,
            "company_id": self.company_id.id,
            "scenario_id": scenario.id,
            "stage_id": stage.id,
            "channel": channel,
            "auto": stage.auto,
            "date": context["planned_date"],
            "run_id": self.id,
            "run_date": context["today"],
            "user_id": (partner.collection_user_id or context["default_collector"]).id,
            "state": "failed" if problem else "todo",
            "failure_reason": problem or False,
            "recipient_ids": [fields.Command.set(to.ids)],
            "recipient_cc_ids": [fields.Command.set(cc.ids)],
            "move_line_ids": [fields.Command.set(decision.item_ids)],
            "amount_due": decision.amount_due,
            "amount_overdue": decision.amount_overdue,
        }

    def _advance_items(self, actions, decisions, items, context):
        """Write the stage each item reached, and on each invoice its highest
        item stage and the date its next stage falls due (bulk SQL: the ORM
        would recompute the whole invoice for two informative columns)."""
        if not actions:
            return
        stage_days = context["stage_days"]
        line_ids, line_stages, move_stage, move_next = [], [], {}, {}
        for partner_id in actions.partner_id.ids:
            decision, scenario = decisions[partner_id]
            stages = context["scenarios"][scenario.id][1]
            ranks = context["ranks"][scenario.id]
            earliest = context["planned_date"] + _days(scenario.min_interval_days)
            for item in items.get(partner_id, []):
                new_stage = decision.item_stages.get(item.id)
                current = ranks.get(item.stage_id)
                if current is None:
                    current = planner.stage_rank(stages, item.stage_id, stage_days)
                if new_stage and ranks[new_stage.id] > current:
                    line_ids.append(item.id)
                    line_stages.append(new_stage.id)
                    stage_id, rank = new_stage.id, ranks[new_stage.id]
                else:
                    stage_id, rank = item.stage_id, current
                if stage_id and stage_days.get(stage_id, -(10**6)) > stage_days.get(
                    move_stage.get(item.move_id), -(10**6)
                ):
                    move_stage[item.move_id] = stage_id
                if item.suspended or item.residual <= 0 or rank + 1 >= len(stages):
                    continue
                next_date = max(item.due + _days(stages[rank + 1].days), earliest)
                if item.move_id not in move_next or next_date < move_next[item.move_id]:
                    move_next[item.move_id] = next_date
        if line_ids:
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE account_move_line line
                       SET collection_stage_id = v.stage_id
                      FROM unnest(%s::int[], %s::int[]) AS v(id, stage_id)
                     WHERE line.id = v.id
                    """,
                    line_ids,
                    line_stages,
                )
            )
        if move_stage or move_next:
            levels = {sid: stage.level for sid, stage in context["stages"].items()}
            move_ids = sorted(set(move_stage) | set(move_next))
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE account_move move
                       SET collection_stage_id = v.stage_id,
                           collection_level = v.level,
                           collection_next_date = v.next_date
                      FROM unnest(%s::int[], %s::int[], %s::varchar[], %s::date[])
                           AS v(id, stage_id, level, next_date)
                     WHERE move.id = v.id
                    """,
                    move_ids,
                    [move_stage.get(move_id) for move_id in move_ids],
                    [levels.get(move_stage.get(move_id)) for move_id in move_ids],
                    [move_next.get(move_id) for move_id in move_ids],
                )
            )
        self.env["account.move.line"].invalidate_model(["collection_stage_id"])
        self.env["account.move"].invalidate_model(
            ["collection_stage_id", "collection_level", "collection_next_date"]
        )


def _days(count):
    from datetime import timedelta

    return timedelta(days=count)
