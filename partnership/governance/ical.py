"""The iCalendar feed of a person's board meetings (RFC 5545, via the icalendar library)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from icalendar import Calendar, Event

from pep_portal.platform.site import site_url

from .models import Meeting


def meetings_ical(meetings, *, calendar_name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//PEP Portal//Partnership meetings//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", calendar_name)
    base = site_url()
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@pep-portal")
        event.add("summary", meeting.board.name)
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at or meeting.starts_at + dt.timedelta(hours=2))
        event.add("dtstamp", meeting.created_at)
        event.add("location", meeting.location)
        url = base + reverse("partnership:meeting_detail", args=[meeting.pk])
        event.add("url", url)
        event.add("description", f"Agenda and papers: {url}")
        if meeting.status == Meeting.Status.CANCELLED:
            event.add("status", "CANCELLED")
        else:
            event.add("status", "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical()
