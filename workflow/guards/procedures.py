"""Guards specific to the eight procedures (filled by the procedures work)."""
