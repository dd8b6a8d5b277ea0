"""Translated summaries of what members read: a draft, a questionnaire or a meeting, per language.

A person who reads the language writes or checks each one; the English stays the version of
record, and a summary is out of date once the English it was written against has changed.
"""
