"""The outcomes part of the nightly snapshot: what each step of ``outcomes.nightly`` computes.

- ``reads``: a part's result rows straight into a DataFrame (PostgreSQL ``COPY ... TO``, a
  plain cursor elsewhere), never through model instances or ``values_list``.
- ``indicators``: the per-indicator columns LA and school figures share (the measure's RAG
  rule, significance, progress band, the RAG reason code).
- ``la_figures`` (stage 10), ``school_figures`` and ``school_summaries`` (stage 20),
  ``dashboard_blocks`` (stage 30).

Every rule comes from ``outcomes.calculations``; the words of a RAG reason are not stored
but formatted when a page or the API reads the figure (``calculations.rag.figure_reason``).
"""
