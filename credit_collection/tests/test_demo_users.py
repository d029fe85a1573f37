from odoo.tests import tagged

from .demo_common import DemoDataCase


@tagged("post_install", "-at_install")
class TestDemoUsers(DemoDataCase):
    """The demo's users, each with what that kind of user sees."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.collector = cls.env.ref("credit_collection.user_collector")
        cls.manager = cls.env.ref("credit_collection.user_credit_manager")

    def test_logins_and_groups(self):
        self.assertEqual(
            (self.collector.login, self.manager.login),
            ("collector", "credit.manager"),
        )
        self.assertTrue(
            self.collector.has_group("credit_collection.group_credit_collection_user")
        )
        self.assertFalse(
            self.collector.has_group(
                "credit_collection.group_credit_collection_manager"
            )
        )
        self.assertTrue(
            self.manager.has_group("credit_collection.group_credit_collection_manager")
        )
        # Their password is their login.
        for user in (self.collector, self.manager):
            self.env["res.users"].with_user(user)._check_credentials(
                {"type": "password", "password": user.login}, {"interactive": False}
            )

    def test_the_collector_has_an_agenda_and_a_past(self):
        Action = self.env["credit.collection.action"].with_user(self.collector)
        mine = Action.search([("user_id", "=", self.collector.id)])
        self.assertTrue(mine.filtered(lambda action: action.state == "todo"))
        done = mine.filtered(lambda action: action.state == "done")
        self.assertTrue(done)
        self.assertEqual(done.done_user_id, self.collector)
        activities = self.env["mail.activity"].search(
            [("user_id", "=", self.collector.id), ("res_model", "=", Action._name)]
        )
        self.assertTrue(activities)
