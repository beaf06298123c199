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
    "minutes.add": N_("The statement was added to the minutes."),
    "minutes.add_action_item": N_("The action item was added."),
    "minutes.add_decision": N_("The decision was added."),
    "minutes.approve": N_("The minutes are approved and finalized."),
    "minutes.attendance": N_("The attendance was corrected."),
    "minutes.disclosure": N_("The disclosure of the statement was saved."),
    "minutes.edit": N_("The statement was saved."),
    "minutes.edit_action_item": N_("The action item was saved."),
    "minutes.edit_decision": N_("The decision was saved."),
    "minutes.excerpt": N_("The excerpt was saved."),
    "minutes.header": N_("The header of the minutes was saved."),
    "minutes.merge": N_("The statements were merged."),
    "minutes.move": N_("The order of the statements was changed."),
    "minutes.outline": N_("The outline was saved."),
    "minutes.publish": N_("The public copy of the minutes is published."),
    "minutes.recall": N_("The draft was taken back from the chair."),
    "minutes.remove": N_("The statement was removed from the minutes."),
    "minutes.remove_action_item": N_("The action item was removed."),
    "minutes.remove_decision": N_("The decision was removed."),
    "minutes.restore": N_("The statement was restored."),
    "minutes.return": N_("The draft was returned to the secretariat."),
    "minutes.revise": N_("A new revision of the minutes is being drafted."),
    "minutes.submit": N_("The draft was sent to the chair for approval."),
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
