"""Importers for the register, one module per source: the GIAS establishment CSV
(``register``) and Ofsted inspections (``ofsted``). Each registers itself with
pep_portal.imports.framework when the schools app is ready (``SchoolsConfig.ready``).
"""
