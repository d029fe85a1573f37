import logging
import time

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL, split_every
from odoo.tools.translate import LazyTranslate

from ..tools import collection_planner as planner
from ..tools import statistics, transactions
from ..tools.garbage import long_lived_frozen

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)

# Session-level advisory lock key (first half) taken by a process while it
# finds or plans the run of a company, so that two processes starting at once
# share one run instead of planning two.
RUN_LOCK_KEY = 0x43434F4C  # "CCOL"
# Customers a batch: a batch costs about 55 ms whatever its size (its
# queries' planning and fixed work, its commit), 10 % of a cold run in
# batches of 500; 1,000 customers hold their rows for about a second.
DEFAULT_BATCH_SIZE = 1000
CLAIM_ATTEMPTS = 10
# Concurrent updates a batch may meet in a row before the run gives up.
BATCH_CONFLICTS = 5
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
    planner.SKIP_NOTICE: _lt("Formal notice period running"),
    planner.SKIP_LITIGATION: _lt("Handed over to litigation"),
}


class CreditCollectionRun(models.Model):
    """One run of one company: what it saw, what it did, what failed.

    A run is planned as batches of customers; any number of workers (cron
    workers, "Run now", on one or several servers) process its batches in
    parallel, each batch in its own transaction.
    """

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
    batch_ids = fields.One2many("credit.collection.run.batch", "run_id", readonly=True)
    duration = fields.Float(
        string="Duration (s)",
        compute="_compute_totals",
        digits=(16, 1),
        help="Time spent processing its batches, all workers together.",
    )
    batch_count = fields.Integer(string="Batches done", compute="_compute_totals")
    customer_count = fields.Integer(string="Customers seen", compute="_compute_totals")
    action_count = fields.Integer(string="Actions created", compute="_compute_totals")
    error_count = fields.Integer(string="Errors", compute="_compute_totals")
    error_log = fields.Text(compute="_compute_totals")
    skip_stats = fields.Json(compute="_compute_totals")
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

    @api.depends(
        "batch_ids.state",
        "batch_ids.customer_count",
        "batch_ids.action_count",
        "batch_ids.error_count",
        "batch_ids.skip_stats",
    )
    def _compute_totals(self):
        for run in self:
            done = run.batch_ids.filtered(lambda batch: batch.state == "done")
            skip_stats = {}
            for batch in done:
                for reason, count in (batch.skip_stats or {}).items():
                    skip_stats[reason] = skip_stats.get(reason, 0) + count
            run.batch_count = len(done)
            run.customer_count = sum(done.mapped("customer_count"))
            run.action_count = sum(done.mapped("action_count"))
            run.error_count = sum(run.batch_ids.mapped("error_count"))
            run.error_log = "\n".join(filter(None, run.batch_ids.mapped("error_log")))
            run.duration = sum(done.mapped("duration"))
            run.skip_stats = skip_stats

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
            done += run.batch_count
            remaining += run._pending_count()
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    @api.model
    def _cron_help(self):
        """Scheduled action started by a run planned in several batches: a
        second cron worker takes its share of the batches. It never starts a
        run of its own."""
        deadline = time.monotonic() + CRON_TIME_BUDGET
        done = remaining = 0
        for company in self.env["res.company"].search([]):
            run = self._run_company(
                company, trigger="cron", deadline=deadline, join_only=True
            )
            if run:
                done += run.batch_count
                remaining += run._pending_count()
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    @api.model
    def _cron_send(self):
        """Scheduled action: queue the automatic messages due today, company
        by company, within a time budget (the progress API calls it again
        while messages remain). With more than a chunk due, a second cron
        worker is started to send its share."""
        self._send_companies(start_helper=True)

    @api.model
    def _cron_send_help(self):
        """Scheduled action started by the sending: a second cron worker
        claims its share of the chunks due."""
        self._send_companies(start_helper=False)

    @api.model
    def _send_companies(self, start_helper):
        deadline = time.monotonic() + CRON_TIME_BUDGET
        Action = self.env["credit.collection.action"]
        done = remaining = 0
        for company in self.env["res.company"].search([]):
            if start_helper and Action._more_than_a_chunk_due(company):
                self.env.ref(
                    "credit_collection.ir_cron_collection_send_helper"
                )._trigger()
                start_helper = False
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
        join_only=False,
    ):
        """Run ``company``: join today's unfinished run, or plan a new one, and
        process its pending batches until none is left. With ``join_only``,
        only help a run in progress (returns an empty recordset if none).

        Any number of processes may call it at once: they share the batches.
        ``deadline`` (a ``time.monotonic()`` value) and ``max_batches`` stop
        this process between two batches; the run stays ``running`` and the
        next call (or another worker) goes on with it.
        """
        # Everything the run decides is decided in the company it runs
        # (numbers, addresses and dates read in that company's country), as
        # the sending of its actions does, whichever company the job
        # started in; it is the system's work, as a scheduled action's is
        # (the user who starts it may not belong to every company it runs).
        run = (
            self.sudo()
            .with_company(company)
            ._start(
                company, trigger, batch_size or DEFAULT_BATCH_SIZE, join_only=join_only
            )
        )
        if not run:
            return run
        context = run._load_context()
        with long_lived_frozen():
            run._process_batches(context, deadline, max_batches)
        run._finish()
        return run

    def _process_batches(self, context, deadline, max_batches):
        """Claim and process pending batches, each committed on its own."""
        done, conflicts = 0, 0
        while max_batches is None or done < max_batches:
            if deadline is not None and time.monotonic() > deadline:
                break
            batch = self._claim_batch()
            if not batch:
                break
            try:
                batch._process(context)
            except psycopg2.extensions.TransactionRollbackError:
                # Someone changed the same rows meanwhile (a payment, a
                # promise on the portal): give the batch back and do it again
                # on what is committed now.
                transactions.rollback(self.env)
                conflicts += 1
                if transactions.in_test_mode(self.env) or conflicts > BATCH_CONFLICTS:
                    raise
                _logger.info("Batch %s met a concurrent update: retried", batch.id)
                continue
            except Exception:
                # Give the batch back (it stays pending for the next worker);
                # the batches already committed stay.
                transactions.rollback(self.env)
                raise
            transactions.commit(self.env)
            done, conflicts = done + 1, 0

    @api.model
    def _start(self, company, trigger, batch_size, join_only=False):
        """Today's unfinished run of the company, or a new one planned as
        batches. Serialised per company, so that two processes starting at
        once share one run; unfinished runs of earlier days are closed as
        interrupted (their customers are seen again today anyway)."""
        self.env.cr.execute(
            SQL("SELECT pg_advisory_lock(%s, %s)", RUN_LOCK_KEY, company.id)
        )
        try:
            # A new transaction, to see what the previous holder committed.
            transactions.commit(self.env)
            today = fields.Date.context_today(self)
            running = self.search(
                [("company_id", "=", company.id), ("state", "=", "running")]
            )
            stale = running.filtered(lambda run: run.date != today)
            stale.write({"state": "interrupted", "ended_at": fields.Datetime.now()})
            run = (running - stale)[:1]
            if run:
                _logger.info("Joining %s", run.name)
            elif not join_only:
                # Promises and plans are settled before the run decides: a
                # broken one escalates its customer in this very run.
                # The run scores its whole agenda at its end.
                later = self.with_context(collection_score_later=True).env
                later["credit.collection.promise"]._check_due_promises(company, today)
                later["credit.collection.plan"]._check_running_plans(company)
                self.env["credit.collection.action"]._refresh_date_buckets(company)
                run = self.create(
                    {
                        "company_id": company.id,
                        "date": today,
                        "planned_date": company._credit_collection_working_day(today),
                        "trigger": trigger,
                        "user_id": self.env.uid,
                        "started_at": fields.Datetime.now(),
                    }
                )
                if run._plan_batches(batch_size) > 1:
                    # A second cron worker takes its share of the batches.
                    self.env.ref(
                        "credit_collection.ir_cron_collection_run_helper"
                    )._trigger()
            transactions.commit(self.env)
            return run
        finally:
            self.env.cr.execute(
                SQL("SELECT pg_advisory_unlock(%s, %s)", RUN_LOCK_KEY, company.id)
            )

    def _plan_batches(self, batch_size):
        """Split the customers to see into batches; returns how many."""
        self.ensure_one()
        self.env.flush_all()  # the run reads the ledger with SQL
        batches = self.env["credit.collection.run.batch"].create(
            [
                {"run_id": self.id, "sequence": sequence, "customer_list": list(ids)}
                for sequence, ids in enumerate(
                    split_every(batch_size, self._candidate_partner_ids())
                )
            ]
        )
        return len(batches)

    def _claim_batch(self):
        """The next pending batch that no other worker holds, locked until the
        transaction that processes it commits (or dies)."""
        self.ensure_one()
        self.env["credit.collection.run.batch"].flush_model()
        query = SQL(
            """
            SELECT id FROM credit_collection_run_batch
             WHERE run_id = %s AND state = 'pending'
             ORDER BY sequence
             LIMIT 1
               FOR UPDATE SKIP LOCKED
            """,
            self.id,
        )
        rows = transactions.claim(self.env, query, CLAIM_ATTEMPTS)
        return self.env["credit.collection.run.batch"].browse(rows and rows[0][0])

    def _pending_count(self):
        self.ensure_one()
        return self.env["credit.collection.run.batch"].search_count(
            [("run_id", "=", self.id), ("state", "=", "pending")]
        )

    def _finish(self):
        """Close the run once no batch is pending; the last worker does it."""
        self.ensure_one()
        self.invalidate_recordset()
        if self.state != "running" or self._pending_count():
            return
        try:
            with self.env.cr.savepoint():
                # Quietly: the worker that loses the race is not an error.
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM credit_collection_run WHERE id = %s "
                        "FOR UPDATE NOWAIT",
                        self.id,
                    ),
                    log_exceptions=False,
                )
        except (
            psycopg2.errors.SerializationFailure,
            psycopg2.errors.LockNotAvailable,
        ):
            return  # another worker is closing it at the same moment
        self.write({"state": "done", "ended_at": fields.Datetime.now()})
        transactions.commit(self.env)
        if self.action_count:  # a run that created nothing wrote nothing
            statistics.analyze(self.env, self._written_tables())
            transactions.commit(self.env)
        # Automatic messages are rendered and queued by their own scheduled
        # action, started at once: a slow or failing template never holds up
        # the agenda, and sending resumes on its own after a crash.
        self.env.ref("credit_collection.ir_cron_collection_send")._trigger()
        # The agenda is then put in the order of what acting on each action
        # may bring in, by a scheduled action of its own (the run's time
        # stays the run's; the order follows within seconds).
        self.env.ref("credit_collection.ir_cron_collection_order")._trigger()

    @api.model
    def _written_tables(self):
        """What a run bulk-writes (``{table: columns}``, all columns when
        empty), analysed when it ends: the agenda, the analyses and the
        dashboard opened next are planned for what it wrote."""
        Action = self.env["credit.collection.action"]
        Partner = self.env["res.partner"]
        return {
            Action._table: (),
            Action._fields["move_line_ids"].relation: (),
            Action._fields["recipient_ids"].relation: (),
            self.env["credit.collection.item.state"]._table: (),
            self.env["credit.collection.block.event"]._table: (),
            self.env["mail.activity"]._table: (),
            self.env["credit.collection.invoice.state"]._table: (),
            Partner._table: ("collection_blocked", "collection_block_date"),
        }

    # ------------------------------------------------------------------
    # What the batches share
    # ------------------------------------------------------------------

    def _candidate_partner_ids(self):
        """Customers (commercial entities) with open receivable items, in id
        order."""
        self.ensure_one()
        # The partners of the items first, then their commercial entity: a
        # join of every open item to its partner looked a partner up per
        # item (0.13 s at 100,000 items, against 0.06 s so), while the
        # run's other workers wait for its batches.
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT COALESCE(partner.commercial_partner_id, partner.id)
                  FROM res_partner partner
                 WHERE partner.id IN (
                        SELECT line.partner_id
                          FROM %(items)s
                         WHERE line.company_id = %(company_id)s
                       )
                 ORDER BY 1
                """,
                items=self.env["credit.collection.ledger"]._open_table(),
                company_id=self.company_id.id,
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
        # Each scenario's stages in escalation order, and each stage's rank.
        ordered = {
            scenario.id: scenario.stage_ids.sorted(lambda s: (s.days, s.id))
            for scenario in scenarios
        }
        return {
            "today": self.date,
            "planned_date": self.planned_date or self.date,
            "scenarios": {
                scenario.id: (
                    scenario,
                    [
                        planner.Stage(s.id, s.days, s.min_amount, s.level)
                        for s in ordered[scenario.id]
                    ],
                )
                for scenario in scenarios
            },
            "profile_scenarios": self.env[
                "credit.collection.scenario"
            ]._profile_scenarios(company),
            "stage_days": {stage.id: stage.days for stage in stages},
            "stages": {stage.id: stage for stage in stages},
            "suspended_statuses": self._suspended_statuses(),
            "default_collector": company.credit_collection_user_id,
            "currency_id": company.currency_id.id,
        }

    @api.model
    def _suspended_statuses(self):
        """Invoice collection statuses under which the run leaves items alone."""
        # Promises and plans hold back their items, disputes their
        # disputed amount.
        return {"litigation", "excluded"}

    def _partners_to_escalate(self, partner_ids):
        """Customers whose next stage is due at once, whatever the interval:
        those with a broken promise or payment plan not escalated yet."""
        self.ensure_one()
        return {
            partner_id
            for model in self._escalating_models()
            for partner_id in self.env[model]._partners_to_escalate(
                self.company_id, partner_ids
            )
        }

    @api.model
    def _escalating_models(self):
        return ("credit.collection.promise", "credit.collection.plan")
