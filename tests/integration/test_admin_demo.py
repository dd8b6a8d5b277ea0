"""The demo study's people sign in with the printed credentials and reach their pages."""

from __future__ import annotations

import re

from flask import Flask

from tests.conftest import submit_form


def test_every_printed_demo_account_signs_in_and_reaches_its_pages(app: Flask) -> None:
    output = app.test_cli_runner().invoke(args=["portal", "demo"]).output
    password = output.rsplit("password is:", 1)[1].strip()
    accounts = re.findall(r"^\s+(\w+)\s+(\S+@demo\.invalid)$", output, re.MULTILINE)
    assert {role for role, _ in accounts} == {"administrator", "chair", "researcher", "member"}
    assert len(accounts) == 10
    for role, email in accounts:
        client = app.test_client()
        response = submit_form(client, "/sign-in", {"email": email, "password": password})
        assert response.status_code == 302, f"{email} could not sign in"
        home = client.get("/").get_data(as_text=True)
        assert "Hello," in home, email
        if role == "administrator":
            assert client.get("/admin").status_code == 200
            assert client.get("/admin/people?q=demo").status_code == 200
        if role in ("chair", "researcher"):
            link = re.search(r'href="(/panels/\d+/members)"', home)
            assert link, f"{email} has no link to the panel's members"
            assert "Demo member 6" in client.get(link.group(1)).get_data(as_text=True)
