from unittest.mock import patch

from markupsafe import Markup

import odoo
from odoo import Command
from odoo.tests import tagged

from ..models.mail_thread import BULK_INSERT
from ..tools.bulk_create import _converter, bulk_create
from .run_common import TODAY, CollectionRunCommon

# What differs between two records created one after the other.
OWN = {"id", "create_date", "write_date", "display_name"}


@tagged("post_install", "-at_install")
class TestBulkCreate(CollectionRunCommon):
    """The run's one-INSERT creations store what ``create`` would store."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.first, cls.second = cls._customer("First"), cls._customer("Second")

    def _stored(self, records, skip=()):
        """Every stored value of ``records``, as read back from the database."""
        model = records.browse()
        names = [
            name
            for name, field in model._fields.items()
            if field.store and name not in OWN and name not in skip
        ]
        records.invalidate_recordset()
        return [
            {
                name: sorted(value) if isinstance(value, list) else value
                for name, value in row.items()
                if name != "id"
            }
            for row in records.read(names, load=None)
        ]

    def _action_values(self, partner, **extra):
        return {
            "partner_id": partner.id,
            "company_id": self.company.id,
            "stage_id": self.stages["level_2"].id,
            "scenario_id": self.scenario.id,
            "channel": "phone",
            "date": TODAY,
            "run_date": TODAY,
            "amount_due": 1234.567,
            "recipient_ids": [
                Command.set((self.first | self.second).ids),
                Command.link(self.first.id),  # twice: linked once
            ],
            "move_line_ids": [Command.set([])],
            **extra,
        }

    def test_actions_as_create_stores_them(self):
        """Defaults (state, collector), computed fields not given (name,
        level, currency, agenda bucket), amounts rounded, many2many links."""
        # As the run creates them: scored once it ends, not one by one.
        Action = self.Action.with_context(
            tracking_disable=True, collection_score_later=True
        )
        run = self.Run.create(
            {"company_id": self.company.id, "date": TODAY, "trigger": "manual"}
        )
        self.assertFalse(run.action_ids)
        bulk = bulk_create(Action, [self._action_values(self.first, run_id=run.id)])
        # The run sees its new action (its cache is told).
        self.assertEqual(run.action_ids, bulk)
        orm = Action.create([self._action_values(self.second, run_id=run.id)])
        skip = {"partner_id", "name", "access_token"}
        self.assertEqual(self._stored(bulk, skip), self._stored(orm, skip))
        self.assertEqual(bulk.state, "todo")
        self.assertEqual(bulk.user_id, self.env.user)
        self.assertEqual(bulk.name, f"First - {self.stages['level_2'].name}")
        self.assertEqual(bulk.level, "level_2")
        self.assertEqual(bulk.currency_id, self.company.currency_id)
        self.assertEqual(bulk.recipient_ids, self.first | self.second)

    def test_given_computed_values_are_kept(self):
        bulk = bulk_create(
            self.Action, [self._action_values(self.first, name="As the run names it")]
        )
        bulk.invalidate_recordset()
        self.assertEqual(bulk.name, "As the run names it")

    def test_block_events_as_create_stores_them(self):
        Event = self.env["credit.collection.block.event"].sudo()
        values = {
            "company_id": self.company.id,
            "blocked": True,
            "cause": "stage",
            "reason": "reached level 3",
            "user_id": False,
        }
        bulk = bulk_create(Event, [{**values, "partner_id": self.first.id}])
        orm = Event.create([{**values, "partner_id": self.second.id}])
        skip = {"partner_id", "date"}
        self.assertEqual(self._stored(bulk, skip), self._stored(orm, skip))
        self.assertTrue(bulk.date)

    def test_wrong_values_are_refused(self):
        with self.assertRaisesRegex(ValueError, "same fields"):
            bulk_create(
                self.Action,
                [
                    self._action_values(self.first),
                    {**self._action_values(self.second), "comment": "x"},
                ],
            )
        with self.assertRaisesRegex(ValueError, "cannot insert"):
            bulk_create(
                self.Action,
                [{**self._action_values(self.first), "statement_html": "<p/>"}],
            )
        with self.assertRaisesRegex(ValueError, "cannot insert"):
            bulk_create(
                self.Action,
                [
                    {
                        **self._action_values(self.first),
                        "note_ids": [Command.create({"body": "x"})],
                    }
                ],
            )
        with self.assertRaisesRegex(ValueError, "set and link"):
            bulk_create(
                self.Action,
                [
                    self._action_values(
                        self.first, recipient_ids=[Command.unlink(self.first.id)]
                    )
                ],
            )
        self.assertEqual(bulk_create(self.Action, []), self.Action)

    def test_notes_sanitised_together_as_one_by_one(self):
        """A batch log's notes are sanitised as the paragraphs of one
        document: each stored as the ORM stores it alone, whatever it holds
        and whatever its neighbours."""
        bodies = [
            "Blocked.",
            "O'Brien & Sons <b>owes</b> $\xa012 \u2013 \u201cnow\u201d",
            "Line one\nline two\n\nline four",
            "> quoted\n>> more\nnot quoted",
            "Kind regards\n-- \nThe signature",
            "  spaced out  ",
            "",
            " ",
            "a &amp; b &lt;p&gt; c",
            Markup("<p>Bold <b>given</b></p>"),
            Markup("After <br/> a break"),
            "x" * 5000,
        ]
        partners = self.env["res.partner"].create(
            [{"name": f"Noted {index}"} for index in range(len(bodies))]
        )
        notes = dict(zip(partners.ids, bodies, strict=True))
        orm = partners._message_log_batch(notes)
        with patch.object(
            odoo.fields, "html_sanitize", wraps=odoo.fields.html_sanitize
        ) as sanitize:
            bulk = partners.with_context(**{BULK_INSERT: True})._message_log_batch(
                notes
            )
        # Once for the seven plain texts, once for each of the others.
        self.assertEqual(sanitize.call_count, 1 + 5)
        self.assertEqual(
            [message.body for message in bulk], [message.body for message in orm]
        )
        self.assertIn("&lt;b&gt;owes&lt;/b&gt;", bulk[1].body)

    def test_translated_html_converted_one_by_one(self):
        """A translated HTML column holds translations, not one document:
        its texts are sanitised one by one."""
        Template = self.env["product.template"]
        field = Template._fields["description"]
        self.assertTrue(field.translate and field.sanitize)
        column = ["Plain text.", "Another one."]
        self.assertEqual(
            [value.adapted for value in _converter(field, Template)(column, [{}, {}])],
            [
                field.convert_to_column_insert(value, Template).adapted
                for value in column
            ],
        )

    def test_collector_activity_as_mail_activity_create(self):
        """The collector's activity: the values, the follower and the
        notification that ``mail.activity.create`` would give."""
        collector = self._collector_user("bulk_collector")
        Action = self.Action.with_context(tracking_disable=True)
        first, second = Action.create(
            [
                self._action_values(self.first, user_id=collector.id),
                self._action_values(self.second, user_id=collector.id),
            ]
        )
        users = type(self.env["res.users"])
        with patch.object(users, "_bus_send", autospec=True) as bus:
            first._schedule_collector_activity()
        self.assertEqual(bus.call_args.args[0], collector)
        self.assertEqual(bus.call_args.args[1], "mail.activity/updated")
        Activity = self.env["mail.activity"]
        bulk = first.activity_ids
        vals = {
            name: value
            for name, value in bulk.copy_data()[0].items()
            if name not in ("res_id", "res_name")
        }
        orm = Activity.with_context(mail_activity_quick_update=True).create(
            [{**vals, "res_id": second.id, "res_name": second.display_name}]
        )
        skip = {"res_id", "res_name"}
        self.assertEqual(self._stored(bulk, skip), self._stored(orm, skip))
        self.assertEqual(first.message_partner_ids, collector.partner_id)
        # The collector follows both as create subscribes it: same subtypes.
        self.assertEqual(
            self._stored(first.message_follower_ids, {"res_id"}),
            self._stored(second.message_follower_ids, {"res_id"}),
        )
        self.assertTrue(first.message_follower_ids.subtype_ids)
        self.assertEqual(bulk.summary, f"{self.stages['level_2'].name} (Phone call)")

    def test_block_notes_as_a_batch_log(self):
        bodies = {self.first.id: "Blocked.", self.second.id: "Blocked too."}
        partners = self.first | self.second
        orm = partners._message_log_batch(bodies)
        bulk = partners.with_context(**{BULK_INSERT: True})._message_log_batch(bodies)
        skip = {"message_id", "date"}
        self.assertEqual(self._stored(bulk, skip), self._stored(orm, skip))
        self.assertEqual(bulk.mapped("message_type"), ["notification"] * 2)
        # The customers' chatter shows the new note (their cache is told).
        self.assertIn(bulk[0], self.first.message_ids)
        self.assertEqual(self.first.message_ids[0].body, orm[0].body)
