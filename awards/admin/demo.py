"""Demo data for `make run`: the Riverside scheme with one account for each role."""
from awards.accounts.enums import Role
from awards.accounts.queries import user_by_email
from awards.accounts.services import create_verified_user

# Demo passwords are public by design: `flask demo load` refuses to run in production.
DEMO_ACCOUNTS = [
    ("Ada Admin", "admin@riverside.example", "demo-admin-pass", [Role.ADMIN]),
    ("Pat Panel", "panel@riverside.example", "demo-panel-pass", [Role.PANEL_MEMBER]),
    ("Hal Helper", "helper@riverside.example", "demo-helper-pass", [Role.HELPER]),
    ("Rita Resident", "resident@riverside.example", "demo-resident-pass", []),
]


def load_demo_data():
    """Create whatever demo records are missing (safe to run again); return what was created."""
    created = []
    for name, email, password, roles in DEMO_ACCOUNTS:
        if user_by_email(email) is None:
            create_verified_user(name, email, password, roles=roles)
            created.append(email)
    return created
