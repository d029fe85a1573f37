import logging
import time
from datetime import timedelta

import psycopg2

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_date, get_lang

from ..tools import statistics, transactions
from ..tools.amounts import amount_formatter
from ..tools.bulk_create import bulk_create
from ..xlsx.agenda import agenda_sheet
from ..xlsx.table import download
from .mail_thread import BULK_INSERT
from .selections import OUTCOMES, stage_channels

_logger = logging.getLogger(__name__)
SEND_BATCH_SIZE = 100
# A sender that finds due actions locked by another transaction looks again
# every CLAIM_RETRY_SECONDS, for at most CLAIM_PATIENCE_SECONDS in a row.
CLAIM_RETRY_SECONDS = 0.5
CLAIM_PATIENCE_SECONDS = 60
# The advisory lock a sender holds with its chunk, with the company's id.
SENDING_LOCK = 0x43435344

ACTION_STATES = [
    ("todo", "To do"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
    ("failed", "Failed"),
]


class CreditCollectionAction(models.Model):
    """One collection action for one customer: an agenda entry, then evidence.

    The sending chain, top to bottom: the run creates the actions
    (:meth:`_create_from_run`); :meth:`_send_due` sends the automatic ones
    due, each through its channel's sender (:meth:`_channel_senders`); a
    sender, like the collector's :meth:`action_done`, ends in
    :meth:`_mark_done`, the one way an action becomes done. What a channel
    adds lives in its own file extending this model:
    ``credit_collection_action_email.py`` (reminders by email),
    ``credit_collection_action_letter.py`` (letters, late-payment charges),
    ``credit_collection_action_delivery.py`` (proofs of delivery, bounces);
    other addons add theirs (the SMS channel, the portal's signed link).
    """

    _name = "credit.collection.action"
    _description = "Collection Action"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True
    _sql_constraints = [
        (
            "one_run_action_per_day",
            "UNIQUE(company_id, partner_id, run_date)",
            "The collection run makes at most one action per customer and day.",
        )
    ]

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    scenario_id = fields.Many2one(
        "credit.collection.scenario", ondelete="restrict", check_company=True
    )
    stage_id = fields.Many2one(
        "credit.collection.stage",
        ondelete="restrict",
        check_company=True,
        tracking=True,
    )
    level = fields.Selection(related="stage_id.level", store=True)
    instructions = fields.Text(related="stage_id.instructions")
    channel = fields.Selection(
        selection=stage_channels, required=True, default="email", tracking=True
    )
    date = fields.Date(
        string="Planned date",
        required=True,
        index=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Collector",
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
    )
    state = fields.Selection(
        ACTION_STATES, required=True, default="todo", index=True, tracking=True
    )
    failure_reason = fields.Text(readonly=True)
    auto = fields.Boolean(
        string="Automatic",
        readonly=True,
        help="Sent by the run on its planned date, without review.",
    )
    run_id = fields.Many2one(
        "credit.collection.run", readonly=True, index="btree_not_null", copy=False
    )
    run_date = fields.Date(
        readonly=True,
        copy=False,
        help="The day the collection run proposed this action (empty for actions "
        "entered by hand).",
    )
    recipient_ids = fields.Many2many(
        "res.partner",
        "credit_collection_action_recipient_rel",
        "action_id",
        "partner_id",
        string="To",
    )
    recipient_cc_ids = fields.Many2many(
        "res.partner",
        "credit_collection_action_recipient_cc_rel",
        "action_id",
        "partner_id",
        string="Cc",
    )
    mail_message_id = fields.Many2one(
        "mail.message",
        string="Message sent",
        readonly=True,
        copy=False,
        help="The reminder as it went out.",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email template sent",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The template the reminder was written from (its effectiveness "
        "is measured by it).",
    )
    # No check_company: the run only links items of the action's company, and
    # checking it again costs more than the rest of the action's creation.
    move_line_ids = fields.Many2many(
        "account.move.line",
        string="Receivable items",
        domain=lambda self: self.env["credit.collection.ledger"]._field_domain(
            self.env["credit.collection.ledger"]._ledger_domain(),
            ("company_id", "=", "company_id"),
        ),
    )

    date_bucket = fields.Selection(
        [
            ("overdue", "Overdue"),
            ("today", "Today"),
            ("this_week", "This week"),
            ("later", "Later"),
        ],
        compute="_compute_date_bucket",
        store=True,
        help="Where an action to do stands on the agenda. Stored to group the "
        "agenda by it; the daily run moves the buckets on each morning.",
    )
    payer_profile = fields.Selection(related="partner_id.payer_profile")
    outcome = fields.Selection(OUTCOMES, readonly=True, copy=False, tracking=True)
    contact_id = fields.Many2one(
        "res.partner",
        string="Contact reached",
        readonly=True,
        copy=False,
        help="The person spoken to or written to, as logged with the outcome.",
    )
    comment = fields.Text(readonly=True, copy=False)
    note_ids = fields.One2many(
        "credit.collection.action.note",
        "action_id",
        string="Notes",
        help="Notes appended to the action; a done action takes nothing else.",
    )
    done_date = fields.Datetime(readonly=True, copy=False)
    done_user_id = fields.Many2one(
        "res.users", string="Done by", readonly=True, copy=False
    )
    # Part of the snapshot: the currency the amounts were taken in.
    currency_id = fields.Many2one(
        "res.currency", compute="_compute_currency_id", store=True, readonly=True
    )
    amount_due = fields.Monetary(
        currency_field="currency_id",
        help="What the customer owed on the items concerned when the action "
        "was planned, in company currency.",
    )
    amount_overdue = fields.Monetary(currency_field="currency_id")
    notice_days = fields.Integer(related="stage_id.notice_days")
    notice_deadline = fields.Date(
        compute="_compute_notice_deadline",
        store=True,
        help="The end of the time the formal notice gives the customer to pay: "
        "the next stage waits for it.",
    )
    letter_partner_id = fields.Many2one(
        "res.partner",
        string="Letter addressed to",
        compute="_compute_letter_partner_id",
        help="Whose postal address the letter bears: the first recipient with "
        "an address of its own, else the customer.",
    )
    letter_attention_id = fields.Many2one(
        "res.partner",
        string="For the attention of",
        compute="_compute_letter_partner_id",
        help="The recipient, when the letter goes to the customer's address.",
    )
    statement_html = fields.Html(
        compute="_compute_statement_html",
        sanitize=False,
        help="The statement of the items concerned, as shown in reminders.",
    )

    @api.depends("receipt_date", "stage_id.notice_days")
    def _compute_notice_deadline(self):
        for action in self:
            days = action.stage_id.notice_days
            action.notice_deadline = (
                action.receipt_date + timedelta(days=days)
                if days and action.receipt_date
                else False
            )

    @api.depends("recipient_ids", "partner_id")
    def _compute_letter_partner_id(self):
        for action in self:
            recipient = action.recipient_ids[:1]
            addressed = recipient if recipient.street and recipient.city else None
            action.letter_partner_id = addressed or action.partner_id
            action.letter_attention_id = (
                recipient
                if recipient and not addressed and recipient != action.partner_id
                else False
            )

    @api.depends("partner_id", "stage_id", "date")
    def _compute_name(self):
        for action in self:
            action.name = self._name_of(action.partner_id, action.stage_id)

    @api.depends("date", "state")
    def _compute_date_bucket(self):
        today = fields.Date.context_today(self)
        for action in self:
            action.date_bucket = action._bucket_of(action.date, action.state, today)

    @api.model
    def _bucket_of(self, date, state, today):
        if state != "todo" or not date:
            return False
        if date < today:
            return "overdue"
        if date == today:
            return "today"
        if date <= today + timedelta(days=6 - today.weekday()):
            return "this_week"
        return "later"

    @api.model
    def _refresh_date_buckets(self, company):
        """Move the agenda's buckets on to today (one query): only the
        actions whose bucket changes are written (a second run the same day
        rewrote all 7,400 of a 10,000-customer agenda: 0.2 s)."""
        today = fields.Date.context_today(self)
        self.flush_model(["date", "state", "date_bucket"])
        bucket = SQL(
            """CASE WHEN date < %(today)s THEN 'overdue'
                    WHEN date = %(today)s THEN 'today'
                    WHEN date <= %(week_end)s THEN 'this_week'
                    ELSE 'later' END""",
            today=today,
            week_end=today + timedelta(days=6 - today.weekday()),
        )
        self.env.cr.execute(
            SQL(
                """
                UPDATE credit_collection_action
                   SET date_bucket = %(bucket)s
                 WHERE company_id = %(company)s AND state = 'todo'
                   AND date_bucket IS DISTINCT FROM %(bucket)s
                """,
                bucket=bucket,
                company=company.id,
            )
        )
        self.invalidate_model(["date_bucket"])

    @api.depends("company_id")
    def _compute_currency_id(self):
        for action in self:
            action.currency_id = action.company_id.currency_id

    @api.model
    def _name_of(self, partner, stage):
        # The stored full name: the display name without the decorations a
        # context may add, and nothing computed per customer in the run.
        return " - ".join(part for part in (partner.complete_name, stage.name) if part)

    @api.depends("move_line_ids", "date", "partner_id.lang")
    def _compute_statement_html(self):
        for action in self:
            # In the customer's language: dates, amounts and labels.
            localized = action.with_context(
                lang=action.partner_id.lang or self.env.lang
            )
            lines = localized._statement_lines()
            action.statement_html = localized.env["ir.qweb"]._render(
                "credit_collection.collection_statement_table",
                {
                    "lines": lines,
                    "totals": localized._statement_totals(lines),
                    "links": localized._reminder_links(),
                },
            )

    def _reminder_links(self):
        """Links shown under the statement, to answer online (the customer
        portal adds them): ``[(label, url)]``."""
        self.ensure_one()
        return []

    @api.model
    def _amount_format(self):
        """``format(amount, currency)``: amounts as ``formatLang`` writes
        them in the context's language, each currency's format built once
        (a statement has a line per item, a run thousands of statements)."""
        lang, formats = get_lang(self.env), {}

        def format_amount(amount, currency):
            if currency not in formats:
                formats[currency] = amount_formatter(lang, currency)
            return formats[currency](amount)

        return format_amount

    @api.model
    def _statement_totals(self, lines):
        """Amount due per currency, in the order currencies first appear."""
        totals, format_amount = {}, self._amount_format()
        for row in lines:
            totals[row["currency"]] = totals.get(row["currency"], 0.0) + row["residual"]
        return [
            {
                "currency": currency,
                "amount": amount,
                "amount_text": format_amount(amount, currency),
            }
            for currency, amount in totals.items()
        ]

    def _statement_lines(self):
        """Rows of the action's statement: its items on its date."""
        self.ensure_one()
        return self._statement_rows(
            self.move_line_ids, self.date or fields.Date.context_today(self)
        )

    @api.model
    def _statement_rows(self, lines, today):
        """Rows of a statement: one per receivable item, oldest due first."""
        statuses = dict(
            self.env["account.move"]
            ._fields["collection_status"]
            ._description_selection(self.env)
        )
        rows, dates, format_amount = [], {}, self._amount_format()

        def date_text(day):
            # Formatted once per date: a long statement repeats its dates.
            if day not in dates:
                dates[day] = format_date(self.env, day)
            return dates[day]

        for line in lines.sorted(lambda l: (l.date_maturity or l.date, l.id)):
            due = line.date_maturity or line.date
            rows.append(
                {
                    "line": line,
                    "number": line.move_id.name,
                    "date": line.date,
                    "due": due,
                    "days_late": max((today - due).days, 0),
                    "residual": line.amount_residual_currency,
                    "currency": line.currency_id,
                    # Formatted here rather than by QWeb widgets: a statement
                    # is rendered for every reminder of the run.
                    "date_text": date_text(line.date),
                    "due_text": date_text(due),
                    "residual_text": format_amount(
                        line.amount_residual_currency, line.currency_id
                    ),
                    "status": statuses[line.move_id.collection_status],
                }
            )
        return rows

    # ------------------------------------------------------------------
    # The collection run
    # ------------------------------------------------------------------

    @api.model
    def _run_history(self, company, partner_ids, today):
        """Per customer: date of the last planned or done action, whether a run
        already acted today, the run's action still open on the agenda, the
        stage to try again when the latest action failed, and the stage and
        receipt date of the latest action when it is done."""
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT partner_id,
                       MAX(date) FILTER (WHERE state IN ('todo', 'done')),
                       BOOL_OR(run_date = %(today)s),
                       (ARRAY_AGG(id ORDER BY id DESC)
                            FILTER (WHERE state = 'todo' AND run_date IS NOT NULL))[1],
                       (ARRAY_AGG(stage_id ORDER BY id DESC)
                            FILTER (WHERE state = 'todo' AND run_date IS NOT NULL))[1],
                       (ARRAY_AGG(stage_id ORDER BY id DESC)
                            FILTER (WHERE state != 'cancelled'))[1],
                       (ARRAY_AGG(state ORDER BY id DESC)
                            FILTER (WHERE state != 'cancelled'))[1],
                       (ARRAY_AGG(receipt_date ORDER BY id DESC)
                            FILTER (WHERE state != 'cancelled'))[1]
                  FROM credit_collection_action
                 WHERE company_id = %(company)s AND partner_id = ANY(%(partners)s)
                 GROUP BY partner_id
                """,
                today=today,
                company=company.id,
                partners=partner_ids,
            )
        )
        return {
            row[0]: {
                "last_date": row[1],
                "acted_today": bool(row[2]),
                "pending_action_id": row[3],
                "pending_stage_id": row[4],
                "retry_stage_id": row[5] if row[6] == "failed" else None,
                # The latest action done: a formal notice may still run.
                "done_stage_id": row[5] if row[6] == "done" else None,
                "receipt_date": row[7],
            }
            for row in self.env.cr.fetchall()
        }

    @api.model
    def _create_from_run(self, vals_list, batch):
        """Create the actions of a run's batch in one go (one INSERT, not
        ``create``: no log, follower or tracking is due on them); if one of
        them is refused, create them one by one so that the others still go
        through, each with the reason it failed."""
        Action = self.with_context(
            tracking_disable=True,
            mail_create_nolog=True,
            mail_create_nosubscribe=True,
            mail_notrack=True,
            collection_score_later=True,  # the agenda is ordered once the run ends
        )
        if not vals_list:
            return self.browse()
        try:
            with self.env.cr.savepoint():
                return bulk_create(Action, vals_list)
        except (UserError, ValidationError, psycopg2.Error):
            _logger.info(
                "Run batch %s: creating actions one by one", batch.id, exc_info=True
            )
        actions = self.browse()
        for vals in vals_list:
            try:
                with self.env.cr.savepoint():
                    actions |= Action.create([vals])
            except (UserError, ValidationError, psycopg2.Error) as error:
                batch._log_error(
                    self.env["res.partner"].browse(vals["partner_id"]), error
                )
        return actions

    def _supersede(self):
        """Cancel open actions that a higher stage replaces."""
        self.activity_ids.unlink()
        self.with_context(tracking_disable=True, collection_score_later=True).write(
            {"state": "cancelled"}
        )
        self._message_log_batch(
            {
                action.id: self.env._("Superseded by a higher stage of the daily run.")
                for action in self
            }
        )

    @api.model
    def _recipient_problem(self, channel, partner, recipients):
        """Why the action cannot reach ``partner`` through ``channel`` (False
        when it can). Other channels extend it."""
        if not recipients:
            return self.env._(
                "No one to contact at %(customer)s: add a collection contact or "
                "an invoice address.",
                customer=partner.display_name,
            )
        if channel == "email" and not any(recipients.mapped("email")):
            return self.env._(
                "No email address to send the reminder to: give an email to a "
                "collection contact or to the invoice address of %(customer)s.",
                customer=partner.display_name,
            )
        if channel in ("letter", "registered_letter", "visit") and not any(
            person.street and person.city for person in recipients | partner
        ):
            return self.env._(
                "No postal address for %(customer)s: a street and a city are "
                "needed for a %(channel)s.",
                customer=partner.display_name,
                channel=self._channel_label(channel).lower(),
            )
        if channel == "phone" and not any(
            person.phone or person.mobile for person in recipients | partner
        ):
            return self.env._(
                "No phone number for %(customer)s or its collection contacts.",
                customer=partner.display_name,
            )
        return False

    # ------------------------------------------------------------------
    # Evidence
    # ------------------------------------------------------------------

    @api.model
    def _annotation_fields(self):
        """What may still be written on a done action: its notes and what
        the chatter keeps (followers, messages, activities)."""
        return {"note_ids"} | {
            name
            for name in self._fields
            if name.startswith(("message_", "activity_", "website_message"))
        }

    def write(self, vals):
        changed = set(vals) - self._annotation_fields()
        if self.env.context.get("collection_delivery_report"):
            changed -= {"state", "failure_reason"}
        proofs = changed & self._proof_fields()
        if proofs and all(not action[name] for action in self for name in proofs):
            changed -= proofs
        if changed:
            done = self.filtered(lambda action: action.state == "done")
            if done:
                raise UserError(
                    self.env._(
                        "%(action)s is done: it is evidence and cannot be "
                        "changed. Add a note to it instead.",
                        action=done[0].display_name,
                    )
                )
        return super().write(vals)

    def unlink(self):
        done = self.filtered(lambda action: action.state == "done")
        if done:
            raise UserError(
                self.env._(
                    "%(action)s is done: it is evidence and cannot be deleted.",
                    action=done[0].display_name,
                )
            )
        return super().unlink()

    # ------------------------------------------------------------------
    # The agenda
    # ------------------------------------------------------------------

    def action_done(self):
        """The collector did it: the action becomes evidence."""
        todo = self.filtered(lambda action: action.state == "todo")
        if todo != self:
            raise UserError(self.env._("Only actions to do can be marked as done."))
        todo._mark_done(feedback=self.env._("Collection action done."))

    def _mark_done(self, feedback=False, **evidence):
        """The one way an action becomes done (by the collector, or by its
        message going out, ``evidence`` then saying which message, template
        or number): it becomes evidence, and its open activities on the
        collector's agenda are closed with ``feedback``."""
        self.write(
            {
                "state": "done",
                "failure_reason": False,
                "done_date": fields.Datetime.now(),
                "done_user_id": self.env.uid,
                **evidence,
            }
        )
        if self.activity_ids:
            self.activity_ids.action_feedback(feedback=feedback)

    def action_cancel(self):
        """Drop an action of the agenda (the next run may propose another)."""
        if any(action.state not in ("todo", "failed") for action in self):
            raise UserError(
                self.env._("Only actions to do or failed can be cancelled.")
            )
        self.activity_ids.unlink()
        self.write({"state": "cancelled"})

    def action_export_xlsx(self):
        """The selected actions as an XLSX file, or the whole agenda (the
        actions to do the user may see) when none is selected."""
        domain = [("id", "in", self.ids)] if self else [("state", "=", "todo")]
        return download(
            self.env,
            self.env._(
                "Collection actions %(date)s.xlsx",
                date=fields.Date.context_today(self),
            ),
            [agenda_sheet(self.env, domain)],
        )

    def action_open_customer(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
        }

    def action_new_promise(self):
        """Record what the customer promised during this action."""
        self.ensure_one()
        items = self.env["credit.collection.ledger"]._owed_items(self.move_line_ids)
        source = {
            "registered_letter": "letter",
            "fax": "letter",
        }.get(self.channel, self.channel)
        if source not in dict(
            self.env["credit.collection.promise"]._fields["source"].selection
        ):
            source = "phone"
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Promise to pay"),
            "res_model": "credit.collection.promise",
            "view_mode": "form",
            "context": {
                "default_partner_id": self.partner_id.id,
                "default_company_id": self.company_id.id,
                "default_action_id": self.id,
                "default_source": source,
                "default_move_line_ids": [Command.set(items.ids)],
                "default_amount": sum(items.mapped("amount_residual")),
            },
        }

    @api.model
    def _channel_label(self, channel):
        return dict(self._fields["channel"]._description_selection(self.env))[channel]

    def _schedule_collector_activity(self):
        """Put manual actions on their collector's agenda: what
        ``mail.activity.create`` does (each collector follows its actions and
        its activity list is told to reload) with one INSERT, as the run
        schedules thousands."""
        if not self:
            return
        model_id = self.env["ir.model"]._get_id(self._name)
        call = self.env.ref("mail.mail_activity_data_call")
        todo = self.env.ref("mail.mail_activity_data_todo")
        summaries = {}

        def summary(stage, channel):
            # Translated once per stage and channel, not once per action.
            if (stage, channel) not in summaries:
                summaries[stage, channel] = self.env._(
                    "%(stage)s (%(channel)s)",
                    stage=stage.name,
                    channel=self._channel_label(channel),
                )
            return summaries[stage, channel]

        by_user = self.grouped(lambda action: action.user_id or self.env.user)
        activities = bulk_create(
            self.env["mail.activity"],
            [
                {
                    "res_model_id": model_id,
                    "res_model": self._name,
                    "res_id": action.id,
                    "activity_type_id": (
                        call if action.channel == "phone" else todo
                    ).id,
                    "user_id": user.id,
                    "date_deadline": action.date,
                    "res_name": action.name,
                    "date_done": False,
                    "user_tz": user.tz,
                    "summary": summary(action.stage_id, action.channel),
                }
                for user, actions in by_user.items()
                for action in actions
            ],
        )
        for user, actions in by_user.items():
            actions.with_context(**{BULK_INSERT: True}).message_subscribe(
                partner_ids=user.partner_id.ids
            )
        today = fields.Date.context_today(self)
        activities.filtered(
            lambda activity: activity.date_deadline <= today
        ).user_id._bus_send("mail.activity/updated", {"activity_created": True})

    @api.model
    def _due_domain(self, company):
        return [
            ("company_id", "=", company.id),
            ("state", "=", "todo"),
            ("auto", "=", True),
            ("date", "<=", fields.Date.context_today(self)),
        ]

    @api.model
    def _send_due(self, company, deadline=None):
        """Send the automatic actions planned up to today (including those a
        weekend or holiday moved to today), in committed chunks. Returns how
        many were handled.

        Any number of workers may send at once (the scheduled action and its
        second worker): each claims its next chunk, locked until the chunk
        is committed, so that none is sent twice; a worker that dies leaves
        its chunk to the next."""
        handled = 0
        waiting_since = None
        while deadline is None or time.monotonic() < deadline:
            actions = self._claim_due(company)
            if actions:
                waiting_since = None
                # Reminders sent are off the agenda; the others' order is the
                # scheduled ordering's (no write that a sending could
                # conflict on).
                actions.with_context(collection_score_later=True)._send_automatically()
                handled += len(actions)
                transactions.commit(self.env)
                continue
            waiting_since = waiting_since or time.monotonic()
            if not self._due_held_elsewhere(company, waiting_since):
                break
            time.sleep(CLAIM_RETRY_SECONDS)
        if handled:
            # The actions it marked done are what the effectiveness and the
            # dashboard read next.
            statistics.analyze(
                self.env,
                {self._table: ("state", "done_date", "result_amount_due")},
            )
            transactions.commit(self.env)
        return handled

    @api.model
    def _due_held_elsewhere(self, company, waiting_since):
        """Whether due actions remain that a transaction other than a sender
        holds for a moment (the agenda's ordering, started with the sending,
        scores every action to do): worth waiting for, or they would wait
        for tomorrow's schedule. Those another sender holds are its chunk:
        it sends them, and claims again after. Not past
        :data:`CLAIM_PATIENCE_SECONDS` without a chunk claimed (a transaction
        left open elsewhere), never inside a test."""
        if transactions.in_test_mode(self.env):
            return False
        if time.monotonic() - waiting_since > CLAIM_PATIENCE_SECONDS:
            _logger.warning(
                "Due reminders of %s stayed locked by another transaction for "
                "%s s: left to the next sending",
                company.name,
                CLAIM_PATIENCE_SECONDS,
            )
            return False
        # A new snapshot, which sees what the holder has committed since.
        transactions.commit(self.env)
        self.env.cr.execute(
            SQL("SELECT pg_try_advisory_xact_lock(%s, %s)", SENDING_LOCK, company.id)
        )
        alone = self.env.cr.fetchone()[0]
        held = alone and bool(self.search_count(self._due_domain(company), limit=1))
        transactions.commit(self.env)  # releases the lock
        return held

    @api.model
    def _more_than_a_chunk_due(self, company):
        due = self.search_count(self._due_domain(company), limit=SEND_BATCH_SIZE + 1)
        return due > SEND_BATCH_SIZE

    @api.model
    def _claim_due(self, company):
        """The next chunk of due automatic actions that no other worker
        holds, locked until this transaction ends."""
        self.flush_model()
        query = self._where_calc(self._due_domain(company))
        query.order = SQL.identifier(self._table, "id")
        query.limit = SEND_BATCH_SIZE
        rows = transactions.claim(
            self.env,
            SQL(
                "%s FOR UPDATE OF %s SKIP LOCKED",
                query.select(),
                SQL.identifier(self._table),
            ),
        )
        if rows:
            # This transaction holds a chunk: other senders know it by this
            # lock, until it ends (see _due_held_elsewhere).
            self.env.cr.execute(
                SQL(
                    "SELECT pg_advisory_xact_lock_shared(%s, %s)",
                    SENDING_LOCK,
                    company.id,
                )
            )
        return self.browse(row[0] for row in rows)

    @api.model
    def _start_queue(self, xmlid):
        """Start Odoo's queue ``xmlid`` (mail, SMS) now: on its own it runs
        hourly, and what was just queued would wait for it."""
        self.env.ref(xmlid).sudo()._trigger()

    @api.model
    def _channel_senders(self):
        """``{channel: method}`` that sends a channel's automatic actions: the
        name of a method of this model taking the actions of that channel
        and returning those whose message went out (the others are marked
        failed, wait, or went elsewhere). An addon adds its channel here;
        a stage may send automatically only through these channels."""
        return {"email": "_send_email"}

    def _send_automatically(self):
        """Send automatic actions, each through its channel's sender; returns
        those whose message went out.

        A channel that cannot be sent automatically (a channel rule may have
        changed an automatic email into a letter) goes to the agenda instead.
        """
        senders = self._channel_senders()
        sent, manual = self.browse(), self.browse()
        for channel, actions in self.grouped("channel").items():
            if channel in senders:
                sent |= getattr(actions, senders[channel])()
            else:
                manual |= actions
        if manual:
            manual.with_context(tracking_disable=True).write({"auto": False})
            manual._schedule_collector_activity()
        return sent

    def _fail(self, reason):
        self.with_context(tracking_disable=True).write(
            {"state": "failed", "failure_reason": reason}
        )

    def _ask_to_fix_contact(self, summary, note=None):
        """An activity for the collector to fix the customer's contact details
        (``summary`` says which; ``note`` says why, by default the action's
        failure), unless one is already open for that customer: the run asks
        again every day and a reminder bounces once per recipient, the
        collector needs to be asked once."""
        open_activities = self.env["mail.activity"].search(
            [
                ("res_model", "=", self._name),
                ("summary", "=", summary),
                (
                    "res_id",
                    "in",
                    self.search([("partner_id", "in", self.partner_id.ids)]).ids,
                ),
            ]
        )
        asked = self.browse(open_activities.mapped("res_id")).partner_id
        for action in self:
            if action.partner_id in asked:
                continue
            asked |= action.partner_id
            action.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=(action.user_id or self.env.user).id,
                summary=summary,
                note=note or action.failure_reason,
            )
