"""One plain ``INSERT`` statement for model rows, for the few writes every save makes.

Django's ``Model.save``/``bulk_create`` build their statement anew for each call; on the
hottest writes (a form record and its audit rows, several per eCRF save) building it cost
more than running it. :func:`insert_rows` writes the same values: each is prepared by its
field (``pre_save`` then ``get_db_prep_save``: JSON, dates, foreign keys), exactly as the
ORM would. It sends no ``pre_save``/``post_save`` signals; the project registers none.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, models, router


def insert_rows(rows: Sequence[models.Model], *, returning: bool = False) -> None:
    """Insert ``rows`` (all of one model, new) in one statement.

    With ``returning`` (one row only) the database's new primary key is set on the row,
    and the row is marked as saved, as ``save()`` would leave it.
    """
    if not rows:
        return
    model = type(rows[0])
    if any(type(r) is not model for r in rows):
        raise TypeError("insert_rows: every row must be of one model")
    if returning and len(rows) != 1:
        raise ValueError("insert_rows: returning the key needs exactly one row")
    alias = router.db_for_write(model)
    connection = connections[alias]
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(str(f.column)) for f in fields)}) "
        f"VALUES {', '.join([one] * len(rows))}"
    )
    if returning:
        sql += f" RETURNING {quote(str(meta.pk.column))}"
    params = [f.get_db_prep_save(f.pre_save(r, add=True), connection) for r in rows for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if returning:
            (pk,) = cursor.fetchone()
            rows[0].pk = pk
    for r in rows:
        r._state.adding = False
        r._state.db = alias
