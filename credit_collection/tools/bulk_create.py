"""Create thousands of records of one kind in one INSERT per table, stored as
``create`` stores them: the daily run's actions, its collectors' activities
and their subscription, its block log and chatter notes.

``create`` spends most of such a batch in Python, filling its cache with
every value of every new record and updating the inverse fields of the
records they point to (6 s of a 24 s run for 9,000 actions and their 90,000
item links). The run reads none of that back. What ``create`` guarantees is
kept: access rights and record rules, defaults, the magic columns,
many2many links, stored computed fields of given values protected and the
others computed, dependent fields of other records marked to recompute,
Python constraints.

Not for every model: ``create`` overrides are not called, so this serves
the models whose ``create`` adds nothing to the ORM's, or whose additions
the caller makes itself (an activity's follower and notification); each
use is checked against ``create`` by a test (``test_bulk_create.py``).
Defaults are computed once for the whole list, except those that differ
from one call to the next (a token), drawn for each record.
"""

from markupsafe import Markup

from odoo import Command
from odoo.models import LOG_ACCESS_COLUMNS
from odoo.tools import SQL, float_repr, split_every

from .pg_arrays import sql_array

INSERT_ROWS = 1000


def bulk_create(model, vals_list):
    """Create the records of ``vals_list`` (dicts with the same keys: stored
    fields, many2many ones as ``Command.set``/``Command.link`` lists) and
    return them."""
    if not vals_list:
        return model.browse()
    model = model.browse()
    model.check_access("create")
    names = _check_names(model, vals_list)
    fields = model._fields
    records = model.browse(_insert(model, names, vals_list))
    for name in sorted(names):
        if fields[name].type == "many2many":
            _link(records, fields[name], [vals[name] for vals in vals_list])
    # The records pointed to, if read already, miss their new one2many or
    # many2many entries (create adds them to the cache one by one).
    for name in names:
        for inverse in model.pool.field_inverses[fields[name]]:
            model.env[inverse.model_name].invalidate_model([inverse.name])
    # What create does once the rows are in: the computed fields of given
    # values keep them, the others and those depending on them are computed.
    protected = {
        computed
        for name in names
        if fields[name].compute
        for computed in model.pool.field_computed.get(fields[name], [fields[name]])
    }
    with model.env.protecting(protected, records):
        records.modified(list(fields), create=True)
    records._validate_fields(names)
    # As create ends: the record rules (and mail.activity's document rights).
    records.check_access("create")
    return records


def _check_names(model, vals_list):
    """The fields given, the same for every record and all insertable."""
    names = set(vals_list[0])
    if any(set(vals) != names for vals in vals_list):
        raise ValueError(f"bulk_create({model._name}): give the same fields to all")
    fields = model._fields
    wrong = sorted(
        name
        for name in names
        if name not in fields or not fields[name].store or name == "id"
    )
    # An empty one2many (as mail.thread passes for a note's tracking values)
    # creates nothing.
    wrong += sorted(
        name
        for name in names
        if fields[name].type == "one2many" and any(vals[name] for vals in vals_list)
    )
    if wrong:
        raise ValueError(f"bulk_create({model._name}): cannot insert {wrong}")
    return names


def _defaults(model, names):
    """``(defaults, own)``: the defaults of the columns not given, and those
    of them that change from one call to the next (a token), to be drawn for
    each record from its field."""
    defaults = model.default_get(
        [
            name
            for name, field in model._fields.items()
            if field.store
            and field.column_type
            and name not in names
            and name not in LOG_ACCESS_COLUMNS
            and name != "id"
        ]
    )
    drawn = model.default_get(list(defaults))
    return defaults, [name for name in defaults if drawn.get(name) != defaults[name]]


def _insert(model, names, vals_list):
    """Insert the rows, ``INSERT_ROWS`` a statement; return their ids."""
    fields = model._fields
    defaults, own = _defaults(model, names)
    constant = {}
    if model._log_access:
        now = model.env.cr.now()
        constant = dict.fromkeys(("create_uid", "write_uid"), model.env.uid)
        constant.update(dict.fromkeys(("create_date", "write_date"), now))
    # A default is the same for every record (but a drawn one or an amount,
    # whose rounding follows its record's currency): converted once.
    for name, value in defaults.items():
        field = fields[name]
        if field.column_type and name not in own and field.type != "monetary":
            constant[name] = field.convert_to_column_insert(value, model, defaults)
    varying = sorted(
        name
        for name in set(defaults) | names
        if fields[name].column_type and name not in constant
    )
    converters = [_converter(fields[name], model) for name in varying]
    columns = varying + list(constant)
    types = [fields[name].column_type[1] for name in columns]
    ids = []
    for chunk in split_every(INSERT_ROWS, vals_list):
        rows = []
        for vals in chunk:
            stored = {**defaults, **vals}
            stored.update((name, fields[name].default(model)) for name in own)
            rows.append(stored)
        arrays = [
            convert([stored[name] for stored in rows], rows)
            for name, convert in zip(varying, converters, strict=True)
        ]
        arrays += [[value] * len(chunk) for value in constant.values()]
        # One array a column, not a tuple a row (0.6 s of 9,000 actions),
        # in PostgreSQL's text form (see pg_arrays).
        model.env.cr.execute(
            SQL(
                "INSERT INTO %s (%s) SELECT * FROM unnest(%s) RETURNING id",
                SQL.identifier(model._table),
                SQL(", ").join(map(SQL.identifier, columns)),
                SQL(", ").join(
                    sql_array(array, column_type)
                    for array, column_type in zip(arrays, types, strict=True)
                ),
            )
        )
        ids.extend(row[0] for row in model.env.cr.fetchall())
    return ids


def _converter(field, model):
    """``convert(column, rows)``: the column values of ``field`` for its
    values ``column`` of the records ``rows``, each distinct value converted
    once (the run's records share most of theirs); an amount is rounded in
    the currency of its own record, HTML sanitised a column at once."""
    if field.type == "monetary":
        convert_one = _amount_converter(field, model)
    else:
        convert_one = _value_converter(field, model)
    if (
        field.type == "html"
        and field.sanitize
        and not field.sanitize_overridable
        and not field.translate  # a column of translations: one by one
    ):
        return _html_converter(field, model, convert_one)

    def convert(column, rows):
        return [
            convert_one(value, values)
            for value, values in zip(column, rows, strict=True)
        ]

    return convert


def _value_converter(field, model):
    known = {}

    def convert(value, values):
        try:
            key = (type(value), value)
            return known[key]
        except KeyError:
            known[key] = field.convert_to_column_insert(value, model, values)
            return known[key]
        except TypeError:  # not hashable (a dict of translations...)
            return field.convert_to_column_insert(value, model, values)

    return convert


def _amount_converter(field, model):
    """What ``Monetary.convert_to_column_insert`` stores for an amount whose
    record's currency is among its values, with that currency looked up once
    per currency rather than through a new record per amount."""
    currency_name = field.get_currency_field(model)
    currencies = {}

    def convert(value, values):
        if currency_name not in values:
            return field.convert_to_column_insert(value, model, values)
        key = values[currency_name]
        if key not in currencies:
            currencies[key] = model.new({currency_name: key})[currency_name]
        currency = currencies[key]
        value = float(value or 0.0)
        if currency:
            return float_repr(currency.round(value), currency.decimal_places)
        return value

    return convert


def _html_converter(field, model, convert_one):
    """Sanitise the plain texts of a column (escaped, without a tag: the
    notes of a batch log) as the paragraphs of one document, as
    ``_message_log_batch`` would one by one, in one call rather than one a
    note (0.13 ms each: 0.9 s of the run's 7,000 blocking notes). A text
    stands alone in the sanitiser, which makes each a paragraph of its own
    whatever its neighbours; every other value is converted alone."""

    def convert_html(column, rows):
        plain = [
            index
            for index, value in enumerate(column)
            if isinstance(value, str)
            and value
            and value == value.strip()
            and "<" not in value
        ]
        paragraphs = []
        if plain:
            document = field.convert_to_column_insert(
                Markup("").join(Markup("<p>%s</p>") % Markup(column[i]) for i in plain),
                model,
            )
            paragraphs = document[3:-4].split("</p><p>")
            if not (
                document.startswith("<p>")
                and document.endswith("</p>")
                and len(paragraphs) == len(plain)
            ):
                plain, paragraphs = [], []  # not as expected: one by one
        converted = dict(zip(plain, paragraphs, strict=True))
        return [
            f"<p>{converted[index]}</p>"
            if index in converted
            else convert_one(value, values)
            for index, (value, values) in enumerate(zip(column, rows, strict=True))
        ]

    return convert_html


def _link(records, field, commands_list):
    """Insert the many2many rows of ``field`` given as set/link commands."""
    pairs = []
    for record_id, commands in zip(records.ids, commands_list, strict=True):
        for command in commands or ():
            if command[0] == Command.SET:
                pairs.extend((record_id, target) for target in command[2])
            elif command[0] == Command.LINK:
                pairs.append((record_id, command[1]))
            else:
                raise ValueError(
                    f"bulk_create({records._name}.{field.name}): only set and "
                    "link commands"
                )
    if not pairs:
        return
    # Two arrays, not a row per link: 90,000 tuples would be quoted one by
    # one. The records are new: a link given twice is the only conflict, and
    # is dropped here rather than checked row by row by the database.
    sources, targets = zip(*sorted(set(pairs)), strict=True)
    records.env.cr.execute(
        SQL(
            "INSERT INTO %s (%s, %s) SELECT * FROM unnest(%s, %s)",
            SQL.identifier(field.relation),
            SQL.identifier(field.column1),
            SQL.identifier(field.column2),
            sql_array(sources, "int4"),
            sql_array(targets, "int4"),
        )
    )
