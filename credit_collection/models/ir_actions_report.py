from odoo import models

# Reports that are plain HTML and CSS, with no script to wait for: the
# statement sent with each reminder and the letters.
STATIC_REPORTS = (
    "credit_collection.report_collection_statement",
    "credit_collection.report_collection_letter",
)


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _run_wkhtmltopdf(self, bodies, report_ref=False, **kwargs):
        # wkhtmltopdf waits Odoo's "report.print_delay" (1 s by default)
        # after a page has loaded, for the scripts of some reports. Ours have
        # none, and a second per statement is most of a reminder's cost: on
        # 1,500 reminders, 25 minutes of a worker spent waiting.
        static = bool(report_ref) and (
            self._get_report(report_ref).report_name in STATIC_REPORTS
        )
        return super(
            IrActionsReport, self.with_context(credit_collection_static_report=static)
        )._run_wkhtmltopdf(bodies, report_ref=report_ref, **kwargs)

    def _build_wkhtmltopdf_args(self, *args, **kwargs):
        command = super()._build_wkhtmltopdf_args(*args, **kwargs)
        if self.env.context.get("credit_collection_static_report"):
            delay = command.index("--javascript-delay")
            command[delay + 1] = "0"
        return command
