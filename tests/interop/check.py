"""Reads files Vinculo wrote with independent, strict parsers and prints what they saw as JSON.

    check.py ics FILE   -- an iCalendar file, through icalendar and vobject
    check.py vcf FILE   -- a vCard file, through vobject

Exits non-zero, saying why, on anything either parser refuses or reports. Run by
tests/interop/main.rs with the packages `cargo xtask test` pins in target/interop-venv.
"""

import datetime
import json
import sys

import icalendar
import vobject


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


def instant(value):
    """A DTSTART/DTEND as the JSON the test compares: UTC for a time, the day for a date."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            fail(f"a floating time: {value!r}")
        return value.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def check_ics(data):
    cal = icalendar.Calendar.from_ical(data)
    errors = [(c.name, e) for c in cal.walk() for e in c.errors]
    if errors:
        fail(f"icalendar reported errors: {errors}")
    for required in ("VERSION", "PRODID"):
        if required not in cal:
            fail(f"the calendar has no {required}")
    tzids = sorted(str(tz["TZID"]) for tz in cal.walk("VTIMEZONE"))
    events = []
    for ev in cal.walk("VEVENT"):
        for required in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
            if required not in ev:
                fail(f"an event without {required}: {ev.to_ical()!r}")
        for prop in ("DTSTART", "DTEND"):
            tzid = ev[prop].params.get("TZID")
            if tzid and tzid not in tzids:
                fail(f"{prop} names {tzid}, which no VTIMEZONE defines")
        events.append({
            "uid": str(ev["UID"]),
            "summary": str(ev["SUMMARY"]),
            "start": instant(ev.decoded("DTSTART")),
            "end": instant(ev.decoded("DTEND")),
            "sequence": int(ev.get("SEQUENCE", 0)),
            "description": str(ev.get("DESCRIPTION", "")),
            "transparent": str(ev.get("TRANSP", "OPAQUE")) == "TRANSPARENT",
            "attendees": sorted(str(a) for a in (ev.get("ATTENDEE") if isinstance(ev.get("ATTENDEE"), list) else [ev["ATTENDEE"]] if "ATTENDEE" in ev else [])),
        })
    # vobject, validating every component and property it knows, must agree on each start.
    calendars = list(vobject.readComponents(data.decode("utf-8"), validate=True))
    if len(calendars) != 1:
        fail(f"vobject read {len(calendars)} calendars")
    starts = {str(e.uid.value): instant(e.dtstart.value) for e in calendars[0].contents.get("vevent", [])}
    theirs = {e["uid"]: e["start"] for e in events}
    if starts != theirs:
        fail(f"icalendar and vobject disagree on the starts: {theirs} / {starts}")
    return {"tzids": tzids, "events": events}


def check_vcf(data):
    text = data.decode("utf-8")
    cards = []
    for card in vobject.readComponents(text, validate=True):
        if card.name != "VCARD":
            fail(f"not a card: {card.name}")
        card.validate(raiseException=True)
        values = lambda name: [c.value for c in card.contents.get(name, [])]
        org = values("org")
        cards.append({
            "version": card.version.value,
            "fn": card.fn.value,
            "uid": card.uid.value,
            "n": str(card.n.value) if "n" in card.contents else None,
            "org": org[0][0] if org and isinstance(org[0], list) else (org[0] if org else None),
            "title": values("title"),
            "emails": values("email"),
            "tels": values("tel"),
            "note": values("note"),
            "categories": [v for c in values("categories") for v in (c if isinstance(c, list) else [c])],
        })
    return {"cards": cards}


def main():
    kind, path = sys.argv[1], sys.argv[2]
    with open(path, "rb") as f:
        data = f.read()
    result = check_ics(data) if kind == "ics" else check_vcf(data)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
