"""Who someone is: teacher accounts, device sign-in sessions, class rosters with personal
codes, school sign-in (OpenID Connect) identities, race-free throttling and the server key.

    from engine.identity import accounts, sessions, roster, throttle, keys

Modules: `store` (tables and the migration of existing data), `accounts` (teachers, admins,
co-teachers), `sessions` (the opaque token a device keeps in a cookie), `roster` (class lists,
personal codes, rename/archive/reissue), `merge` (two entries of one person, all work
kept), `cards` (the printable sheet), `throttle` (wrong-code counting that parallel
requests cannot outrun), `keys` (the server secret behind HMACs), `school` (OpenID Connect
identities). Nothing here imports streamlit.
"""
from engine.identity import store  # noqa: F401  (registers the tables with engine.db)
