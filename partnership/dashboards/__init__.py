"""The board dashboards: pages that read the nightly snapshot (issue 5).

selectors/ reads snapshot rows (one module per page, a fixed number of queries per page);
headlines.py and charts.py are pure; views.py renders; exports.py writes the grid as CSV /
XLSX.
"""
