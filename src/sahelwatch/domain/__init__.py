"""Value types, vocabularies, the country crosswalk and errors. No I/O beyond package data."""
