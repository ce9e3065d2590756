"""Two-way sync of the tickle file with one CalDAV task list (`tickle sync`).

mapping: an item as a VTODO and back; reconcile: what to do about one item, knowing
nothing of HTTP; client: the task list over the caldav library; engine: one sync run;
settings: where the list is and where its password comes from.
"""
