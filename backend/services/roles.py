"""The sets of roles the rules name, each defined once."""

from __future__ import annotations

from backend.models import Role

# The resident's side of a case: the resident, and the village agent acting for them.
APPLICANT_SIDE = frozenset({Role.CITIZEN, Role.AGENT})
TOWNSHIP = frozenset({Role.TOWNSHIP_STAFF})
COUNTY = frozenset({Role.COUNTY_STAFF})
# Staff who check and decide benefit cases (and may read an applicant's full numbers).
CASE_REVIEWERS = TOWNSHIP | COUNTY
# Who may open a case: residents, agents, and township windows for others.
CASE_OPENERS = APPLICANT_SIDE | TOWNSHIP
# Household incomes are for those who handle benefits: not the registry office's or the
# disaster information officers' to read.
CASE_READERS = APPLICANT_SIDE | CASE_REVIEWERS | {Role.ADMIN}
# 婚姻登记: who runs a registry office (its slots, ballots, counter), and who may book.
REGISTRY_MANAGERS = frozenset({Role.REGISTRAR, Role.COUNTY_STAFF, Role.ADMIN})
BOOKERS = frozenset({Role.CITIZEN, Role.AGENT, Role.REGISTRAR})
# The daily rule (and what residents report) moves a case as the system; no user has
# this role, so a step taken by the system alone is never offered to anyone.
SYSTEM_ROLE = "system"
SYSTEM = frozenset({SYSTEM_ROLE})
