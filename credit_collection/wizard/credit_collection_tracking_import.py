import base64
import csv
import io
from datetime import datetime

from odoo import fields, models
from odoo.exceptions import UserError

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y")
# Letters are action ids (PostgreSQL integers); tracking numbers are short.
MAX_REFERENCE = 2**31 - 1
MAX_TRACKING_LENGTH = 64


class CreditCollectionTrackingImport(models.TransientModel):
    """Record registered letters' tracking numbers and receipt dates from
    the postal operator's CSV file. Columns (header row): ``reference`` (the
    reference printed on the letter) or ``tracking_number`` to find the
    letter, then ``tracking_number``, ``sent_date``, ``receipt_date``. A bad
    row is reported and skipped; the others are recorded."""

    _name = "credit.collection.tracking.import"
    _description = "Import Registered-Letter Tracking"

    file = fields.Binary(string="CSV file", required=True)
    filename = fields.Char()
    result = fields.Text(readonly=True)
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Done")], default="draft", required=True
    )

    def action_import(self):
        self.ensure_one()
        rows = self._rows()
        Action = self.env["credit.collection.action"]
        done, errors = 0, []
        for number, row in enumerate(rows, start=2):
            try:
                with self.env.cr.savepoint():
                    action = self._letter_of(row)
                    action.write(self._values(action, row))
                done += 1
            except (UserError, ValueError) as error:
                errors.append(
                    self.env._("Line %(line)s: %(error)s", line=number, error=error)
                )
        Action.flush_model()
        summary = [self.env._("%(count)s letters updated.", count=done)]
        self.write({"state": "done", "result": "\n".join(summary + errors)})
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def _rows(self):
        try:
            text = base64.b64decode(self.file).decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise UserError(self.env._("The file is not a UTF-8 CSV file.")) from error
        try:
            header = text.splitlines()[0] if text else ","
            dialect = csv.Sniffer().sniff(header, ",;\t")
            reader = csv.DictReader(io.StringIO(text), dialect=dialect)
            columns = {name.strip().lower() for name in reader.fieldnames or []}
            if not columns & {"reference", "tracking_number"}:
                raise UserError(
                    self.env._(
                        "The file needs a header row with a 'reference' or a "
                        "'tracking_number' column."
                    )
                )
            # Values beyond the header's columns (key None) are ignored.
            return [
                {
                    key.strip().lower(): (value or "").strip()
                    for key, value in row.items()
                    if isinstance(key, str) and not isinstance(value, list)
                }
                for row in reader
            ]
        except csv.Error as error:
            raise UserError(
                self.env._(
                    "The file is not a readable CSV file: %(error)s", error=error
                )
            ) from error

    def _letter_of(self, row):
        """The registered letter a row is about, in the current company."""
        domain = [
            ("company_id", "=", self.env.company.id),
            ("channel", "=", "registered_letter"),
        ]
        if row.get("reference"):
            reference = row["reference"]
            if not (
                reference.isascii()
                and reference.isdigit()
                and int(reference) <= MAX_REFERENCE
            ):
                raise UserError(
                    self.env._("reference %(ref)r is not a number.", ref=reference[:50])
                )
            domain.append(("id", "=", int(reference)))
        elif row.get("tracking_number"):
            domain.append(("tracking_number", "=", self._tracking(row)))
        else:
            raise UserError(self.env._("no reference and no tracking number."))
        action = self.env["credit.collection.action"].search(domain)
        if len(action) != 1:
            raise UserError(
                self.env._(
                    "no registered letter with reference %(ref)s / tracking number "
                    "%(number)s.",
                    ref=row.get("reference") or "-",
                    number=row.get("tracking_number") or "-",
                )
            )
        return action

    def _values(self, action, row):
        """What the row adds to the letter: a proof already recorded must
        say the same."""
        values = {}
        for name in ("tracking_number", "sent_date", "receipt_date"):
            if not row.get(name):
                continue
            value = (
                self._tracking(row)
                if name == "tracking_number"
                else self._date(row[name])
            )
            if action[name] and action[name] != value:
                raise UserError(
                    self.env._(
                        "%(action)s already has %(field)s %(old)s, not %(new)s.",
                        action=action.display_name,
                        field=action._fields[name]._description_string(self.env),
                        old=action[name],
                        new=value,
                    )
                )
            if not action[name]:
                values[name] = value
        if values.get("receipt_date") and values["receipt_date"] < (
            values.get("sent_date") or action.sent_date or values["receipt_date"]
        ):
            raise UserError(self.env._("the receipt date is before the sent date."))
        return values

    def _tracking(self, row):
        number = row["tracking_number"]
        if len(number) > MAX_TRACKING_LENGTH or not number.isprintable():
            raise UserError(
                self.env._(
                    "tracking number %(number)r is not a tracking number.",
                    number=number[:50],
                )
            )
        return number

    def _date(self, text):
        for date_format in DATE_FORMATS:
            try:
                day = datetime.strptime(text, date_format).date()
            except ValueError:
                continue
            if day > fields.Date.context_today(self):
                raise UserError(
                    self.env._("the date %(date)s is in the future.", date=day)
                )
            return day
        raise UserError(
            self.env._("%(date)r is not a date (YYYY-MM-DD).", date=text[:50])
        )
