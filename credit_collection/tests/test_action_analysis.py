from odoo.tests import tagged

from .run_common import TODAY, CollectionRunCommon


@tagged("post_install", "-at_install")
class TestActionAnalysis(CollectionRunCommon):
    """Actions per collector and channel: Ann made 2 calls and sent 1 email,
    Ben made 1 call; a cancelled call of Ben's is left out by the analysis'
    default filter (done)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        group = "credit_collection.group_credit_collection_user"
        cls.ann = cls._user("ann.analysis", group)
        cls.ben = cls._user("ben.analysis", group)
        cls.customer = cls._customer("Analysed Ltd")
        cls.Action.create(
            [
                {
                    "partner_id": cls.customer.id,
                    "user_id": user.id,
                    "channel": channel,
                    "date": TODAY,
                    "state": state,
                }
                for user, channel, state in (
                    (cls.ann, "phone", "done"),
                    (cls.ann, "phone", "done"),
                    (cls.ann, "email", "done"),
                    (cls.ben, "phone", "done"),
                    (cls.ben, "phone", "cancelled"),
                )
            ]
        )

    def test_actions_per_collector_and_channel(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_collection.credit_collection_action_analysis_action"
        )
        self.assertEqual(action["context"], "{'search_default_done': 1}")
        rows = self.Action._read_group(
            [("partner_id", "=", self.customer.id), ("state", "=", "done")],
            ["user_id", "channel"],
            ["__count"],
        )
        self.assertEqual(
            {(user.login, channel): count for user, channel, count in rows},
            {
                ("ann.analysis", "phone"): 2,
                ("ann.analysis", "email"): 1,
                ("ben.analysis", "phone"): 1,
            },
        )

    def test_pivot_and_graph_open_on_collector_and_channel(self):
        views = self.Action.get_views([(False, "pivot"), (False, "graph")])["views"]
        for view in ("pivot", "graph"):
            self.assertIn('name="user_id"', views[view]["arch"])
            self.assertIn('name="channel"', views[view]["arch"])
