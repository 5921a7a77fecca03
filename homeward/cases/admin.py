# Case records (children, their families, placements, notes, files) are deliberately not in
# Django's admin: every read of them must go through the scoped, audited pages in
# cases.views, and every change through cases.services.
