"""What a page says after an action succeeded: one plain sentence per action."""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark a string for the catalog; it is translated where it is shown."""
    return message


DONE = {
    "agenda.add": N_("The agenda item was added."),
    "agenda.delete": N_("The agenda item was deleted."),
    "agenda.edit": N_("The agenda item was saved."),
    "agenda.goto": N_("Moved to the agenda item."),
    "agenda.move": N_("The agenda order was changed."),
    "agenda.next": N_("Moved to the next agenda item."),
    "agenda.prev": N_("Moved back to the previous agenda item."),
    "body.create": N_("The body was created."),
    "body.update": N_("The body's settings were saved."),
    "comments.close": N_("Opinions are closed."),
    "comments.deadline": N_("The deadline for opinions was saved."),
    "comments.open": N_("Opinions are open again."),
    "floor.close": N_("The list of speakers is closed."),
    "floor.end": N_("The speech has ended."),
    "floor.grant": N_("The floor was given."),
    "floor.open": N_("The list of speakers is open again."),
    "floor.remove": N_("The request was removed from the queue."),
    "floor.reorder": N_("The queue order was changed."),
    "floor.request": N_("Your request is in the queue."),
    "floor.withdraw": N_("Your request was withdrawn."),
    "link.issue": N_("A new sign-in link was made."),
    "link.revoke": N_("The sign-in links were revoked."),
    "material.add": N_("The material was attached."),
    "material.remove": N_("The material was removed."),
    "material.replace": N_("The new version was uploaded."),
    "meeting.adjourn": N_("The meeting is adjourned."),
    "meeting.create": N_("The meeting was created."),
    "meeting.publish": N_("The meeting is published."),
    "meeting.start": N_("The meeting has started."),
    "meeting.update": N_("The meeting details were saved."),
    "opinion.agree": N_("You agree with this opinion."),
    "opinion.answer": N_("The written answer was saved."),
    "opinion.edit": N_("Your opinion was saved."),
    "opinion.to_queue": N_("The author is in the speaker queue."),
    "opinion.triage": N_("The opinion was marked."),
    "opinion.unagree": N_("Your agreement was taken back."),
    "opinion.withdraw": N_("Your opinion was withdrawn."),
    "opinion.write": N_("Your opinion was posted."),
    "person.add": N_("The person was added to the roster."),
    "person.deactivate": N_("The person was removed from the roster."),
    "person.edit": N_("The person's details were saved."),
    "timer.extend": N_("The speaking time was extended."),
}
GENERIC = N_("Done.")


def message_for(action: str) -> str:
    return DONE.get(action, GENERIC)
