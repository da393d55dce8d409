"""The shared diagnosis pages, one module per topic: the overview and sign-offs (`overview`),
needs (`needs`), the impact matrix and responses (`matrix`), alternatives, reversibility and
the comparison (`alternatives`), the sustainable-development grid (`grid`), commitments and
cross-cutting involvement (`commitments`), versions (`versions`) and the charter conformity
report (`report`); `_shared` holds what they share.

Every view fetches the project with `projects.policies.get_project_for` (404 for what the user
cannot see), checks the diagnosis policy (403 when visible but not allowed), makes one service
call and turns a `DomainError` into a message or form errors. Forms work without JavaScript;
with HTMX the matrix cells are edited in place.
"""
