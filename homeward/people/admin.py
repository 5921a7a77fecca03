# People are part of case records: see cases/admin.py for why they are not in the admin.
