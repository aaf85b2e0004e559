"""Actions specific to the eight procedures (computed results, marks on a person)."""
