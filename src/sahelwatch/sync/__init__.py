"""Keeping the store current from ACLED's and UCDP's APIs (see docs/sync.md)."""
