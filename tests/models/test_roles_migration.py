"""The verified-roles migration keeps what was earned and makes self-declared roles of unverified
addresses pending (issue 10 §1); its downgrade gives back the old `active` flag."""
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

OLD = "7d5f865dc393"


def _fresh(db):
    db.drop_all()
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


def test_existing_roles_are_carried_over(app, db):
    _fresh(db)
    upgrade(revision=OLD)
    with db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO users (id, email, password_hash, display_name, preferred_language, email_verified, "
            "active, security_stamp, created_at, updated_at) VALUES "
            "(1, 'ok@a.fr', 'x', 'Vérifiée', 'fr', :yes, :yes, 's', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), "
            "(2, 'no@a.fr', 'x', 'Non vérifiée', 'fr', :no, :yes, 's', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
            {"yes": True, "no": False})
        conn.execute(text(
            "INSERT INTO role_assignments (id, user_id, role, scope_departements, scope_regions, active, "
            "created_at, updated_at) VALUES "
            "(1, 1, 'agent', '[]', '[]', :yes, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), "
            "(2, 2, 'representative', '[]', '[]', :yes, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), "
            "(3, 1, 'approver', '[]', '[]', :no, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), "
            "(4, 2, 'coordinator', '[\"69\"]', '[]', :yes, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
            {"yes": True, "no": False})
    upgrade()
    with db.engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT id, status || ':' || COALESCE(verification_method, '-') "
                                      "FROM role_assignments")).all())
    assert rows == {1: "active:legacy", 2: "pending:-", 3: "pending:-", 4: "active:legacy"}
    downgrade(revision=OLD)
    with db.engine.connect() as conn:
        active = {row[0]: bool(row[1]) for row in conn.execute(text("SELECT id, active FROM role_assignments"))}
    assert active == {1: True, 2: False, 3: False, 4: True}
