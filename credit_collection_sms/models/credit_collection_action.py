from datetime import timedelta

import psycopg2
import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.sms_number import mobile_e164
from ..tools.sms_window import next_send_time

SMS_STATUSES = [
    ("ready", "In queue"),
    ("process", "Processing"),
    ("pending", "Sent"),
    ("sent", "Delivered"),
    ("exception", "Error"),
    ("bounce", "Bounced"),
    ("canceled", "Cancelled"),
]


class CreditCollectionAction(models.Model):
    """Collection actions by text message: sent through Odoo's SMS queue to
    the first collection contact with a mobile number, inside the company's
    sending window in the recipient's time zone, never to an opted-out
    number nor beyond the company's cap (the stage's fallback channel then
    takes over), with the delivery report on the action."""

    _inherit = "credit.collection.action"

    sms_number = fields.Char(
        string="SMS sent to", readonly=True, copy=False, help="In E.164 form."
    )
    sms_status = fields.Selection(
        SMS_STATUSES,
        string="SMS status",
        readonly=True,
        copy=False,
        help="What Odoo's SMS service reported on the text message.",
    )
    sms_template_id = fields.Many2one(
        "sms.template",
        string="SMS template sent",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The template the text message was written from (its "
        "effectiveness is measured by it).",
    )
    sms_not_before = fields.Datetime(
        string="SMS not before",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Planned outside the sending window (hours and working days in "
        "the recipient's time zone): the text message waits until then.",
    )

    @api.model
    def _annotation_fields(self):
        # A delivery report arrives after the action is done.
        return super()._annotation_fields() | {"sms_status"}

    # ------------------------------------------------------------------
    # Who receives it
    # ------------------------------------------------------------------

    @api.model
    def _sms_pick(self, people, customer, company):
        """``(person, e164, problem)``: the first of ``people`` (then the
        customer) with a number that takes text messages, read in that
        person's country, else the customer's, else the company's."""
        tried = []
        for person in (people | customer).filtered("active"):
            country = (
                person.country_id or customer.country_id or company.country_id
            ).code
            for number in dict.fromkeys(filter(None, (person.mobile, person.phone))):
                e164, why = mobile_e164(number, country)
                if e164:
                    return person, e164, False
                tried.append((person, number, why))
        if not tried:
            return (
                None,
                None,
                self.env._(
                    "No mobile number for %(customer)s or its collection contacts.",
                    customer=customer.display_name,
                ),
            )
        details = "; ".join(
            self.env._(
                "%(person)s: %(number)s (%(why)s)",
                person=person.display_name,
                number=number,
                why=self.env._("not a mobile") if why == "landline" else why,
            )
            for person, number, why in tried
        )
        return (
            None,
            None,
            self.env._(
                "No number of %(customer)s takes text messages: %(details)s",
                customer=customer.display_name,
                details=details,
            ),
        )

    def _sms_recipient(self):
        """``(person, e164, problem)`` for this action's text message."""
        self.ensure_one()
        return self._sms_pick(
            self.recipient_ids | self.recipient_cc_ids,
            self.partner_id,
            self.company_id,
        )

    @api.model
    def _recipient_problem(self, channel, partner, recipients):
        if channel == "sms" and recipients:
            return self._sms_pick(recipients, partner, self.env.company)[2]
        return super()._recipient_problem(channel, partner, recipients)

    @api.model
    def _create_from_run(self, vals_list, batch):
        actions = super()._create_from_run(vals_list, batch)
        actions.filtered(
            lambda a: a.channel == "sms" and a.state == "failed"
        )._sms_ask_to_fix_number()
        return actions

    def _sms_ask_to_fix_number(self):
        self._ask_to_fix_contact(self.env._("Fix the mobile number"))

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------

    @api.model
    def _due_domain(self, company):
        return super()._due_domain(company) + [
            "|",
            ("sms_not_before", "=", False),
            ("sms_not_before", "<=", fields.Datetime.now()),
        ]

    @api.model
    def _channel_senders(self):
        return super()._channel_senders() | {"sms": "_send_sms"}

    @api.model
    def _channel_phrases(self):
        return super()._channel_phrases() | {"sms": self.env._("a text message")}

    def _sms_sent_recently(self):
        """``{customer id: text messages sent}`` over each company's cap
        period."""
        counts = {}
        for company, actions in self.grouped("company_id").items():
            since = fields.Datetime.now() - timedelta(
                days=company.credit_collection_sms_cap_days
            )
            for partner, count in self._read_group(
                [
                    ("company_id", "=", company.id),
                    ("partner_id", "in", actions.partner_id.ids),
                    ("channel", "=", "sms"),
                    ("sms_number", "!=", False),
                    ("done_date", ">=", since),
                ],
                ["partner_id"],
                ["__count"],
            ):
                counts[partner.id] = count
        return counts

    def _sms_time_zone(self, person):
        country = person.country_id or self.partner_id.country_id
        zones = pytz.country_timezones.get(country.code, []) if country else []
        return (
            person.tz
            or self.partner_id.tz
            or (zones[0] if zones else None)
            or self.company_id.partner_id.tz
            or self.company_id.resource_calendar_id.tz
            or "UTC"
        )

    def _send_sms(self):
        """Queue the text message of each action in Odoo's SMS queue, or
        defer, fall back or fail it with the reason; returns the actions
        whose message went out."""
        now = fields.Datetime.now()
        picks = {action.id: action._sms_recipient() for action in self}
        numbers = [number for _person, number, _problem in picks.values() if number]
        blacklisted = set(
            self.env["phone.blacklist"]
            .sudo()
            .search([("number", "in", numbers)])
            .mapped("number")
        )
        sent_recently = self._sms_sent_recently()
        opening = self._sms_opening(now)
        sent, fallback, deferred = self.browse(), self.browse(), self.browse()
        for action in self:
            person, number, problem = picks[action.id]
            if not action._sms_still_to_send(problem):
                continue
            why_not = action._sms_why_not(number, blacklisted, sent_recently)
            if why_not:
                action._sms_note(why_not)
                fallback |= action
                continue
            when = opening(action, person)
            if when is None:
                action._fail(self.env._("No working day to send the text message on."))
                continue
            if when > now:
                action.with_context(tracking_disable=True).write(
                    {"sms_not_before": when}
                )
                deferred |= action
                continue
            try:
                with self.env.cr.savepoint():
                    action._sms_queue(person, number)
                sent |= action
                sent_recently[action.partner_id.id] = (
                    sent_recently.get(action.partner_id.id, 0) + 1
                )
            except (UserError, ValidationError, psycopg2.Error) as error:
                action._fail(str(error))
        if deferred:
            self.env.ref("credit_collection.ir_cron_collection_send")._trigger(
                at=min(deferred.mapped("sms_not_before"))
            )
        if sent:
            self._start_queue("sms.ir_cron_sms_scheduler_action")
        return sent | fallback._sms_fall_back()

    def _sms_still_to_send(self, problem):
        """Whether the action's text may still go out: not when its items
        were paid while it waited for its window (it is cancelled), nor when
        its recipient has no usable number (``problem``: it fails, and the
        collector is asked to fix the number)."""
        self.ensure_one()
        if self.move_line_ids and all(self.move_line_ids.mapped("reconciled")):
            self._sms_note(self.env._("Paid meanwhile: no text message sent."))
            self.with_context(tracking_disable=True).write({"state": "cancelled"})
            return False
        if problem:
            self._fail(problem)
            self._sms_ask_to_fix_number()
            return False
        return True

    def _sms_why_not(self, number, blacklisted, sent_recently):
        """Why the text goes by the stage's fallback channel instead: the
        number opted out, or the customer already received the most the
        company allows over the period (False when it may go)."""
        self.ensure_one()
        company = self.company_id
        if number in blacklisted:
            return self.env._("%(number)s opted out of text messages.", number=number)
        cap = company.credit_collection_sms_cap
        if cap and sent_recently.get(self.partner_id.id, 0) >= cap:
            return self.env._(
                "%(customer)s already received %(count)s text messages "
                "in %(days)s days.",
                customer=self.partner_id.display_name,
                count=cap,
                days=company.credit_collection_sms_cap_days,
            )
        return False

    @api.model
    def _sms_opening(self, now):
        """``opening(action, person)``: the first moment from ``now`` when
        the action's text may reach ``person`` (see
        :func:`..tools.sms_window.next_send_time`), the companies' working
        days read once per day."""
        working = {}

        def opening(action, person):
            company = action.company_id

            def is_working_day(day):
                if (company, day) not in working:
                    working[company, day] = (
                        company._credit_collection_working_day(day) == day
                    )
                return working[company, day]

            return next_send_time(
                now,
                action._sms_time_zone(person),
                company.credit_collection_sms_hour_from,
                company.credit_collection_sms_hour_to,
                is_working_day,
            )

        return opening

    def _sms_note(self, body):
        self.message_post(body=body, subtype_xmlid="mail.mt_note")

    def _sms_fall_back(self):
        """Switch to the stage's fallback channel: an automatic email goes at
        once, anything else goes to the collector's agenda."""
        for channel, actions in self.grouped(
            lambda a: a.stage_id.sms_fallback_channel or "email"
        ).items():
            actions.with_context(tracking_disable=True).write({"channel": channel})
        return self._send_automatically()

    def _sms_queue(self, person, number):
        """Render the stage's template in the customer's language and put the
        text in Odoo's SMS queue (started once the batch is queued)."""
        template = self.stage_id.sms_template_id
        if not template:
            raise UserError(self.env._("The stage has no SMS template to send."))
        body = template._render_field("body", self.ids, compute_lang=True)[self.id]
        self.with_context(collection_sms_template_id=template.id)._message_sms(
            body,
            partner_ids=person.ids,
            sms_pid_to_number={person.id: number},
            author_id=(self.user_id.partner_id or self.company_id.partner_id).id,
            put_in_queue=True,
        )

    def _message_sms(self, body, **kwargs):
        """A text message on an SMS action to do (the run's or the collector's,
        through Odoo's SMS composer) makes it done: the message is its
        evidence, with the template it was written from (the run's, or the
        one chosen in the composer)."""
        message = super()._message_sms(body, **kwargs)
        todo = self.filtered(
            lambda action: (
                action.channel == "sms" and action.state in ("todo", "failed")
            )
        )
        if todo:
            notification = message.sudo().notification_ids.filtered(
                lambda n: n.notification_type == "sms"
            )[:1]
            todo.with_context(tracking_disable=True)._mark_done(
                feedback=self.env._("Text message sent."),
                mail_message_id=message.id,
                sms_number=notification.sms_number,
                sms_status=notification.notification_status or False,
                sms_template_id=self.env.context.get("collection_sms_template_id"),
            )
        return message

    def _sms_link(self):
        """The first link the reminder carries (the signed portal page when
        the portal addon is installed), or nothing."""
        self.ensure_one()
        links = self._reminder_links()
        return links[0][1] if links else ""

    def _sms_due_date(self):
        """The earliest due date of the action's open items."""
        self.ensure_one()
        dates = (
            self.env["credit.collection.ledger"]
            ._open_items(self.move_line_ids)
            .mapped("date_maturity")
        )
        return min(filter(None, dates), default=False)

    # ------------------------------------------------------------------
    # Sending by hand, and delivery reports
    # ------------------------------------------------------------------

    def _sms_get_recipients_info(self, force_field=False, partner_fallback=True):
        """Odoo's SMS composer writes to the contact the run would pick."""
        result = {}
        for action in self:
            person, number, _problem = action._sms_recipient()
            result[action.id] = {
                "partner": person or action.partner_id,
                "sanitized": number or False,
                "number": number or action.partner_id.mobile or False,
                "partner_store": bool(person),
                "field_store": False,
            }
        return result

    def action_send_sms(self):
        """Odoo's SMS composer with the stage's text, to edit before sending."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send an SMS"),
            "res_model": "sms.composer",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_res_model": self._name,
                "default_res_id": self.id,
                "default_composition_mode": "comment",
                "default_template_id": (
                    self.stage_id.sms_template_id
                    or self.env.ref("credit_collection_sms.sms_template_level_1")
                ).id,
            },
        }

    def _sms_report(self, notifications):
        """Odoo's SMS service reported on the text messages of these
        actions: the status shows on the action, and an error fails it with
        the reason (the next run tries again)."""
        failure_labels = dict(
            self.env["mail.notification"]
            ._fields["failure_type"]
            ._description_selection(self.env)
        )
        for notification in notifications:
            action = self.filtered(
                lambda a, n=notification: a.mail_message_id == n.mail_message_id
            )
            if not action:
                continue
            action.write({"sms_status": notification.notification_status})
            if notification.notification_status in ("exception", "bounce"):
                action._fail_delivery(
                    self.env._(
                        "The text message to %(number)s failed: %(reason)s",
                        number=notification.sms_number,
                        reason=notification.failure_reason
                        or failure_labels.get(notification.failure_type)
                        or notification.notification_status,
                    )
                )
