"""The outcomes maths, as pure functions over plain values and pandas DataFrames.

No ORM here: selectors and the nightly run load rows, these modules compute, and the tests
run in milliseconds without a database. One module per concept (DOMAIN.md section 5):

- ``gaps``: gap to national / statistical neighbours, gap in pupils
- ``ranking``: LA rank as DfE's LAIT computes it ("joint 140th of 150")
- ``quartiles``: LAIT quartile bands A (best) to D
- ``significance``: significance words and DfE's five progress bands
- ``trends``: change from the previous year, three-year trend, gap closing
- ``targets``: progress towards a target
- ``groups``: disadvantaged / boys-girls / SEN gaps
- ``rag``: the indicator RAG with its reason
- ``concern``: the 3Ms concern suggestion, its rules as a readable table
- ``formatting``: rounding for display; suppressed values never shown as numbers

Conventions shared by every module:

- a missing or suppressed value is ``None`` (or NaN in a DataFrame), never 0;
- ``higher_is_better`` carries the measure's polarity (False for absence);
- years are academic years named by the year they end (2016 = 2015/16);
- values are unrounded: rounding happens only in ``formatting``.
"""
