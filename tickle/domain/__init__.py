"""The domain: customers, agenda items, outcomes and the agenda. No terminal, no SQL."""
