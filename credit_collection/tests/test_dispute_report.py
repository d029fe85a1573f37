from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .run_common import CollectionRunCommon


@tagged("post_install", "-at_install")
class TestDisputeReport(CollectionRunCommon):
    """Disputes counted by hand:

    * quality, 300, raised 2 March 09:00, resolved 5 March 21:00: 3.5 days;
    * quality, 100, raised 2 March 09:00, rejected 3 March 09:00: 1 day;
    * price, 200, raised 4 March, still open.

    Quality: 2 disputes, 400, mean resolution (3.5 + 1) / 2 = 2.25 days.
    Price: 1 dispute, 200, all of it still open, no resolution time yet
    (counting it as 0 days would bring the mean of all to 1.5).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["credit.collection.dispute.report"]
        cls.customer = cls._customer("Disputes Ltd")
        cls.invoice = cls._invoice_days_late(cls.customer, 1000, 10)

    def _dispute(self, amount, kind, raised):
        with freeze_time(raised):
            dispute = self._dispute_invoice(self.invoice, amount, kind=kind)
        dispute.raised_on = raised
        return dispute

    def setUp(self):
        super().setUp()
        resolved = self._dispute(300, "quality", datetime(2026, 3, 2, 9))
        rejected = self._dispute(100, "quality", datetime(2026, 3, 2, 9))
        self._dispute(200, "price", datetime(2026, 3, 4, 9))
        with freeze_time(datetime(2026, 3, 5, 21)):
            resolved.action_resolve()
        rejected.resolution = "Delivered as ordered."
        with freeze_time(datetime(2026, 3, 3, 9)):
            rejected.action_reject()
        self.env.flush_all()

    def test_count_amount_and_mean_resolution_by_type(self):
        rows = self.Report._read_group(
            [("partner_id", "=", self.customer.id)],
            ["type_id"],
            ["__count", "amount:sum", "amount_open:sum", "resolution_days:avg"],
        )
        figures = {kind: values for kind, *values in rows}
        quality = self.env.ref("credit_collection.dispute_type_quality")
        price = self.env.ref("credit_collection.dispute_type_price")
        self.assertEqual(figures[quality][:3], [2, 400, 0])
        self.assertAlmostEqual(figures[quality][3], 2.25)
        self.assertEqual(figures[price], [1, 200, 200, False])

    def test_open_disputes_have_no_resolution_time(self):
        ((mean,),) = self.Report._read_group(
            [("partner_id", "=", self.customer.id)], [], ["resolution_days:avg"]
        )
        self.assertAlmostEqual(mean, 2.25)
