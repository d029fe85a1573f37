from odoo.tests import tagged

from odoo.addons.credit_collection.tests.run_common import CollectionRunCommon


@tagged("post_install", "-at_install")
class TestRunTokens(CollectionRunCommon):
    def test_each_action_of_a_run_has_its_own_token(self):
        """The run creates its actions in one INSERT: each still draws its
        own signed-link token, as ``create`` would."""
        customers = [self._customer(f"Token {n}") for n in range(3)]
        for customer in customers:
            self._invoice_days_late(customer, 900, 10)
        run = self._run(send=False)
        tokens = run.action_ids.mapped("access_token")
        self.assertEqual(len(run.action_ids), 3)
        self.assertEqual(len(set(tokens)), 3)
        self.assertTrue(all(len(token) == 36 for token in tokens))
