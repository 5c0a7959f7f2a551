"""The audit log as CSV, every cell safe to open in a spreadsheet."""
import csv
import io

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HEADER = ("When (UTC)", "Actor", "Actor e-mail", "Action", "Object", "Object id", "From", "To",
          "Details", "IP address")


def neutralise(cell):
    """The cell as text, with a leading apostrophe if it could start a formula."""
    text = "" if cell is None else str(cell)
    return "'" + text if text.startswith(FORMULA_START) else text


def details_text(details):
    """The details as "key: value" pairs joined by "; ", each value neutralised too (a
    spreadsheet splitting the cell on ";" meets no formula either)."""
    return "; ".join(f"{key}: {neutralise(value)}"
                     for key, value in sorted((details or {}).items()))


def audit_csv(rows):
    """CSV text of (event, actor) rows: a header, then one line per event."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for event, actor in rows:
        writer.writerow([neutralise(cell) for cell in (
            event.at.isoformat(timespec="seconds"), actor and actor.name,
            actor and actor.email, event.action, event.object_type, event.object_id,
            event.from_state, event.to_state,
            details_text(event.details),
            event.ip_address)])
    return out.getvalue()
