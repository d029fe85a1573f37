from datetime import datetime

from odoo.tests import tagged
from odoo.tools import SQL

from ..models.credit_collection_account_block_mixin import BLOCK_FIELDS
from ..tools.company_values import write_company_values
from .run_common import CollectionRunCommon


@tagged("post_install", "-at_install")
class TestCompanyValues(CollectionRunCommon):
    """The run's one-statement write of company-dependent fields stores what
    ``write`` would store, in the company written and no other."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls._euro_company("Values Elsewhere")
        cls.by_orm, cls.by_sql = cls._customer("By ORM"), cls._customer("By SQL")

    def _columns(self, partner):
        self.env.flush_all()
        return self.env.execute_query_dict(
            SQL(
                "SELECT %s FROM res_partner WHERE id = %s",
                SQL(", ").join(SQL.identifier(name) for name in BLOCK_FIELDS),
                partner.id,
            )
        )[0]

    def _write_both(self, values, company):
        self.by_orm.with_company(company).write(values)
        partners = (self.by_orm | self.by_sql).with_company(company)
        # read first: the write must replace what the ORM cached
        partners.mapped("collection_block_date")
        write_company_values(partners, {self.by_sql.id: values})
        self.assertEqual(self._columns(self.by_sql), self._columns(self.by_orm))
        for name, value in values.items():
            self.assertEqual(self.by_sql.with_company(company)[name], value or False)

    def test_stored_as_write_stores_them(self):
        since = datetime(2026, 3, 4, 5, 6, 7)
        self._write_both(
            {
                "collection_blocked": True,
                "collection_block_cause": "stage",
                "collection_block_date": since,
            },
            self.company,
        )
        self._write_both(
            {
                "collection_blocked": True,
                "collection_block_cause": "manual",
                "collection_block_date": since,
            },
            self.other,
        )
        self._write_both(
            {
                "collection_blocked": False,
                "collection_block_cause": False,
                "collection_block_date": False,
            },
            self.company,
        )
        # The other company's block stays as it was written.
        elsewhere = self.by_sql.with_company(self.other)
        self.assertTrue(elsewhere.collection_blocked)
        self.assertEqual(elsewhere.collection_block_cause, "manual")
        self._write_both(
            {
                "collection_blocked": False,
                "collection_block_cause": False,
                "collection_block_date": False,
            },
            self.other,
        )
        self.assertEqual(
            self._columns(self.by_sql), dict.fromkeys(BLOCK_FIELDS), "nothing left"
        )

    def test_computed_fields_follow(self):
        customer = self.by_sql.with_company(self.company)
        self.assertFalse(customer.collection_block_summary)
        write_company_values(
            customer,
            {
                customer.id: {
                    "collection_blocked": True,
                    "collection_block_cause": "stage",
                    "collection_block_date": datetime(2026, 3, 4),
                }
            },
        )
        self.assertIn("is blocked for sales", customer.collection_block_summary)
        self.assertEqual(customer.write_uid, self.env.user)

    def test_only_company_dependent_fields(self):
        with self.assertRaisesRegex(ValueError, "not company-dependent"):
            write_company_values(self.by_sql, {self.by_sql.id: {"name": "Renamed"}})
