from odoo import models
from odoo.tools import SQL


class CreditCollectionReportMixin(models.AbstractModel):
    """Aggregates a rate or a delay needs in pivots and graphs, where a sum
    or a plain average of the rows would be wrong:

    * ``_weighted_rates``: ``{rate field: (part field, whole field)}``; the
      rate of a group is 100 × Σ part / Σ whole, e.g. the kept rate of a
      collector is what its customers paid of all they promised, not the
      average of each promise's rate;
    * fields whose ``aggregator`` is ``"median"``: the median of the group
      (rows without a value left out), as a median delay is not thrown by a
      few very late payers the way an average is.
    """

    _name = "credit.collection.report.mixin"
    _description = "Collection Report Aggregates"

    _weighted_rates = {}

    def _read_group_select(self, aggregate_spec, query):
        fname, _sep, func = aggregate_spec.partition(":")
        if fname in self._weighted_rates and func == "avg":
            part, whole = self._weighted_rates[fname]
            return SQL(
                "100.0 * SUM(%s) / NULLIF(SUM(%s), 0)",
                self._field_to_sql(self._table, part, query),
                self._field_to_sql(self._table, whole, query),
            )
        field = self._fields.get(fname)
        if func == "median" and field and field.aggregator == "median":
            return SQL(
                "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY %s)",
                self._field_to_sql(self._table, fname, query),
            )
        return super()._read_group_select(aggregate_spec, query)
