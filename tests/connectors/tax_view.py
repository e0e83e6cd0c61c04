"""A tax bureau's data in PostgreSQL, behind views the hub reads through the postgres transport.

``tax.citizen_income`` is the view proper. Each of its columns reports every value read from it
(``pg_notify`` on ``tax_reads``: the column, the subject, the statement's start), so a test sees
what the server was made to read. ``tax.writing`` writes as it is read (refused in a read-only
transaction) and ``tax.slow`` takes five seconds per row.
"""

from __future__ import annotations

from collections.abc import Iterable

import asyncpg
import orjson

from tests.connectors.departments import full_facts

VIEW = """
CREATE SCHEMA tax;
CREATE TABLE tax.assessments (id_no text PRIMARY KEY, taxable numeric(12, 2),
    paid numeric(12, 2), dependants jsonb, "assessedOn" date);
CREATE FUNCTION tax.read(col text, id text, value anyelement) RETURNS anyelement
    LANGUAGE plpgsql STABLE AS $$
    BEGIN PERFORM pg_notify('tax_reads', concat_ws(' ', col, id, statement_timestamp()));
    RETURN value; END $$;
CREATE VIEW tax.citizen_income AS SELECT id_no,
    tax.read('taxable', id_no, taxable) AS taxable, tax.read('paid', id_no, paid) AS paid,
    tax.read('dependants', id_no, dependants) AS dependants,
    tax.read('assessedOn', id_no, "assessedOn") AS "assessedOn" FROM tax.assessments;
CREATE TABLE tax.read_log (id_no text);
CREATE FUNCTION tax.logged(id text) RETURNS text LANGUAGE plpgsql AS $$
    BEGIN INSERT INTO tax.read_log VALUES (id); RETURN id; END $$;
CREATE VIEW tax.writing AS SELECT id_no, tax.logged(id_no) AS taxable FROM tax.assessments;
CREATE FUNCTION tax.slow(value anyelement) RETURNS anyelement LANGUAGE plpgsql STABLE AS $$
    BEGIN PERFORM pg_sleep(5); RETURN value; END $$;
CREATE VIEW tax.slow AS SELECT id_no, tax.slow(paid) AS paid FROM tax.assessments;
"""
COLUMNS = {"annualTaxableIncome": "taxable", "taxPaidLastYear": "paid"}
"""The manifest's columns; ``dependants`` and ``"assessedOn"`` are read under the field's name."""


async def create_tax_view(database: asyncpg.Connection, subjects: Iterable[str]) -> None:
    """Create the views in ``database``, with a row of ``full_facts`` for each subject."""
    await database.execute(VIEW)
    for subject in subjects:
        facts = full_facts(subject)
        await database.execute(
            "INSERT INTO tax.assessments VALUES ($1, $2, $3, $4, $5::text::date)",
            subject,
            facts["annualTaxableIncome"],
            facts["taxPaidLastYear"],
            orjson.dumps(facts["dependants"]).decode(),
            facts["assessedOn"],
        )
